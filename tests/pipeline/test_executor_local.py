"""The local executor: any number of workers gives the in-process engine's exact bytes."""

from __future__ import annotations

import pickle
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.pipeline.conftest import tree_bytes
from trainclear.errors import RecordError, ValidationFailed
from trainclear.pipeline import (
    LocalExecutor,
    filter_corpus,
    make_executor,
    open_index,
    run_filter,
    scan,
    scan_corpus,
)
from trainclear.pipeline.workdir import WorkFolder

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("workers", [1, 2])
def test_filter_corpus_writes_the_bytes_run_filter_writes(
    tmp_path: Path, snapshot_file: Path, shards: list[Path], workers: int
) -> None:
    index = open_index(snapshot_file)
    expected = run_filter(shards, tmp_path / "ref", index, on_error="skip", now=NOW)
    result = filter_corpus(
        shards,
        tmp_path / "out",
        snapshot_file,
        executor=LocalExecutor(workers),
        on_error="skip",
        now=NOW,
    )
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "ref")
    assert result.shards == expected.shards
    assert (result.skipped, result.resumed) == (2, 0)
    assert [s.input for s in result.shards] == [str(p) for p in shards]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out", "ref"]


def test_one_and_two_workers_agree_with_relative_inputs(
    tmp_path: Path, snapshot_file: Path, shards: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = [p.relative_to(tmp_path) for p in shards]
    for workers in (1, 2):
        executor = LocalExecutor(workers)
        out = Path(f"out{workers}")
        filter_corpus(relative, out, snapshot_file, executor=executor, on_error="skip", now=NOW)
    assert tree_bytes(tmp_path / "out1") == tree_bytes(tmp_path / "out2")
    assert b'"path": "in/a.jsonl"' in (tmp_path / "out2" / "manifest.json").read_bytes()


@pytest.mark.parametrize("workers", [1, 2])
def test_scan_corpus_reports_what_scan_reports(
    snapshot_file: Path, shards: list[Path], workers: int
) -> None:
    expected = scan(shards, open_index(snapshot_file), on_error="skip", now=NOW)
    executor = LocalExecutor(workers)
    calls: list[int] = []
    report = scan_corpus(
        shards, snapshot_file, executor=executor, on_error="skip", now=NOW, progress=calls.append
    )
    assert report.to_json() == expected.to_json()
    assert report.totals.skipped == 2
    assert sum(calls) == report.totals.records


@pytest.mark.parametrize("workers", [1, 2])
def test_a_malformed_record_fails_as_in_process_and_leaves_nothing(
    tmp_path: Path, snapshot_file: Path, shards: list[Path], workers: int
) -> None:
    with pytest.raises(RecordError) as caught:
        filter_corpus(shards, tmp_path / "out", snapshot_file, executor=LocalExecutor(workers))
    error = caught.value
    assert (error.key, error.file, error.line, error.field) == (
        "record.invalid",
        str(shards[-1]),
        2,
        "(json)",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_errors_keep_their_key_and_fields_across_processes() -> None:
    error = pickle.loads(pickle.dumps(RecordError(file="a.jsonl", line=3, field="id", problem="x")))
    assert (error.key, error.file, error.line, error.field, error.problem) == (
        "record.invalid",
        "a.jsonl",
        3,
        "id",
        "x",
    )
    assert str(error) == "a.jsonl:3: field 'id': x"
    other = pickle.loads(pickle.dumps(ValidationFailed("executor.busy", path="/x")))
    assert (other.key, other.params, other.message("zh-CN")) == (
        "executor.busy",
        {"path": "/x"},
        "/x 正被同一输出的另一次运行使用",
    )


def test_a_second_run_of_the_same_output_is_refused_while_one_runs(
    tmp_path: Path, snapshot_file: Path, shards: list[Path]
) -> None:
    out = tmp_path / "out"
    with WorkFolder.beside(out).locked(), pytest.raises(ValidationFailed) as caught:
        filter_corpus(shards, out, snapshot_file, on_error="skip")
    assert caught.value.key == "executor.busy"
    assert not out.exists()


def test_a_wrong_snapshot_id_is_refused_before_any_output(
    tmp_path: Path, snapshot_file: Path, shards: list[Path]
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        filter_corpus(shards, tmp_path / "out", snapshot_file, snapshot_id="0" * 64)
    assert caught.value.key == "pipeline.snapshot_mismatch"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


@pytest.mark.parametrize(
    ("name", "workers", "key"),
    [("dask", 1, "executor.unknown"), ("local", 0, "invalid"), ("ray", -1, "invalid")],
)
def test_unknown_executors_and_worker_counts_are_refused(name: str, workers: int, key: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        make_executor(name, workers)
    assert caught.value.key == key


def test_the_ray_executor_without_ray_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from trainclear.pipeline.executor.ray import import_ray

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ValidationFailed) as caught:
        import_ray()
    assert caught.value.key == "executor.needs_package"
    assert "pip install 'trainclear[ray]'" in str(caught.value)
