"""Plain JSONL shards read in blocks: text matched in compiled code, records built only
where a line needs one.

The per-record reader (:mod:`.jsonl`) parses every line, and the caller then matches
its text alone. Here the shard is mapped into memory and cut into blocks of whole lines;
:func:`~trainclear.fingerprint.jsonltext.match_jsonl` validates each line and matches
its text field in place, and locates (without decoding) the other members the run
reads. Only the lines that need a :class:`Document` become one:

* lines the scan left to a parser: they take the per-record reader's own parse, so a
  malformed line gets the same error, naming the file, the line and the field;
* lines whose text matched a work, or whose id, URL, metadata or image is not of the
  plain kind (the record's checks then decide, with their own errors);
* lines whose other members the run must look at: the URL when the registry has URL
  works or rules, metadata when it has identifier works, an image, reservation signals.

A valid line whose members need no look (its id a plain string, no image, no URL or
metadata the registry reads) but whose text matched, or which does not end in a lone
line break, is a :class:`TextHitLine`: its text hits alone decide it, so it carries
its id, URL and the works it matched, not a document. Every other line is *quiet*: a
valid record that matches nothing, kept as it was read. A built document holds the
members the pipeline reads, decoded by the standard library's parser as the per-record
reader does, and an empty text: its text matches come with it. The same shard and
snapshot give the same documents, matches and errors, in the same order, as the
per-record reader (tested line class by line class).
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import numpy as np

from trainclear.errors import RecordError
from trainclear.fingerprint.jsonltext import JsonlMatches, line_blocks, match_jsonl
from trainclear.fingerprint.textindex import TextMatch
from trainclear.pipeline.document import Document
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.readers.base import OnRecordError, detect_format, unreadable
from trainclear.pipeline.readers.jsonl import parse_line
from trainclear.signals.records import SignalConfig
from trainclear.snapshot.index import SnapshotIndex


class Hash(Protocol):
    """What :func:`read_blocks` feeds the bytes it reads to (a ``hashlib`` object)."""

    def update(self, data: memoryview, /) -> None: ...


BLOCK_BYTES = 1 << 24
"""Bytes read at a time (then up to the next line break): large enough that a block's
fixed costs vanish, small enough to stay in memory beside the output."""
_QUOTE, _BRACE, _NULL, _LF, _CR = (ord(c) for c in '"{n\n\r')
_POPULATE_READ = getattr(mmap, "MADV_POPULATE_READ", 22 if sys.platform == "linux" else None)
"""``madvise`` advice that maps a range's pages in one call (Linux 5.14 and later)."""


@dataclass(frozen=True, slots=True)
class QuietLines:
    """Consecutive valid records that match nothing: kept as read (each line ends in
    ``\\n``)."""

    data: memoryview
    records: int
    characters: int
    """The length of their texts, in code points."""


@dataclass(frozen=True, slots=True)
class MatchedDocument:
    """A record that needs looking at, with its text hits (None: match its text)."""

    doc: Document
    text_hits: list[TextMatch] | None
    characters: int
    """The length of its text in code points (``doc.text`` is empty when ``text_hits``
    are given)."""


@dataclass(frozen=True, slots=True)
class TextHitLine:
    """A valid record that only its text hits decide (see the module's docstring)."""

    line: int
    id: str
    url: str | None
    """The URL as the record gives it (the registry does not read it: a scan counts its
    host)."""
    work_ids: tuple[int, ...]
    """The works its text hits are of, ascending, each once (none: it matched nothing)."""
    characters: int
    data: memoryview
    """The line as read, its line break included."""
    hits: list[JsonlMatches]
    """The block's matches, where :meth:`text_hits` finds the line's own."""
    row: int
    """The line's index in its block."""

    def record(self) -> bytes:
        """The line as a kept record is written: the record, then one ``\\n``."""
        return self.data.tobytes().rstrip(b"\r\n") + b"\n"

    def text_hits(self) -> list[TextMatch]:
        """What the text indexes found in the record's text, in their order."""
        return [hit for m in self.hits for hit in m.matches(self.row)]


BlockItem = QuietLines | MatchedDocument | TextHitLine


def reads_in_blocks(
    path: Path, fields: FieldMap, index: SnapshotIndex, signals: SignalConfig | None
) -> bool:
    """Whether :func:`read_blocks` can read ``path`` for this run: a plain JSONL shard,
    a snapshot with a text index that needs no whole-text hash, and record fields named
    by top-level keys (a dotted path may walk nested objects)."""
    names = [fields.id, fields.text, fields.url, fields.metadata, fields.image]
    names += _signal_fields(signals)
    return (
        detect_format(path) == "jsonl"
        and bool(index.text_indexes)
        and not index.hashes_whole_texts
        and all(name and "." not in name for name in names)
    )


