"""Loading a snapshot index by reference, once per process.

Executors hand workers a snapshot *reference* (a path), never an index: a reference
pickles in a few bytes and each worker process loads it itself, once, through
:func:`cached_index`. :func:`open_index` is the one place that knows the file format.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from trainclear.errors import ValidationFailed
from trainclear.snapshot.delta import delta_dir
from trainclear.snapshot.files import load_bundle
from trainclear.snapshot.index import SnapshotIndex

CACHED_INDEXES = 2
"""Indexes a process keeps loaded; a worker serves one run, so one would do."""


def open_index(ref: str | Path) -> SnapshotIndex:
    """Load and verify the snapshot folder at ``ref``, memory-mapping its text index."""
    path = Path(ref)
    bundle = load_bundle(str(path), path.parent)
    index = SnapshotIndex(bundle.snapshot, bundle.text, snapshot_id=bundle.id, images=bundle.images)
    index.delta_dir = delta_dir(bundle.path)
    index.refresh()
    return index


def cached_index(ref: str | Path, snapshot_id: str | None = None) -> SnapshotIndex:
    """:func:`open_index`, loaded once per process; checks ``snapshot_id`` when given."""
    path = Path(ref).resolve()
    stat = path.stat() if path.exists() else None
    key = (stat.st_size, stat.st_mtime_ns) if stat else None
    index = _load(str(path), key)
    if snapshot_id is not None and index.snapshot_id != snapshot_id:
        raise ValidationFailed(
            "pipeline.snapshot_mismatch", given=snapshot_id, actual=index.snapshot_id
        )
    return index


@lru_cache(maxsize=CACHED_INDEXES)
def _load(path: str, _version: tuple[int, int] | None) -> SnapshotIndex:
    """Keyed by size and mtime too, so a file replaced in place is loaded afresh."""
    return open_index(path)
