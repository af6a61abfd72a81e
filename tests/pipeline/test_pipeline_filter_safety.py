"""Filter safety: bad inputs and outputs are refused up front, and errors leave nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.pipeline.conftest import Corpus, WriteShard
from trainclear.errors import ValidationFailed
from trainclear.pipeline import read_records, run_filter

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _ids(path: Path) -> list[str]:
    return [r.data["id"] for r in read_records(path)]


def test_an_empty_existing_output_folder_is_used(tmp_path: Path, corpus: Corpus) -> None:
    source = tmp_path / "c.jsonl"
    source.write_text('{"id": "a", "text": "b"}\n', encoding="utf-8")
    (tmp_path / "out").mkdir()
    run_filter([source], tmp_path / "out", corpus.index, now=NOW)
    assert _ids(tmp_path / "out" / "c.jsonl") == ["a"]


def test_a_non_empty_output_folder_is_refused_and_left_alone(
    tmp_path: Path, corpus: Corpus
) -> None:
    source = tmp_path / "c.jsonl"
    source.write_text('{"id": "a", "text": "b"}\n', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        run_filter([source], out, corpus.index, now=NOW)
    assert caught.value.key == "pipeline.output_exists"
    assert [p.name for p in out.iterdir()] == ["precious.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl", "out"]


@pytest.mark.parametrize(
    ("names", "key"),
    [
        ([], "pipeline.no_inputs"),
        (["x/c.jsonl", "y/c.jsonl"], "pipeline.duplicate_name"),
        (["exclusions.jsonl"], "pipeline.reserved_name"),
        (["c.json"], "pipeline.format"),
        (["c.csv"], "pipeline.format"),
        (["missing.jsonl"], "pipeline.unreadable"),
    ],
)
def test_bad_inputs_are_refused_before_any_output(
    tmp_path: Path, corpus: Corpus, names: list[str], key: str
) -> None:
    inputs = []
    for name in names:
        path = tmp_path / "in" / name
        if name != "missing.jsonl":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text('{"id": "a", "text": "b"}\n', encoding="utf-8")
        inputs.append(path)
    with pytest.raises(ValidationFailed) as caught:
        run_filter(inputs, tmp_path / "out", corpus.index, now=NOW)
    assert caught.value.key == key
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("broken_name", ["b.jsonl.zst", "b.parquet"])
def test_a_corrupt_second_shard_removes_the_first_shards_output(
    tmp_path: Path, corpus: Corpus, shard: WriteShard, broken_name: str
) -> None:
    good = shard(tmp_path / "a.parquet", corpus.records)
    broken = tmp_path / broken_name
    broken.write_bytes(b"this is neither zstd nor parquet")
    with pytest.raises(ValidationFailed) as caught:
        run_filter([good, broken], tmp_path / "out", corpus.index, now=NOW)
    assert caught.value.key == "pipeline.unreadable"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.parquet", broken_name]


def test_a_wrong_snapshot_id_or_error_policy_is_refused(tmp_path: Path, corpus: Corpus) -> None:
    source = tmp_path / "c.jsonl"
    source.write_text('{"id": "a", "text": "b"}\n', encoding="utf-8")
    with pytest.raises(ValidationFailed, match="index was built from snapshot"):
        run_filter([source], tmp_path / "out", corpus.index, snapshot_id="0" * 64)
    with pytest.raises(ValidationFailed, match="on_error"):
        run_filter([source], tmp_path / "out", corpus.index, on_error="ignore")  # type: ignore[arg-type]
    result = run_filter([source], tmp_path / "out", corpus.index, snapshot_id=corpus.snapshot.id)
    assert result.snapshot_id == corpus.snapshot.id
