"""The corpus engine: read shards, match records against a registry snapshot, scan or filter.

Pure Python over files, no database: usable from a notebook as from the CLI::

    from trainclear.pipeline import FieldMap, SnapshotIndex, run_filter, scan

    index = SnapshotIndex(snapshot)
    report = scan([Path("shard-0.jsonl.zst")], index)
    result = run_filter([Path("shard-0.jsonl.zst")], Path("clean"), index)

Layout follows datatrove: ``readers/`` and ``writers/`` (each with a ``base.py``), the
record model in :mod:`.document`, the two steps in :mod:`.scan` and :mod:`.filter`.
"""

from trainclear.pipeline.document import Document
from trainclear.pipeline.fields import FieldMap, metadata_identifiers
from trainclear.pipeline.filter import FilterResult, run_filter
from trainclear.pipeline.manifest import EXCLUSIONS, MANIFEST, ShardResult
from trainclear.pipeline.policy import OnError
from trainclear.pipeline.progress import Progress
from trainclear.pipeline.readers import Format, detect_format, read_documents, read_records
from trainclear.pipeline.report import RuleHits, ScanInput, ScanReport, ScanTotals, WorkHits
from trainclear.pipeline.scan import scan
from trainclear.snapshot.index import Match, SnapshotIndex

__all__ = [
    "EXCLUSIONS",
    "MANIFEST",
    "Document",
    "FieldMap",
    "FilterResult",
    "Format",
    "Match",
    "OnError",
    "Progress",
    "RuleHits",
    "ScanInput",
    "ScanReport",
    "ScanTotals",
    "ShardResult",
    "SnapshotIndex",
    "WorkHits",
    "detect_format",
    "metadata_identifiers",
    "read_documents",
    "read_records",
    "run_filter",
    "scan",
]
