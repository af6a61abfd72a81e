"""The distribution benchmark runs end to end and its checks hold (at a small size)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmarks.bench_distribution import main


def test_benchmark_checks_pass_at_small_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    assert main(["--works", "3000", "--holders", "300", "--no-pin", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert all(report["checks"].values())
    assert report["summary"]["works"] == 3000
    assert "run_distribution" in capsys.readouterr().out
