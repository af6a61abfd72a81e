"""The lines of ``exclusions.jsonl``: why a record was dropped, or skipped as malformed.

Each line is one JSON object, keys sorted, UTF-8 unescaped (see
:class:`~trainclear.pipeline.writers.JsonlReportWriter`). A record that its text hits
alone decide (:class:`~trainclear.pipeline.readers.jsonl_blocks.TextHitLine`) has its
line put together by :class:`TextExclusions` from pieces encoded once per work: the
bytes the JSON encoder gives for :func:`excluded_entry` of the same matches (tested),
without building the matches or encoding the same reasons again for every record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainclear.errors import RecordError
from trainclear.pipeline.document import Document
from trainclear.pipeline.readers.jsonl_blocks import TextHitLine
from trainclear.snapshot.index import Match, SnapshotIndex

_string: Any = json.encoder.encode_basestring
"""A ``str`` as the encoder writes it with ``ensure_ascii=False`` (quoted, escaped)."""


def excluded_entry(
    file: str, doc: Document, matches: list[Match], snapshot_id: str
) -> dict[str, Any]:
    """One exclusions line: the first reason up front, every reason under ``reasons``;
    ``file`` is the name of the shard ``doc`` came from."""
    reasons = [
        {"code": r.code, "ref": r.ref, "work_id": m.work_id, "match": m.kind}
        for m in matches
        for r in m.reasons
    ]
    first = reasons[0]
    return {
        "file": file,
        "line": doc.line,
        "id": doc.id,
        "reason": first["code"],
        "ref": first["ref"],
        "work_id": first["work_id"],
        "match": first["match"],
        "snapshot_id": snapshot_id,
        "reasons": reasons,
    }


def skipped_entry(error: RecordError, snapshot_id: str) -> dict[str, Any]:
    """One exclusions line for a malformed record skipped."""
    return {
        "file": Path(error.file).name,
        "line": error.line,
        "reason": "malformed",
        "field": error.field,
        "problem": error.problem,
        "snapshot_id": snapshot_id,
    }


@dataclass(frozen=True, slots=True)
class _WorkPieces:
    """An excluded work's part of a line, encoded: its first reason and all of them."""

    work_id: int
    code: str
    ref: str
    reasons: str
    """Its entries of ``reasons``, encoded and joined as in the list."""


class TextExclusions:
    """Exclusions lines of one shard's records that text hits alone decide.

    Works are looked up and encoded once per shard (the index may change between shards:
    see :meth:`SnapshotIndex.refresh`).
    """

    def __init__(self, index: SnapshotIndex, file: str, snapshot_id: str) -> None:
        self._index = index
        self._works: dict[int, _WorkPieces | None] = {}
        self._file = '{"file": ' + _string(file)
        self._snapshot = _string(snapshot_id)

    def line(self, item: TextHitLine) -> str | None:
        """The exclusions line (without its line break) for ``item``, or None: no work
        its text matched is excluded, so the record is kept."""
        works = [w for w in map(self._pieces, item.work_ids) if w is not None]
        if not works:
            return None
        first = works[0]
        reasons = ", ".join(w.reasons for w in works)
        return (
            f'{self._file}, "id": {_string(item.id)}, "line": {item.line}, "match": "text", '
            f'"reason": {first.code}, "reasons": [{reasons}], "ref": {first.ref}, '
            f'"snapshot_id": {self._snapshot}, "work_id": {first.work_id}}}'
        )

    def _pieces(self, work_id: int) -> _WorkPieces | None:
        if work_id not in self._works:
            self._works[work_id] = _work_pieces(self._index, work_id)
        return self._works[work_id]


def _work_pieces(index: SnapshotIndex, work_id: int) -> _WorkPieces | None:
    """What a text match of ``work_id`` adds to an exclusions line; None when it is not
    excluded (or not a work of the snapshot: its hits are ignored)."""
    reasons = index.text_reasons(work_id)
    if not reasons:
        return None
    entries = ", ".join(
        f'{{"code": {_string(r.code)}, "match": "text", "ref": {_string(r.ref)}, '
        f'"work_id": {work_id}}}'
        for r in reasons
    )
    first = reasons[0]
    return _WorkPieces(work_id, _string(first.code), _string(first.ref), entries)
