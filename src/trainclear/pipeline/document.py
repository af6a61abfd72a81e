"""The unit every pipeline step reads, matches and writes: one corpus record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Document:
    """One record of a corpus shard, with the fields matching needs pulled out.

    ``raw`` is the record exactly as read; writers emit it (or, for JSONL, its original
    bytes in ``encoded``) so that a kept record leaves the filter unchanged.
    """

    id: str
    text: str
    url: str | None
    metadata: dict[str, Any]
    raw: dict[str, Any]
    source: str
    """The shard the record came from, as the path was given."""
    line: int
    """1-based line (JSONL) or row (Parquet) number in ``source``."""
    identifiers: tuple[tuple[str, str], ...] = ()
    """Canonical (scheme, value) pairs found in ``metadata``; see :mod:`.fields`."""
    encoded: bytes | None = field(default=None, repr=False)
    """The record's original bytes without the line break, where the format has them."""
    image: bytes | None = field(default=None, repr=False)
    """The record's image file (decoded from base64 or a ``data:`` URI, or Parquet bytes)."""
