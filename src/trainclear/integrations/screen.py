"""What every integration shares: a snapshot loaded lazily and loose records matched on it.

Rows of other tools are not pipeline documents: they have no id or line, their URL
may be missing and their metadata may be any shape. :class:`Screen` reads what it
can (text, a URL string, identifier keys of a metadata mapping) and says whether,
and why, a filter with the same snapshot would drop the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainclear.pipeline.fields import metadata_identifiers
from trainclear.pipeline.loading import cached_index
from trainclear.snapshot.index import Match, SnapshotIndex

SnapshotLike = SnapshotIndex | str | Path
"""A built index, or the path of a snapshot file."""


@dataclass(frozen=True, slots=True)
class LooseRecord:
    """The fields matching reads, taken from a row of some other tool."""

    text: str
    url: str | None
    identifiers: tuple[tuple[str, str], ...]


class Screen:
    """Matches loose records against a snapshot; pickles as its file path when it has one."""

    def __init__(self, snapshot: SnapshotLike) -> None:
        self._index: SnapshotIndex | None = None
        self._ref: str | None = None
        if isinstance(snapshot, SnapshotIndex):
            self._index = snapshot
        else:
            self._ref = str(Path(snapshot).resolve())

    @property
    def index(self) -> SnapshotIndex:
        if self._index is None:
            assert self._ref is not None
            self._index = cached_index(self._ref)
        return self._index

    def __getstate__(self) -> dict[str, Any]:
        return {"ref": self._ref, "index": self._index if self._ref is None else None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._ref, self._index = state["ref"], state["index"]

    def exclusion(self, text: Any, url: Any = None, metadata: Any = None) -> Match | None:
        """The first excluded match of a record (as the filter reports it), or None to keep."""
        record = LooseRecord(
            text=text if isinstance(text, str) else "",
            url=url if isinstance(url, str) and url else None,
            identifiers=metadata_identifiers(dict(metadata))
            if isinstance(metadata, Mapping)
            else (),
        )
        return next((m for m in self.index.match(record) if m.excluded), None)

    def reason(self, text: Any, url: Any = None, metadata: Any = None) -> str | None:
        """The exclusion's reason code (``opt_out``, ``objection``...), or None to keep."""
        match = self.exclusion(text, url, metadata)
        return match.reasons[0].code if match is not None else None


def exclusion_detail(match: Match, snapshot_id: str) -> dict[str, Any]:
    """Why a record goes, in the words of the filter's ``exclusions.jsonl``."""
    first = match.reasons[0]
    return {
        "reason": first.code,
        "ref": first.ref,
        "work_id": match.work_id,
        "match": match.kind,
        "snapshot_id": snapshot_id,
    }
