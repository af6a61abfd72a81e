"""`trainclear demo` runs the loop and excludes exactly the expected records, twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trainclear.cli.main import app
from trainclear.demo import run_demo
from trainclear.errors import ValidationFailed

EXPECTED = {"dracula", "jekyll", "songci", "dorian-000", "dorian-001", "dorian-002"}


def test_demo_excludes_exactly_the_expected_records(tmp_path: Path, shared_dir: Path) -> None:
    lines: list[str] = []
    summary = run_demo(tmp_path / "demo", texts=shared_dir / "data/texts/dev", echo=lines.append)
    assert set(summary.excluded_ids) == EXPECTED
    assert summary.works_found == 7
    manifest = json.loads(summary.manifest.read_text())
    assert manifest["snapshot_id"] == summary.snapshot_id
    assert manifest["counts"]["excluded"] == len(EXPECTED)
    assert len(lines) == 8
    assert lines[-2].startswith("7. dataset version 1")
    assert lines[-1].startswith("8. usage report 1: 4 works")
    assert "Lin Wenjing's statement: 论语" in lines[-1]
    assert summary.paid_out > 0


def test_demo_runs_twice_from_the_cli(tmp_path: Path, shared_dir: Path) -> None:
    args = [
        "--json",
        "demo",
        "--folder",
        str(tmp_path / "d"),
        "--texts",
        str(shared_dir / "data/texts/dev"),
    ]
    runner = CliRunner()
    first = runner.invoke(app, args)
    second = runner.invoke(app, args)
    assert first.exit_code == second.exit_code == 0, second.output
    assert '"records excluded": 6' in second.stdout
    assert '"distribution run": 1' in second.stdout


def test_demo_refuses_a_folder_it_did_not_create(tmp_path: Path, shared_dir: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(ValidationFailed):
        run_demo(tmp_path, texts=shared_dir / "data/texts/dev", echo=lambda _: None)
    assert (tmp_path / "precious.txt").exists()
