"""Match the text field of JSONL records in the bytes they were read as.

A block of whole lines is read once in compiled code (:func:`.kernels.match_jsonl`):
each line is validated as a JSON object and its text field sampled as it is decoded,
without building the record or decoding its other fields, then matched; a kept record
can be written as the line it was read from. Lines the scan does not vouch for
(invalid, unusual, or the field missing) are left to the caller's own JSON parser, so
they behave exactly as before.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainclear.fingerprint import kernels as _kernels
from trainclear.fingerprint.textindex import NgramParams, TextIndex, TextMatch, text_matches

_SCAN: Any = _kernels  # compiled by numba; typed there, not by mypy

BLOCK_BYTES = 1 << 24
"""The size of a block of :func:`line_blocks` (then up to the next line break)."""


Bytes = bytes | bytearray | memoryview | mmap.mmap


@dataclass(frozen=True, slots=True)
class JsonlMatches:
    """The lines of one block and what matching their text field found.

    Line ``i`` is ``data[starts[i]:ends[i]]``, its line break included. Where
    ``parsed[i]`` is false the scan left the line to the caller's JSON parser, and
    it was not matched.
    """

    data: memoryview
    starts: np.ndarray
    ends: np.ndarray
    parsed: np.ndarray
    lengths: np.ndarray
    """Per parsed line, the length of its text in code points (``len`` of the ``str``)."""
    members: np.ndarray
    """Per line and named member, where the JSON text of its value is (``[0, 0]``:
    absent); shape ``(lines, names, 2)``."""
    rows: np.ndarray
    """The kernel's match rows, which lead with the line (:func:`.kernels.match_jsonl`)."""
    scores: np.ndarray
    bounds: np.ndarray
    """Line ``i``'s rows are ``rows[bounds[i]:bounds[i + 1]]``."""

    def __len__(self) -> int:
        return len(self.starts)

    def line(self, i: int) -> bytes:
        """Line ``i`` as read, its line break included."""
        return self.data[self.starts[i] : self.ends[i]].tobytes()

    def member(self, i: int, j: int = 0) -> bytes | None:
        """The JSON text of line ``i``'s member named ``members[j]``, if it was found."""
        start, end = self.members[i, j].tolist()
        return self.data[start:end].tobytes() if end > start else None

    def matches(self, i: int) -> list[TextMatch]:
        """The matches of line ``i``'s text (none if the line was not parsed)."""
        lo, hi = int(self.bounds[i]), int(self.bounds[i + 1])
        return text_matches(self.rows[lo:hi, 1:], self.scores[lo:hi]) if hi > lo else []

    def flagged(self) -> list[int]:
        """The lines with matches or left to the parser, in order: every other line was
        read and matched nothing."""
        flags = ~self.parsed
        flags[self.rows[:, 0]] = True
        return np.flatnonzero(flags).tolist()


def match_jsonl(
    index: TextIndex,
    data: Bytes,
    field: str = "text",
    *,
    members: Sequence[str] = (),
    params: NgramParams | None = None,
) -> JsonlMatches:
    """Read the JSONL lines in ``data`` and match each one's ``field`` against ``index``;
    also locate the top-level ``members`` (say the record's id and URL), which are not
    decoded."""
    if not field or not all(members):
        raise ValueError("member names must not be empty")
    view = memoryview(data).cast("B")
    buf = np.frombuffer(view, np.uint8)
    arguments = index.kernel_arguments(params or index.params)
    names, bounds = _names(members)
    lines, rows, scores = _SCAN.match_jsonl(buf, _names([field])[0], names, bounds, *arguments)
    start = _SCAN.MEMBERS
    return JsonlMatches(
        view,
        lines[:, _SCAN.LINE_START],
        lines[:, _SCAN.LINE_END],
        lines[:, _SCAN.STATUS] == _SCAN.FAST,
        lines[:, _SCAN.TEXT_LENGTH],
        lines[:, start:].reshape(len(lines), len(members), 2),
        rows,
        scores,
        np.searchsorted(rows[:, 0], np.arange(len(lines) + 1)),
    )


def _names(names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Names as one UTF-8 buffer and the offsets between them (what the kernel takes)."""
    encoded = [name.encode() for name in names]
    bounds = np.zeros(len(encoded) + 1, np.int64)
    bounds[1:] = np.cumsum([len(e) for e in encoded])
    return np.frombuffer(b"".join(encoded), np.uint8), bounds


def line_blocks(data: Bytes, size: int = BLOCK_BYTES) -> Iterator[memoryview]:
    """Whole lines of ``data`` (a mapped file, say), about ``size`` bytes at a time, as
    views: nothing is copied."""
    view = memoryview(data).cast("B")
    array = np.frombuffer(view, np.uint8)
    start = 0
    while start < len(view):
        end = _line_end(array, start + size)
        yield view[start:end]
        start = end


def _line_end(array: np.ndarray, at: int) -> int:
    """The offset after the first line break at or after ``at - 1``, or the end."""
    at = max(at - 1, 0)
    while at < len(array):
        breaks = np.flatnonzero(array[at : at + 65536] == 0x0A)
        if len(breaks):
            return at + int(breaks[0]) + 1
        at += 65536
    return len(array)
