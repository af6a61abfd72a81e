"""Resuming: a killed filter run, run again, finishes with an uninterrupted run's bytes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.pipeline.conftest import Corpus, tree_bytes, write_shard
from trainclear.errors import ValidationFailed
from trainclear.pipeline import FieldMap, LocalExecutor, filter_corpus
from trainclear.pipeline.workdir import WorkFolder
from trainclear.snapshot.files import write_snapshot
from trainclear.snapshot.model import Snapshot

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)

KILL_AFTER_FIRST_SHARD = """
import os, signal, sys
from datetime import datetime
from pathlib import Path
from trainclear.pipeline import filter_corpus

def kill(_records: int) -> None:
    os.kill(os.getpid(), signal.SIGKILL)

out, snapshot, now, *inputs = sys.argv[1:]
filter_corpus([Path(p) for p in inputs], Path(out), snapshot, on_error="skip",
              now=datetime.fromisoformat(now), progress=kill)
"""


class Crash(Exception):
    """Stands for whatever stops a run half-way (a kill, a lost node)."""


def _crash_after_first_shard(records: int) -> None:
    raise Crash


def _interrupt(shards: list[Path], out: Path, snapshot: Path, workers: int = 1) -> WorkFolder:
    with pytest.raises(Crash):
        filter_corpus(
            shards,
            out,
            snapshot,
            executor=LocalExecutor(workers),
            on_error="skip",
            now=NOW,
            progress=_crash_after_first_shard,
        )
    assert not out.exists()
    return WorkFolder.beside(out)


def _markers(work: WorkFolder) -> list[str]:
    return sorted(p.name for p in work.done.iterdir())


@pytest.fixture
def reference(tmp_path: Path, snapshot_file: Path, shards: list[Path]) -> dict[str, bytes]:
    """An uninterrupted run's output, file by file."""
    filter_corpus(shards, tmp_path / "ref", snapshot_file, on_error="skip", now=NOW)
    return tree_bytes(tmp_path / "ref")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_run_resumes_to_the_same_bytes(
    tmp_path: Path,
    snapshot_file: Path,
    shards: list[Path],
    reference: dict[str, bytes],
    workers: int,
) -> None:
    out = tmp_path / "out"
    work = _interrupt(shards, out, snapshot_file, workers)
    done = _markers(work)
    assert done[0] == "a.jsonl.json"
    executor = LocalExecutor(workers)
    result = filter_corpus(
        shards, out, snapshot_file, executor=executor, on_error="skip", now=LATER
    )
    assert result.resumed == len(done) >= 1
    assert tree_bytes(out) == reference
    assert json.loads((out / "manifest.json").read_bytes())["created_at"] == NOW.isoformat()
    assert not work.root.exists()


def test_a_killed_process_resumes_to_the_same_bytes(
    tmp_path: Path, snapshot_file: Path, shards: list[Path], reference: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    args = [str(out), str(snapshot_file), NOW.isoformat(), *map(str, shards)]
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER_FIRST_SHARD, *args], check=False)
    assert killed.returncode == -9
    work = WorkFolder.beside(out)
    assert not out.exists()
    assert _markers(work) == ["a.jsonl.json"]
    result = filter_corpus(shards, out, snapshot_file, on_error="skip", now=LATER)
    assert result.resumed == 1
    assert tree_bytes(out) == reference


def test_a_shard_cut_off_half_way_is_done_again(
    tmp_path: Path, snapshot_file: Path, shards: list[Path], reference: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    work = _interrupt(shards, out, snapshot_file)
    work.output("b.jsonl.zst").write_bytes(b"half a frame")
    work.part("b.jsonl.zst").write_text('{"id": "half', encoding="utf-8")
    filter_corpus(shards, out, snapshot_file, on_error="skip", now=LATER)
    assert tree_bytes(out) == reference


def test_a_marked_shard_whose_output_is_gone_is_done_again(
    tmp_path: Path, snapshot_file: Path, shards: list[Path], reference: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    work = _interrupt(shards, out, snapshot_file)
    work.output("a.jsonl").unlink()
    result = filter_corpus(shards, out, snapshot_file, on_error="skip", now=LATER)
    assert result.resumed == 0
    assert tree_bytes(out) == reference


def test_skip_completed_false_does_every_shard_again(
    tmp_path: Path, snapshot_file: Path, shards: list[Path], reference: dict[str, bytes]
) -> None:
    out = tmp_path / "out"
    _interrupt(shards, out, snapshot_file)
    executor = LocalExecutor(skip_completed=False)
    result = filter_corpus(shards, out, snapshot_file, executor=executor, on_error="skip")
    assert result.resumed == 0
    assert tree_bytes(out) == reference


def _changed_plan(
    what: str, shards: list[Path], snapshot: Path, corpus: Corpus
) -> tuple[list[Path], Path, dict[str, object]]:
    options: dict[str, object] = {"on_error": "skip"}
    if what == "fields":
        options["fields"] = FieldMap(text="body")
    elif what == "on_error":
        options["on_error"] = "fail"
    elif what == "snapshot_id":
        other = Snapshot("registry", "research", "2026-03-02T09:00:00+00:00", works=())
        snapshot = write_snapshot(other, snapshot.parent)
    elif what == "inputs":
        shards = shards[:-1]
    else:  # an input rewritten in place
        write_shard(shards[0], corpus.records[:2])
    return shards, snapshot, options


@pytest.mark.parametrize(
    ("change", "what"),
    [
        ("fields", "fields"),
        ("on_error", "on_error"),
        ("snapshot_id", "snapshot_id"),
        ("inputs", "inputs"),
        ("rewritten", "inputs"),
    ],
)
def test_a_different_plan_is_refused_and_the_work_folder_kept(
    tmp_path: Path,
    corpus: Corpus,
    snapshot_file: Path,
    shards: list[Path],
    change: str,
    what: str,
) -> None:
    out = tmp_path / "out"
    work = _interrupt(shards, out, snapshot_file)
    before = tree_bytes(work.root)
    inputs, snapshot, options = _changed_plan(change, shards, snapshot_file, corpus)
    with pytest.raises(ValidationFailed) as caught:
        filter_corpus(inputs, out, snapshot, **options)  # type: ignore[arg-type]
    assert (caught.value.key, caught.value.params["what"]) == ("executor.plan_mismatch", what)
    assert "remove the folder to start over" in str(caught.value)
    assert tree_bytes(work.root) == before
    assert not out.exists()


def test_an_unreadable_work_folder_is_refused(
    tmp_path: Path, snapshot_file: Path, shards: list[Path]
) -> None:
    out = tmp_path / "out"
    work = _interrupt(shards, out, snapshot_file)
    (work.root / "plan.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        filter_corpus(shards, out, snapshot_file, on_error="skip")
    assert caught.value.key == "executor.bad_work_folder"
