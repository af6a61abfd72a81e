"""Hugging Face ``datasets``: keep-functions for ``Dataset.filter``.

::

    from trainclear.integrations.hf import keep_fn, keep_batch_fn

    clean = dataset.filter(keep_fn("snapshots/<id>.json", url_column="url"))
    clean = dataset.filter(keep_batch_fn(snapshot, url_column="url"), batched=True)

The functions work on plain rows (``dict``) and batches (``dict`` of lists), so this
module needs nothing from ``datasets``. They pickle as the snapshot's path, which
keeps ``num_proc`` workers light and the dataset's cache fingerprint stable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from trainclear.integrations.screen import Screen, SnapshotLike


class _Columns:
    """Which columns hold the text, the URL and the metadata mapping."""

    def __init__(
        self,
        snapshot: SnapshotLike,
        text_column: str,
        url_column: str | None,
        metadata_column: str | None,
    ) -> None:
        self.screen = Screen(snapshot)
        self.text_column = text_column
        self.url_column = url_column
        self.metadata_column = metadata_column

    def _keep(self, text: Any, url: Any, metadata: Any) -> bool:
        return self.screen.exclusion(text, url, metadata) is None


class KeepRow(_Columns):
    """``dataset.filter(fn)``: True for a row to keep."""

    def __call__(self, row: Mapping[str, Any]) -> bool:
        url = row.get(self.url_column) if self.url_column else None
        metadata = row.get(self.metadata_column) if self.metadata_column else None
        return self._keep(row[self.text_column], url, metadata)


class KeepBatch(_Columns):
    """``dataset.filter(fn, batched=True)``: one keep flag per row of the batch."""

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> list[bool]:
        texts = batch[self.text_column]
        urls = batch[self.url_column] if self.url_column else [None] * len(texts)
        metas = batch[self.metadata_column] if self.metadata_column else [None] * len(texts)
        return [self._keep(t, u, m) for t, u, m in zip(texts, urls, metas, strict=True)]


def keep_fn(
    snapshot: SnapshotLike,
    text_column: str = "text",
    url_column: str | None = None,
    metadata_column: str | None = None,
) -> KeepRow:
    """A row predicate: False exactly for the rows a filter with ``snapshot`` drops.

    Args:
        snapshot: a snapshot file path, or a built ``SnapshotIndex``.
        url_column: matched against URL opt-outs and work URLs; None skips URL matching.
        metadata_column: a mapping whose ``isbn``/``isrc``/``iswc``/``doi`` keys are read.
    """
    return KeepRow(snapshot, text_column, url_column, metadata_column)


def keep_batch_fn(
    snapshot: SnapshotLike,
    text_column: str = "text",
    url_column: str | None = None,
    metadata_column: str | None = None,
) -> KeepBatch:
    """:func:`keep_fn` for ``batched=True``: a list of keep flags per batch."""
    return KeepBatch(snapshot, text_column, url_column, metadata_column)
