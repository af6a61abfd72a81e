"""A Ray Data callable class that drops what a registry snapshot excludes.

::

    from trainclear.integrations.ray_data import TrainclearFilter

    clean = ds.map_batches(
        TrainclearFilter,
        fn_constructor_kwargs={"snapshot": "snapshots/<id>.json"},
        batch_format="pyarrow",  # or "pandas", or the default (numpy)
    )

Each actor loads the snapshot once. With ``reason_column`` the batch gains a column
holding each row's reason code (null for kept rows); with ``drop=False`` excluded rows
stay, so the column splits a dataset into kept and excluded parts. Needs
``pip install 'trainclear[ray]'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trainclear.integrations.screen import Screen, SnapshotLike


class TrainclearFilter:
    """``map_batches`` callable: ``pyarrow.Table``, ``pandas.DataFrame`` or numpy batches."""

    def __init__(
        self,
        snapshot: SnapshotLike,
        *,
        text_column: str = "text",
        url_column: str | None = "url",
        metadata_column: str | None = None,
        reason_column: str | None = None,
        drop: bool = True,
    ) -> None:
        self.screen = Screen(snapshot)
        self.snapshot_id = self.screen.index.snapshot_id  # loads in the actor's constructor
        self.text_column = text_column
        self.url_column = url_column
        self.metadata_column = metadata_column
        self.reason_column = reason_column
        self.drop = drop

    def __call__(self, batch: Any) -> Any:
        if hasattr(batch, "column_names") and hasattr(batch, "filter"):
            return self._arrow(batch)
        if hasattr(batch, "iloc"):
            return self._pandas(batch)
        return self._numpy(batch)

    def reasons(self, texts: Sequence[Any], urls: Sequence[Any], metas: Sequence[Any]) -> list[Any]:
        """Each row's reason code, None for rows to keep."""
        rows = zip(texts, urls, metas, strict=True)
        return [self.screen.reason(text, url, meta) for text, url, meta in rows]

    def _columns(self, get: Any, rows: int) -> list[Any]:
        def column(name: str | None) -> list[Any]:
            return list(get(name)) if name else [None] * rows

        return self.reasons(
            column(self.text_column), column(self.url_column), column(self.metadata_column)
        )

    def _arrow(self, table: Any) -> Any:
        import pyarrow as pa

        reasons = self._columns(lambda name: table.column(name).to_pylist(), table.num_rows)
        if self.reason_column:
            table = table.append_column(self.reason_column, pa.array(reasons, pa.string()))
        return table.filter(pa.array(self._mask(reasons))) if self.drop else table

    def _pandas(self, frame: Any) -> Any:
        reasons = self._columns(lambda name: frame[name].tolist(), len(frame))
        if self.reason_column:
            frame = frame.assign(**{self.reason_column: reasons})
        return frame[self._mask(reasons)].reset_index(drop=True) if self.drop else frame

    def _numpy(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        rows = len(batch[self.text_column])
        reasons = self._columns(lambda name: batch[name].tolist(), rows)
        if self.reason_column:
            batch = {**batch, self.reason_column: np.array(reasons, dtype=object)}
        if not self.drop:
            return batch
        mask = np.array(self._mask(reasons), dtype=bool)
        return {name: values[mask] for name, values in batch.items()}

    @staticmethod
    def _mask(reasons: list[Any]) -> list[bool]:
        return [reason is None for reason in reasons]
