"""JSONL writers: shards (plain or zstd, records byte-for-byte) and sorted-key reports."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import IO, Any

import zstandard

from trainclear.pipeline.document import Document
from trainclear.pipeline.writers.base import ClosingWriter

ZSTD_LEVEL = 3
"""zstd's own default: fast, and fixed so that re-runs give identical bytes."""


class JsonlShardWriter(ClosingWriter):
    """Writes each document's original line; ``compress`` makes a ``.jsonl.zst`` stream.

    A plain shard's bytes are hashed as they are written (:meth:`sha256`), so that a
    manifest need not read the file again.
    """

    def __init__(self, path: Path, *, compress: bool = False) -> None:
        self._file = path.open("xb")
        self._zstd: Any = None
        self._digest = None if compress else hashlib.sha256()
        if compress:
            compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
            self._zstd = compressor.stream_writer(self._file, closefd=False)
        self._sink: IO[bytes] = self._zstd or self._file

    def write(self, doc: Document) -> None:
        self.write_lines(encode_record(doc) + b"\n")

    def write_lines(self, lines: bytes | memoryview) -> None:
        """Append records as read: whole lines, each ending in one ``\\n``."""
        self._sink.write(lines)
        if self._digest is not None:
            self._digest.update(lines)

    def sha256(self) -> str | None:
        """The hex SHA-256 of the file as written so far; None for a compressed shard,
        whose file holds other bytes than those given (hash the file instead)."""
        return None if self._digest is None else self._digest.hexdigest()

    def close(self) -> None:
        if self._zstd is not None and not self._zstd.closed:
            self._zstd.close()
        self._file.close()


def encode_record(doc: Document) -> bytes:
    """The bytes a record was read from, or its JSON when it was built in code."""
    if doc.encoded is not None:
        return doc.encoded
    return json.dumps(doc.raw, ensure_ascii=False).encode("utf-8")


class JsonlReportWriter(ClosingWriter):
    """One JSON object per line, keys sorted, UTF-8 unescaped: stable bytes for audits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._file = path.open("x", encoding="utf-8", newline="\n")

    def write(self, entry: dict[str, Any]) -> None:
        self.write_encoded(json.dumps(entry, ensure_ascii=False, sort_keys=True))

    def write_encoded(self, line: str) -> None:
        """Append a line the caller encoded exactly as :meth:`write` would (without its
        line break): see :class:`~trainclear.pipeline.exclusions.TextExclusions`."""
        self._file.write(line + "\n")
        self.count += 1

    def close(self) -> None:
        self._file.close()
