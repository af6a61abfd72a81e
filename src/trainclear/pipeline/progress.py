"""The optional progress hook shared by scan and filter (the CLI draws a bar with it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Progress = Callable[[int], None]
"""Called with the number of records processed since its previous call."""

PROGRESS_EVERY = 10_000

T = TypeVar("T")


def counted(items: Iterable[T], progress: Progress | None) -> Iterator[T]:
    """Pass ``items`` through, reporting every ``PROGRESS_EVERY`` and once at the end.

    The final call comes even for an empty shard (with 0), so a caller sees one call
    per shard at least.
    """
    pending = 0
    for item in items:
        yield item
        pending += 1
        if progress is not None and pending >= PROGRESS_EVERY:
            progress(pending)
            pending = 0
    if progress is not None:
        progress(pending)


class Ticks:
    """:func:`counted` for a caller that counts records itself, many at a time."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.pending = 0

    def add(self, records: int) -> None:
        self.pending += records
        if self.progress is not None and self.pending >= PROGRESS_EVERY:
            self.progress(self.pending)
            self.pending = 0

    def close(self) -> None:
        """The final report (with 0 for an empty shard)."""
        if self.progress is not None:
            self.progress(self.pending)
        self.pending = 0
