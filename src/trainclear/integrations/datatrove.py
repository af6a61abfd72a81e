"""A datatrove filter step that drops what a registry snapshot excludes.

::

    from datatrove.pipeline.writers import JsonlWriter
    from trainclear.integrations.datatrove import TrainclearFilter

    pipeline = [
        reader,
        TrainclearFilter("snapshots/<id>.json", exclusion_writer=JsonlWriter("excluded/")),
        writer,
    ]

A dropped document's ``metadata["trainclear"]`` says why (reason, ref, work, match,
snapshot) and datatrove counts it under ``dropped_<reason>``. The URL is read from
``metadata[url_key]`` and identifiers from the metadata's ``isbn``/``isrc``/``iswc``/
``doi`` keys. Needs ``pip install 'trainclear[datatrove]'``.
"""

from __future__ import annotations

from typing import Any

from trainclear.integrations.screen import Screen, SnapshotLike, exclusion_detail

try:
    from datatrove.data import Document  # type: ignore[import-untyped]
    from datatrove.pipeline.filters.base_filter import (  # type: ignore[import-untyped]
        BaseFilter,
    )
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "trainclear.integrations.datatrove needs datatrove: pip install 'trainclear[datatrove]'"
    ) from exc

DETAIL_KEY = "trainclear"
"""The metadata key a dropped document's exclusion detail goes under."""


class TrainclearFilter(BaseFilter):  # type: ignore[misc]  # datatrove is untyped
    """Keeps a document unless the snapshot excludes it; drops it with the reason code."""

    name = "⚖️ trainclear snapshot"

    def __init__(
        self,
        snapshot: SnapshotLike,
        *,
        url_key: str = "url",
        exclusion_writer: Any = None,
        batch_size: int = 1,
    ) -> None:
        super().__init__(exclusion_writer=exclusion_writer, batch_size=batch_size)
        self.screen = Screen(snapshot)
        self.url_key = url_key

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        metadata = doc.metadata
        match = self.screen.exclusion(doc.text, metadata.get(self.url_key), metadata)
        if match is None:
            return True
        metadata[DETAIL_KEY] = exclusion_detail(match, self.screen.index.snapshot_id)
        return False, match.reasons[0].code