def read_blocks(
    path: Path,
    fields: FieldMap,
    index: SnapshotIndex,
    on_error: OnRecordError,
    signals: SignalConfig | None = None,
    digest: Hash | None = None,
) -> Iterator[BlockItem]:
    """The shard's quiet runs and the documents that need looking at, in file order;
    malformed records go to ``on_error``. Call only where :func:`reads_in_blocks`.

    ``digest``, when given, is updated with every byte of the shard as its blocks are
    read: read through, it hashes the file without reading it again.
    """
    reader = _BlockReader(path, fields, index, on_error, signals)
    try:
        with path.open("rb") as handle:
            data = _mapped(handle)  # the mapping outlives the handle
    except OSError as exc:
        raise unreadable(path, exc) from exc
    try:
        yield from _items(reader, data, digest)
    finally:
        _unmap(data)


def _items(
    reader: _BlockReader, data: mmap.mmap | memoryview, digest: Hash | None
) -> Iterator[BlockItem]:
    number = 0  # lines before this block
    offset = 0
    for block in line_blocks(data, BLOCK_BYTES):  # every byte, in order
        _populate(data, offset, len(block))
        offset += len(block)
        if digest is not None:
            digest.update(block)
        yield from reader.block(block, number)
        number += reader.lines


def _populate(data: mmap.mmap | memoryview, start: int, length: int) -> None:
    """Map a block's pages in one call before it is read, rather than taking a page
    fault per 4 KiB (about a tenth of the scan's time); the whole file at once would
    read a large shard in before any of it is used. Where the system lacks the
    advice, the pages are faulted in as before."""
    if _POPULATE_READ is None or not isinstance(data, mmap.mmap) or not length:
        return
    first = start - start % mmap.PAGESIZE
    with contextlib.suppress(OSError, ValueError):
        data.madvise(_POPULATE_READ, first, start + length - first)


def _unmap(data: mmap.mmap | memoryview) -> None:
    """Close the mapping now, unless views of it are still held (by an error's
    traceback, say): it is then closed when the last of them goes."""
    if isinstance(data, mmap.mmap):
        with contextlib.suppress(BufferError):
            data.close()


def _mapped(handle: BinaryIO) -> mmap.mmap | memoryview:
    """The file mapped read-only (an empty file, which cannot be mapped, as no bytes)."""
    if not os.fstat(handle.fileno()).st_size:
        return memoryview(b"")
    return mmap.mmap(handle.fileno(), 0, prot=mmap.PROT_READ)


def _signal_fields(signals: SignalConfig | None) -> list[str]:
    if signals is None or not signals.enabled:
        return []
    return [signals.headers_field, signals.html_field, signals.fetched_at_field]


