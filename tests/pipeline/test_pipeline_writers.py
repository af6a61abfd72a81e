"""Writers: records leave unchanged, zstd and Parquet round-trip, reports are stable."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.pipeline.conftest import Texts, read_jsonl_bytes
from trainclear.pipeline import Document, read_documents
from trainclear.pipeline.writers import JsonlReportWriter, JsonlShardWriter, open_shard_writer


@pytest.mark.parametrize("name", ["a.jsonl", "a.jsonl.zst"])
def test_jsonl_round_trip_is_byte_exact(tmp_path: Path, texts: Texts, name: str) -> None:
    lines = [
        json.dumps({"text": line, "id": f"{i}"}, ensure_ascii=i % 2 == 0).encode()
        for i, line in enumerate(texts["zh/shijing"].splitlines()[:200])
    ]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    target = tmp_path / name
    with open_shard_writer(target, like=target) as writer:
        for doc in read_documents(source):
            writer.write(doc)
    assert read_jsonl_bytes(target) == source.read_bytes()
    assert [d.text for d in read_documents(target)] == texts["zh/shijing"].splitlines()[:200]


def test_documents_built_in_code_are_written_as_json(tmp_path: Path) -> None:
    raw = {"id": "a", "text": "诗", "extra": [1, 2]}
    doc = Document("a", "诗", None, {}, raw, "code", 1)
    with JsonlShardWriter(tmp_path / "a.jsonl") as writer:
        writer.write(doc)
    assert json.loads((tmp_path / "a.jsonl").read_text("utf-8")) == raw


def test_shard_writers_never_overwrite(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("old", encoding="utf-8")
    with pytest.raises(FileExistsError):
        JsonlShardWriter(tmp_path / "a.jsonl")


def test_parquet_round_trip_keeps_schema_and_values(tmp_path: Path, texts: Texts) -> None:
    schema = pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("text", pa.large_string()),
            pa.field("n", pa.int32()),
            pa.field("at", pa.timestamp("ms", tz="UTC")),
            pa.field("price", pa.decimal128(9, 2)),
            pa.field("tags", pa.list_(pa.string())),
            pa.field("lang", pa.dictionary(pa.int32(), pa.string())),
            pa.field("metadata", pa.struct([("isbn", pa.string()), ("year", pa.int16())])),
        ],
        metadata={"producer": "test"},
    )
    lines = texts["en/dracula"].splitlines()[:2500]
    rows = [
        {
            "id": f"r{i}",
            "text": line,
            "n": i,
            "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=i),
            "price": Decimal("1.25"),
            "tags": ["a", "b"][: i % 3],
            "lang": "en",
            "metadata": {"isbn": None, "year": 1897},
        }
        for i, line in enumerate(lines)
    ]
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), source)
    target = tmp_path / "out.parquet"
    with open_shard_writer(target, like=source) as writer:
        for doc in read_documents(source):
            writer.write(doc)
    out = pq.read_table(target)
    assert out.schema.equals(pq.read_schema(source), check_metadata=True)
    assert out.equals(pq.read_table(source))


def test_parquet_with_no_rows_is_still_a_valid_file(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": ["b"]}), source)
    target = tmp_path / "out.parquet"
    open_shard_writer(target, like=source).close()
    assert pq.read_table(target).num_rows == 0
    assert pq.read_schema(target).equals(pq.read_schema(source))


def test_report_lines_have_sorted_keys_and_unescaped_text(tmp_path: Path) -> None:
    with JsonlReportWriter(tmp_path / "r.jsonl") as report:
        report.write({"z": 1, "a": "论语"})
        report.write({"b": None})
    assert report.count == 2
    assert (tmp_path / "r.jsonl").read_text("utf-8") == '{"a": "论语", "z": 1}\n{"b": null}\n'
