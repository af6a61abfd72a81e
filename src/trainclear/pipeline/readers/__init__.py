"""Readers: shards in, raw records or documents out, streamed one at a time."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from trainclear.errors import RecordError
from trainclear.pipeline.document import Document
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.readers.base import (
    Format,
    OnRecordError,
    RawRecord,
    detect_format,
    fail_on_error,
)
from trainclear.pipeline.readers.jsonl import read_jsonl
from trainclear.pipeline.readers.parquet import read_parquet

__all__ = [
    "Format",
    "OnRecordError",
    "RawRecord",
    "detect_format",
    "fail_on_error",
    "read_documents",
    "read_records",
]


def read_records(
    path: Path, on_error: OnRecordError = fail_on_error
) -> Generator[RawRecord, None, None]:
    """The raw records of one shard, in file order, whatever its format."""
    if detect_format(path) == "parquet":
        return read_parquet(path)
    return read_jsonl(path, on_error)


def read_documents(
    path: Path, fields: FieldMap | None = None, on_error: OnRecordError = fail_on_error
) -> Generator[Document, None, None]:
    """The documents of one shard; malformed records go to ``on_error``."""
    fields = fields or FieldMap()
    for record in read_records(path, on_error):
        try:
            yield fields.to_document(
                record.data, source=str(path), line=record.line, encoded=record.encoded
            )
        except RecordError as error:
            on_error(error)
