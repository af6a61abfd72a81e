"""Readers: format detection, line numbers, malformed lines, zstd and Parquet, streaming."""

from __future__ import annotations

import inspect
import itertools
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from tests.pipeline.conftest import Texts
from trainclear.errors import RecordError, ValidationFailed
from trainclear.pipeline import FieldMap, detect_format, read_documents, read_records
from trainclear.pipeline.readers import fail_on_error

STREAM_RECORDS = 50_000


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.jsonl", "jsonl"),
        ("A.JSONL", "jsonl"),
        ("shard-00.jsonl.zst", "jsonl.zst"),
        ("x.parquet", "parquet"),
    ],
)
def test_detect_format_by_suffix(name: str, fmt: str) -> None:
    assert detect_format(Path(name)) == fmt


@pytest.mark.parametrize("name", ["a.json", "a.jsonl.gz", "a.zst", "a.txt", "jsonl"])
def test_unknown_suffix_is_refused(name: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        detect_format(Path(name))
    assert caught.value.key == "pipeline.format"


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"id": "1", "text": "a"}\n\n   \r\n{"id": "2", "text": "b"}\r\n')
    records = list(read_records(path))
    assert [(r.line, r.data["id"]) for r in records] == [(1, "1"), (4, "2")]
    assert records[1].encoded == b'{"id": "2", "text": "b"}'


def test_skipping_policy_goes_on_after_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "1", "text": "a"}\nnull\n{"id": "2"\n{"id": "3", "text": "c"}\n')
    errors: list[RecordError] = []
    docs = list(read_documents(path, FieldMap(), errors.append))
    assert [d.id for d in docs] == ["1", "3"]
    assert [(e.line, e.field) for e in errors] == [(2, "(record)"), (3, "(json)")]


def test_invalid_utf8_is_a_json_error(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"id": "1", "text": "\xff"}\n')
    with pytest.raises(RecordError) as caught:
        list(read_records(path))
    assert (caught.value.line, caught.value.field) == (1, "(json)")
    assert "UTF-8" in caught.value.problem


def test_zstd_reads_across_concatenated_frames(tmp_path: Path) -> None:
    compressor = zstandard.ZstdCompressor()
    path = tmp_path / "a.jsonl.zst"
    path.write_bytes(
        compressor.compress(b'{"id": "1", "text": "a"}\n')
        + compressor.compress(b'{"id": "2", "text": "b"}\n')
    )
    assert [r.data["id"] for r in read_records(path)] == ["1", "2"]


@pytest.mark.parametrize("name", ["a.jsonl.zst", "a.parquet"])
def test_corrupt_file_is_unreadable(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"PAR1 garbage garbage garbage")
    with pytest.raises(ValidationFailed) as caught:
        list(read_records(path))
    assert caught.value.key == "pipeline.unreadable"
    assert str(path) in str(caught.value)


def test_parquet_rows_are_numbered_from_one(tmp_path: Path, texts: Texts) -> None:
    path = tmp_path / "a.parquet"
    lines = texts["zh/lunyu"].splitlines()[:30]
    rows = [{"id": f"r{i}", "text": line} for i, line in enumerate(lines)]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=7)
    docs = list(read_documents(path))
    assert [(d.line, d.id, d.text) for d in docs] == [
        (i + 1, f"r{i}", line) for i, line in enumerate(lines)
    ]
    assert all(d.source == str(path) for d in docs)


def _big_jsonl(path: Path, texts: Texts) -> Path:
    """50,000 records from real lines, the last one broken: reading it all would raise."""
    lines = [line for line in texts["en/dracula"].splitlines() if line.strip()]
    body = b"".join(
        json.dumps({"id": str(i), "text": lines[i % len(lines)]}).encode() + b"\n"
        for i in range(STREAM_RECORDS - 1)
    )
    body += b'{"id": "broken", "text": \n'
    if path.name.endswith(".zst"):
        body = zstandard.ZstdCompressor().compress(body)
    path.write_bytes(body)
    return path


@pytest.mark.parametrize("name", ["big.jsonl", "big.jsonl.zst"])
def test_reading_is_lazy(tmp_path: Path, texts: Texts, name: str) -> None:
    path = _big_jsonl(tmp_path / name, texts)
    assert inspect.isgenerator(read_documents(path))
    documents = read_documents(path)
    first = list(itertools.islice(documents, 3))
    assert [d.id for d in first] == ["0", "1", "2"]
    documents.close()
    with pytest.raises(RecordError) as caught:
        list(read_records(path, fail_on_error))
    assert caught.value.line == STREAM_RECORDS


def test_parquet_reading_is_lazy(tmp_path: Path) -> None:
    path = tmp_path / "big.parquet"
    ids = [str(i) for i in range(STREAM_RECORDS)]
    pq.write_table(pa.table({"id": ids, "text": ids}), path, row_group_size=5_000)
    assert inspect.isgenerator(read_records(path))
    records = read_records(path)
    assert [r.line for r in itertools.islice(records, 3)] == [1, 2, 3]
    assert next(records).data == {"id": "3", "text": "3"}


def test_parquet_without_pyarrow_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ValidationFailed) as caught:
        next(read_records(tmp_path / "a.parquet"))
    assert caught.value.key == "pipeline.needs_pyarrow"
    assert "trainclear[parquet]" in str(caught.value)
