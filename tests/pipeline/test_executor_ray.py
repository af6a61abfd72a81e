"""The Ray executor: the same per-shard tasks on Ray Data actors, the same bytes out."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.pipeline.conftest import RAY_WARNINGS, tree_bytes
from trainclear.errors import RecordError
from trainclear.pipeline import LocalExecutor, filter_corpus, scan_corpus

pytest.importorskip("ray")

from trainclear.pipeline.executor.ray import RayExecutor

pytestmark = [
    pytest.mark.usefixtures("ray_session"),
    *(pytest.mark.filterwarnings(w) for w in RAY_WARNINGS),
]

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_ray_and_local_write_the_same_shards_exclusions_and_manifest(
    tmp_path: Path, snapshot_file: Path, shards: list[Path]
) -> None:
    local, ray = LocalExecutor(2), RayExecutor(2)
    options = {"on_error": "skip", "now": NOW}
    filter_corpus(shards, tmp_path / "local", snapshot_file, executor=local, **options)
    result = filter_corpus(shards, tmp_path / "ray", snapshot_file, executor=ray, **options)
    assert tree_bytes(tmp_path / "ray") == tree_bytes(tmp_path / "local")
    assert (result.skipped, result.resumed) == (2, 0)
    report = scan_corpus(shards, snapshot_file, executor=ray, on_error="skip", now=NOW)
    expected = scan_corpus(shards, snapshot_file, executor=local, on_error="skip", now=NOW)
    assert report.to_json() == expected.to_json()


def test_a_malformed_record_comes_back_from_ray_as_itself(
    tmp_path: Path, snapshot_file: Path, shards: list[Path]
) -> None:
    with pytest.raises(RecordError) as caught:
        filter_corpus(shards, tmp_path / "out", snapshot_file, executor=RayExecutor(2))
    assert (caught.value.file, caught.value.line) == (str(shards[-1]), 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
