"""What every reader shares: input formats, the raw record, and the error policy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NoReturn

from trainclear.errors import RecordError, ValidationFailed

Format = Literal["jsonl", "jsonl.zst", "parquet"]

_SUFFIXES: tuple[tuple[str, Format], ...] = (
    (".jsonl.zst", "jsonl.zst"),
    (".jsonl", "jsonl"),
    (".parquet", "parquet"),
)

OnRecordError = Callable[[RecordError], None]
"""Called with each malformed record; raising stops the read, returning skips the record."""


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as stored, before its fields are interpreted."""

    line: int
    """1-based line (JSONL, blank lines counted) or row (Parquet) number."""
    data: dict[str, Any]
    encoded: bytes | None = None
    """The original bytes of a JSONL line, without its line break."""


def detect_format(path: Path) -> Format:
    """The format of a shard from its file name; ValidationFailed when unsupported."""
    name = path.name.lower()
    for suffix, fmt in _SUFFIXES:
        if name.endswith(suffix):
            return fmt
    raise ValidationFailed("pipeline.format", path=str(path))


def fail_on_error(error: RecordError) -> NoReturn:
    """The default policy: the first malformed record stops the run."""
    raise error


def unreadable(path: Path, exc: BaseException) -> ValidationFailed:
    """The error for a shard that cannot be read at all (missing, corrupt, truncated)."""
    return ValidationFailed("pipeline.unreadable", path=str(path), problem=str(exc) or repr(exc))
