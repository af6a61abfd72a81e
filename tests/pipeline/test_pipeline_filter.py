"""The filter step: what it drops and keeps, what it reports, and that it never half-writes."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.pipeline.conftest import Corpus, WriteShard, read_jsonl_bytes
from trainclear import __version__
from trainclear.errors import RecordError
from trainclear.pipeline import EXCLUSIONS, MANIFEST, FieldMap, read_records, run_filter
from trainclear.pipeline.inputs import sha256_file

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FORMATS = ["corpus.jsonl", "corpus.jsonl.zst", "corpus.parquet"]


def _ids(path: Path) -> list[str]:
    return [r.data["id"] for r in read_records(path)]


def _exclusions(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / EXCLUSIONS).read_text("utf-8").splitlines()]


@pytest.mark.parametrize("name", FORMATS)
def test_filter_drops_exactly_the_excluded_records(
    tmp_path: Path, corpus: Corpus, shard: WriteShard, name: str
) -> None:
    source = shard(tmp_path / name, corpus.records)
    result = run_filter([source], tmp_path / "out", corpus.index, now=NOW)
    assert _ids(tmp_path / "out" / name) == corpus.kept
    assert (result.kept, result.excluded, result.skipped) == (7, 9, 0)
    dropped = {e["id"]: e["match"] for e in _exclusions(tmp_path / "out")}
    assert dropped == corpus.excluded


def test_exclusion_lines_name_file_line_reason_work_and_snapshot(
    tmp_path: Path, corpus: Corpus, shard: WriteShard
) -> None:
    source = shard(tmp_path / "c.jsonl", corpus.records)
    run_filter([source], tmp_path / "out", corpus.index, now=NOW)
    by_id = {e["id"]: e for e in _exclusions(tmp_path / "out")}
    assert by_id["fp-whole"] == {
        "file": "c.jsonl",
        "line": 1,
        "id": "fp-whole",
        "reason": "opt_out",
        "ref": "opt_out:1",
        "work_id": 1,
        "match": "fingerprint",
        "snapshot_id": corpus.snapshot.id,
        "reasons": [{"code": "opt_out", "ref": "opt_out:1", "work_id": 1, "match": "fingerprint"}],
    }
    assert [r["match"] for r in by_id["ident-isbn"]["reasons"]] == ["fingerprint", "identifier"]
    assert (by_id["domain"]["work_id"], by_id["domain"]["ref"]) == (None, "opt_out:8")
    assert by_id["fp-reformatted-zh"]["reason"] == "disputed"


@pytest.mark.parametrize("name", ["c.jsonl", "c.jsonl.zst"])
def test_kept_jsonl_lines_are_copied_byte_for_byte(
    tmp_path: Path, corpus: Corpus, shard: WriteShard, name: str
) -> None:
    source = shard(tmp_path / name, corpus.records)
    run_filter([source], tmp_path / "out", corpus.index, now=NOW)
    kept = set(corpus.kept)
    lines = read_jsonl_bytes(source).splitlines(keepends=True)
    expected = b"".join(line for line in lines if json.loads(line)["id"] in kept)
    assert read_jsonl_bytes(tmp_path / "out" / name) == expected


def test_parquet_output_keeps_the_input_schema(
    tmp_path: Path, corpus: Corpus, shard: WriteShard
) -> None:
    source = shard(tmp_path / "c.parquet", corpus.records)
    run_filter([source], tmp_path / "out", corpus.index, now=NOW)
    out = pq.read_table(tmp_path / "out" / "c.parquet")
    assert out.schema.equals(pq.read_schema(source), check_metadata=True)
    assert out.schema.metadata[b"origin"] == b"trainclear-tests"
    expected = [r for r in pq.read_table(source).to_pylist() if r["id"] in set(corpus.kept)]
    assert out.to_pylist() == expected


def test_manifest_ties_inputs_outputs_and_snapshot(
    tmp_path: Path, corpus: Corpus, shard: WriteShard
) -> None:
    first = shard(tmp_path / "a.jsonl", corpus.records[:8])
    second = shard(tmp_path / "b.parquet", corpus.records[8:])
    out = tmp_path / "out"
    fields = FieldMap()
    run_filter([first, second], out, corpus.index, fields=fields, on_error="skip", now=NOW)
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert manifest["snapshot_id"] == corpus.snapshot.id
    assert manifest["created_at"] == "2026-03-02T09:30:00+00:00"
    assert manifest["tool_version"] == __version__
    assert (manifest["fields"], manifest["on_error"]) == (fields.to_dict(), "skip")
    assert manifest["counts"] == {"records": 16, "kept": 7, "excluded": 9, "skipped": 0}
    assert manifest["inputs"] == [
        {"path": str(first), "sha256": sha256_file(first), "records": 8},
        {"path": str(second), "sha256": sha256_file(second), "records": 8},
    ]
    for entry in manifest["outputs"]:
        assert entry["sha256"] == sha256_file(out / entry["path"])
        assert entry["records"] == len(_ids(out / entry["path"]))
    assert manifest["exclusions"]["sha256"] == sha256_file(out / EXCLUSIONS)
    assert sorted(p.name for p in out.iterdir()) == ["a.jsonl", "b.parquet", EXCLUSIONS, MANIFEST]


@pytest.mark.parametrize("name", FORMATS)
def test_rerun_is_byte_identical(
    tmp_path: Path, corpus: Corpus, shard: WriteShard, name: str
) -> None:
    source = shard(tmp_path / name, corpus.records)
    run_filter([source], tmp_path / "one", corpus.index, now=NOW)
    later = datetime(2027, 1, 1, tzinfo=UTC)
    run_filter([source], tmp_path / "two", corpus.index, now=later)
    for file in (name, EXCLUSIONS):
        assert (tmp_path / "one" / file).read_bytes() == (tmp_path / "two" / file).read_bytes()
    one, two = (json.loads((tmp_path / d / MANIFEST).read_text("utf-8")) for d in ("one", "two"))
    assert one.pop("created_at") != two.pop("created_at")
    assert one == two


def _malformed_lines() -> list[str]:
    return [
        '{"id": "ok-1", "text": "first"}',
        '{"id": "bad-json", "text": ',
        "",
        '["not", "an", "object"]',
        '{"id": 7, "text": "numeric id"}',
        '{"id": "no-text"}',
        '{"id": "bad-url", "text": "x", "url": 3}',
        '{"id": "bad-meta", "text": "x", "metadata": "isbn"}',
        '{"id": "ok-2", "text": "second"}',
    ]


def test_malformed_record_fails_with_file_line_and_field_and_leaves_nothing(
    tmp_path: Path, corpus: Corpus, shard: WriteShard
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    good = shard(inputs / "a.jsonl", corpus.records)
    bad = inputs / "b.jsonl"
    bad.write_text("\n".join(_malformed_lines()) + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        run_filter([good, bad], tmp_path / "out", corpus.index, now=NOW)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(bad), 2, "(json)")
    assert f"{bad}:2: field '(json)'" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('{"id": "x", "text": [1]}', "text"),
        ('{"text": "x"}', "id"),
        ('{"id": "x", "text": "y", "url": {"a": 1}}', "url"),
        ('{"id": "x", "text": "y", "metadata": []}', "metadata"),
        ("42", "(record)"),
        ("{'id': 'x'}", "(json)"),
    ],
)
def test_each_kind_of_malformed_record_is_named(
    tmp_path: Path, corpus: Corpus, line: str, field: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "fine"}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match=re.escape(f"bad.jsonl:3: field '{field}'")):
        run_filter([bad], tmp_path / "out", corpus.index, now=NOW)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.jsonl"]


def test_skip_lists_every_malformed_line(tmp_path: Path, corpus: Corpus) -> None:
    bad = tmp_path / "b.jsonl"
    bad.write_text("\n".join(_malformed_lines()) + "\n", encoding="utf-8")
    result = run_filter([bad], tmp_path / "out", corpus.index, on_error="skip", now=NOW)
    skipped = _exclusions(tmp_path / "out")
    assert [(e["line"], e["field"]) for e in skipped] == [
        (2, "(json)"),
        (4, "(record)"),
        (5, "id"),
        (6, "text"),
        (7, "url"),
        (8, "metadata"),
    ]
    assert all(e["reason"] == "malformed" and e["file"] == "b.jsonl" for e in skipped)
    assert all(e["problem"] and e["snapshot_id"] == corpus.snapshot.id for e in skipped)
    assert (result.kept, result.excluded, result.skipped) == (2, 0, 6)
    assert _ids(tmp_path / "out" / "b.jsonl") == ["ok-1", "ok-2"]


def test_progress_reports_every_record_once_per_shard_at_least(
    tmp_path: Path, corpus: Corpus, shard: WriteShard
) -> None:
    first = shard(tmp_path / "a.jsonl", corpus.records[:5])
    second = shard(tmp_path / "b.parquet", corpus.records[5:])
    calls: list[int] = []
    run_filter([first, second], tmp_path / "out", corpus.index, now=NOW, progress=calls.append)
    assert len(calls) >= 2
    assert sum(calls) == len(corpus.records)
