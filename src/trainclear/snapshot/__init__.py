"""Registry snapshots: immutable, content-addressed exclusion sets that scan and filter use.

Format v0 is one canonical JSON document. Its id is the SHA-256 of its bytes, so the
same registry state always yields the same id and a changed file no longer matches
its name. Format v1 (sharded, memory-mapped, with deltas) replaces it in the matching
engine; the :class:`~trainclear.snapshot.model.Snapshot` model is what both expose.
"""

from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork, UrlRule

__all__ = ["Reason", "Snapshot", "SnapshotWork", "UrlRule"]
