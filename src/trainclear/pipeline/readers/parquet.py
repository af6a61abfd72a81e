"""Streaming Parquet reader: record batches, one row at a time (needs the parquet extra)."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

from trainclear.errors import ValidationFailed
from trainclear.pipeline.readers.base import RawRecord, unreadable

BATCH_ROWS = 256
"""Rows decoded at a time: few enough that a batch of book-length texts stays small."""


def read_parquet(path: Path, batch_rows: int = BATCH_ROWS) -> Generator[RawRecord, None, None]:
    """Yield each row of ``path`` as a record; row numbers count from 1."""
    pq = import_parquet(path)
    number = 0
    try:
        with pq.ParquetFile(path) as parquet:
            for batch in parquet.iter_batches(batch_size=batch_rows):
                for row in batch.to_pylist():
                    number += 1
                    yield RawRecord(number, row)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise unreadable(path, exc) from exc


def import_parquet(path: Path) -> Any:
    """``pyarrow.parquet``, imported on first use: Parquet support is an optional extra."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ValidationFailed("pipeline.needs_pyarrow", path=str(path)) from exc
    return pq
