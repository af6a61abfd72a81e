"""Streaming JSONL reader, plain or zstd-compressed: one record per line, in constant memory."""

from __future__ import annotations

import io
import json
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import zstandard

from trainclear.errors import RecordError
from trainclear.pipeline.readers.base import OnRecordError, RawRecord, detect_format, unreadable


def read_jsonl(path: Path, on_error: OnRecordError) -> Generator[RawRecord, None, None]:
    """Yield each non-blank line of ``path`` as a record.

    A line that is not JSON is reported with field ``(json)``, one that is JSON but not
    an object with field ``(record)``; ``on_error`` decides whether reading goes on.
    """
    source = str(path)
    for number, line in enumerate(_lines(path), 1):
        body = line.rstrip(b"\r\n")
        if not body.strip():
            continue
        parsed = parse_line(body, source, number)
        if isinstance(parsed, RecordError):
            on_error(parsed)
            continue
        yield RawRecord(number, parsed, body)


def _lines(path: Path) -> Iterator[bytes]:
    """The raw lines of ``path``, decompressing ``.jsonl.zst`` as a stream."""
    try:
        with path.open("rb") as handle:
            if detect_format(path) == "jsonl.zst":
                yield from _zstd_lines(handle)
            else:
                yield from handle
    except (OSError, zstandard.ZstdError) as exc:
        raise unreadable(path, exc) from exc


def _zstd_lines(handle: io.BufferedReader) -> Iterator[bytes]:
    """Lines of a zstd stream; concatenated frames are read as one stream."""
    reader = zstandard.ZstdDecompressor().stream_reader(handle, read_across_frames=True)
    with io.BufferedReader(reader) as buffered:
        yield from buffered


def parse_line(body: bytes, source: str, number: int) -> dict[str, Any] | RecordError:
    """The JSON object on one line, or the RecordError saying why it is not one."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return RecordError(file=source, line=number, field="(json)", problem=f"not UTF-8: {exc}")
    except json.JSONDecodeError as exc:
        problem = f"invalid JSON: {exc.msg} at column {exc.colno}"
        return RecordError(file=source, line=number, field="(json)", problem=problem)
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "null"
        problem = f"must be a JSON object, not {kind}"
        return RecordError(file=source, line=number, field="(record)", problem=problem)
    return data
