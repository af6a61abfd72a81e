"""Services and CLI pick an executor; the output is the same, the run's stats say which."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MakeParty, PartyHandle
from tests.pipeline.conftest import Corpus, tree_bytes, write_shard
from trainclear.cli.context import State
from trainclear.cli.main import app
from trainclear.domain import OptOutScope, PartyKind
from trainclear.errors import ValidationFailed
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.snapshots import SnapshotExport
from trainclear.schemas.works import WorkCreate
from trainclear.services import runs
from trainclear.services.optouts import declare_opt_out
from trainclear.services.platform import Platform
from trainclear.services.snapshots import export_snapshot
from trainclear.services.works import register_work


@pytest.fixture
def developer(platform: Platform, make_party: MakeParty, corpus: Corpus) -> PartyHandle:
    """A developer, after a holder registered and opted out Pride and Prejudice."""
    holder = make_party(PartyKind.RIGHTS_HOLDER, "Holder")
    text = corpus.records[0]["text"]
    work = register_work(platform, actor=holder.actor, data=WorkCreate(title="PP", text=text))
    optout = OptOutCreate(scope=OptOutScope.WORK, work_id=work.id)
    declare_opt_out(platform, actor=holder.actor, data=optout)
    return make_party(PartyKind.DEVELOPER, "ModelCo")


@pytest.fixture
def inputs(tmp_path: Path, corpus: Corpus) -> list[Path]:
    return [write_shard(tmp_path / f"s{i}.jsonl", corpus.records[i::3]) for i in range(3)]


def _excluded_ids(out: Path) -> set[str]:
    lines = (out / "exclusions.jsonl").read_text("utf-8").splitlines()
    return {json.loads(line)["id"] for line in lines}


def test_the_filter_service_gives_the_same_output_on_two_workers(
    platform: Platform, developer: PartyHandle, inputs: list[Path], tmp_path: Path
) -> None:
    snapshot = export_snapshot(platform, actor=developer.actor, data=SnapshotExport()).id
    outs = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        outcome = runs.run_filter(
            platform,
            actor=developer.actor,
            snapshot=snapshot,
            inputs=inputs,
            out_dir=out,
            workers=workers,
        )
        assert outcome.result.kept + outcome.result.excluded == 16
        assert {"fp-whole", "fp-mirror"} <= _excluded_ids(out)
        assert outcome.run.stats["executor"] == "local"
        assert outcome.run.stats["workers"] == workers
        outs.append(tree_bytes(out))
    assert outs[0] == outs[1]


def test_the_scan_service_records_how_it_ran(
    platform: Platform, developer: PartyHandle, inputs: list[Path]
) -> None:
    snapshot = export_snapshot(platform, actor=developer.actor, data=SnapshotExport()).id
    outcome = runs.run_scan(
        platform, actor=developer.actor, snapshot=snapshot, inputs=inputs, workers=2
    )
    assert [w.title for w in outcome.report.works] == ["PP"]
    assert outcome.report.works[0].records >= 2
    assert (outcome.run.stats["executor"], outcome.run.stats["workers"]) == ("local", 2)


def test_an_unknown_executor_is_refused_before_any_work(
    platform: Platform, developer: PartyHandle, inputs: list[Path], tmp_path: Path
) -> None:
    snapshot = export_snapshot(platform, actor=developer.actor, data=SnapshotExport()).id
    with pytest.raises(ValidationFailed, match="unknown executor dask"):
        runs.run_filter(
            platform,
            actor=developer.actor,
            snapshot=snapshot,
            inputs=inputs,
            out_dir=tmp_path / "out",
            executor="dask",
        )
    assert not (tmp_path / "out").exists()


def test_the_cli_takes_executor_and_workers(
    platform: Platform, developer: PartyHandle, inputs: list[Path], tmp_path: Path
) -> None:
    snapshot = export_snapshot(platform, actor=developer.actor, data=SnapshotExport()).id
    state = State(platform=platform, token=developer.token, lang="en")
    out = tmp_path / "out"
    args = ["--json", "filter", *map(str, inputs), "--snapshot", snapshot, "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--executor", "local", "--workers", "2"], obj=state)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["excluded"] == len(_excluded_ids(out)) >= 2
    refused = CliRunner().invoke(app, [*args, "--workers", "0"], obj=state)
    assert refused.exit_code != 0
