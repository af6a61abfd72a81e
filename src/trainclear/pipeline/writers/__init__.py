"""Writers: filtered shards in the format of their input, and JSONL reports."""

from __future__ import annotations

from pathlib import Path

from trainclear.pipeline.readers.base import detect_format
from trainclear.pipeline.writers.base import ClosingWriter, ShardWriter
from trainclear.pipeline.writers.jsonl import JsonlReportWriter, JsonlShardWriter, encode_record
from trainclear.pipeline.writers.parquet import ParquetShardWriter

__all__ = [
    "ClosingWriter",
    "JsonlReportWriter",
    "JsonlShardWriter",
    "ParquetShardWriter",
    "ShardWriter",
    "encode_record",
    "open_shard_writer",
]


def open_shard_writer(path: Path, *, like: Path) -> JsonlShardWriter | ParquetShardWriter:
    """A writer for ``path`` in the format (and, for Parquet, the schema) of input ``like``."""
    fmt = detect_format(like)
    if fmt == "parquet":
        return ParquetShardWriter(path, like=like)
    return JsonlShardWriter(path, compress=fmt == "jsonl.zst")