class _BlockReader:
    """What every block of one shard shares: the member names and which lines need a
    document."""

    def __init__(
        self,
        path: Path,
        fields: FieldMap,
        index: SnapshotIndex,
        on_error: OnRecordError,
        signals: SignalConfig | None,
    ) -> None:
        self.source = str(path)
        self.fields = fields
        self.index = index
        self.on_error = on_error
        self.signals = bool(_signal_fields(signals))
        plain = [fields.id, fields.url, fields.metadata, fields.image]
        self.names = tuple(dict.fromkeys(plain + _signal_fields(signals)))
        self.column = {name: j for j, name in enumerate(self.names)}
        """Each member's column in :attr:`.JsonlMatches.members`."""
        self.lines = 0

    def block(self, block: memoryview, number: int) -> Iterator[BlockItem]:
        """The items of one block of lines; ``number`` lines came before it."""
        indexes = self.index.text_indexes
        found = [
            match_jsonl(i, block, self.fields.text, members=self.names, params=self.index.params)
            for i in indexes
        ]
        first = found[0]
        self.lines = n = len(first)
        looks = self._looks(block, first)
        needs = looks | _unended(block, first)
        for matches in found:
            needs[matches.rows[:, 0]] = True
        works = [(m.bounds, m.rows[:, 1].tolist()) for m in found]  # read once per block
        chars = np.zeros(n + 1, np.int64)  # text lengths before each line
        np.cumsum(first.lengths, out=chars[1:])
        start = 0  # the first line not given yet
        for i in [*np.flatnonzero(needs).tolist(), n]:
            if i > start:
                data = block[first.starts[start] : first.ends[i - 1]]
                yield QuietLines(data, i - start, int(chars[i] - chars[start]))
            start = i + 1
            if i == n:
                break
            if looks[i]:
                item = self._document(first, found, i, number + i + 1)
                if item is not None:
                    yield item
            else:
                yield self._text_line(found, i, number + i + 1, _work_ids(works, i))

    def _looks(self, block: memoryview, first: JsonlMatches) -> Any:
        """Per line: whether it becomes a document whatever its text matched (see the
        module's docstring)."""
        n = len(first)
        if self.signals:
            return np.ones(n, np.bool_)
        looks = ~first.parsed
        buf = np.frombuffer(block, np.uint8)
        kinds = _first_bytes(buf, first.members)
        column = self.column
        id_kind = kinds[:, column[self.fields.id]]
        url_kind = kinds[:, column[self.fields.url]]
        meta_kind = kinds[:, column[self.fields.metadata]]
        image_kind = kinds[:, column[self.fields.image]]
        looks |= id_kind != _QUOTE
        url_plain = (url_kind == 0) | (url_kind == _NULL)
        looks |= ~url_plain & (self.index.reads_urls or url_kind != _QUOTE)
        meta_plain = (meta_kind == 0) | (meta_kind == _NULL)
        looks |= ~meta_plain & (self.index.reads_identifiers or meta_kind != _BRACE)
        looks |= (image_kind != 0) & (image_kind != _NULL)
        return looks

    def _text_line(
        self, found: list[JsonlMatches], i: int, number: int, work_ids: tuple[int, ...]
    ) -> TextHitLine:
        """Line ``i`` (valid, its members plain) as its id, URL and text hits."""
        first = found[0]
        spans = first.members[i].tolist()
        start, end = spans[self.column[self.fields.id]]
        record_id = _json_string(first.data[start:end].tobytes())
        start, end = spans[self.column[self.fields.url]]
        url = None
        if end > start and first.data[start] == _QUOTE:
            url = _json_string(first.data[start:end].tobytes())
        data = first.data[first.starts[i] : first.ends[i]]
        chars = int(first.lengths[i])
        return TextHitLine(number, record_id, url, work_ids, chars, data, found, i)

    def _document(
        self, first: JsonlMatches, found: list[JsonlMatches], i: int, number: int
    ) -> MatchedDocument | None:
        """Line ``i`` as a document, or None (a blank line, or one ``on_error`` skipped)."""
        body = first.line(i).rstrip(b"\r\n")
        try:
            if not first.parsed[i]:
                return self._parsed_document(body, number)
            raw = self._members(first, i)
            doc = self.fields.to_document(raw, source=self.source, line=number, encoded=body)
        except RecordError as error:
            self.on_error(error)
            return None
        hits = [hit for m in found for hit in m.matches(i)]
        return MatchedDocument(doc, hits, int(first.lengths[i]))

    def _parsed_document(self, body: bytes, number: int) -> MatchedDocument | None:
        """A line the scan left to the parser, read as the per-record reader reads it."""
        if not body.strip():
            return None
        data = parse_line(body, self.source, number)
        if isinstance(data, RecordError):
            raise data
        doc = self.fields.to_document(data, source=self.source, line=number, encoded=body)
        return MatchedDocument(doc, None, len(doc.text))

    def _members(self, first: JsonlMatches, i: int) -> dict[str, Any]:
        """The record's members the pipeline reads, its text left empty (matched already)."""
        raw: dict[str, Any] = {}
        for j, name in enumerate(self.names):
            value = first.member(i, j)
            if value is not None:
                raw[name] = _json_string(value) if value[0] == _QUOTE else json.loads(value)
        raw[self.fields.text] = ""
        return raw


def _unended(block: memoryview, first: JsonlMatches) -> Any:
    """Per line: whether it does not end in a lone line break (a line written back as
    read must)."""
    ends, starts = first.ends, first.starts
    if not len(ends):
        return np.zeros(0, np.bool_)
    buf = np.frombuffer(block, np.uint8)
    crlf = (ends - starts >= 2) & (buf[np.maximum(ends - 2, 0)] == _CR)
    return (buf[ends - 1] != _LF) | crlf


def _work_ids(works: list[tuple[np.ndarray, list[int]]], i: int) -> tuple[int, ...]:
    """The works line ``i``'s text hits are of, ascending, each once; ``works`` holds
    each index's row bounds and the work column of its rows."""
    found: set[int] = set()
    for bounds, column in works:
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        found.update(column[lo:hi])
    return tuple(sorted(found))


def _json_string(value: bytes) -> str:
    """The value of a JSON string the scan validated, as the standard library's parser
    gives it: valid UTF-8 without control characters, so without escapes it is its bytes
    decoded."""
    if b"\\" in value:
        decoded: str = json.loads(value)
        return decoded
    return value[1:-1].decode()


def _first_bytes(buf: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Per line and member, the first byte of its JSON value (0 where absent)."""
    starts, ends = members[:, :, 0], members[:, :, 1]
    present = ends > starts
    out = np.zeros(starts.shape, np.uint8)
    out[present] = buf[starts[present]]
    return out
