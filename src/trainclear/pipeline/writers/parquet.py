"""Parquet shard writer: the input's schema (metadata included), rows buffered in batches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trainclear.pipeline.document import Document
from trainclear.pipeline.readers.base import unreadable
from trainclear.pipeline.readers.parquet import import_parquet
from trainclear.pipeline.writers.base import ClosingWriter

BATCH_ROWS = 4096
BATCH_CHARS = 32_000_000
"""A write happens at whichever limit comes first: memory stays bounded even for shards of
whole books, and row groups fall at places fixed by the data, so re-runs are identical."""


class ParquetShardWriter(ClosingWriter):
    """Writes documents' original rows to ``path`` with the schema of ``like``."""

    def __init__(self, path: Path, *, like: Path) -> None:
        pq = import_parquet(like)
        try:
            self._schema = pq.read_schema(like)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise unreadable(like, exc) from exc
        self._writer = pq.ParquetWriter(path, self._schema)
        self._rows: list[dict[str, Any]] = []
        self._chars = 0

    def write(self, doc: Document) -> None:
        self._rows.append(doc.raw)
        self._chars += len(doc.text)
        if len(self._rows) >= BATCH_ROWS or self._chars >= BATCH_CHARS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        rows, self._rows, self._chars = self._rows, [], 0
        if rows:
            self._writer.write_table(pa.Table.from_pylist(rows, schema=self._schema))

    def close(self) -> None:
        if self._writer.is_open:
            self._flush()
            self._writer.close()
