"""The corpus engine: read shards, match records against a registry snapshot, scan or filter.

Pure Python over files, no database: usable from a notebook as from the CLI::

    from trainclear.pipeline import FieldMap, SnapshotIndex, run_filter, scan

    index = SnapshotIndex(snapshot)
    report = scan([Path("shard-0.jsonl.zst")], index)
    result = run_filter([Path("shard-0.jsonl.zst")], Path("clean"), index)

or, shards spread over worker processes and a filter run that resumes when killed::

    from trainclear.pipeline import LocalExecutor, filter_corpus

    filter_corpus(shards, Path("clean"), snapshot_file, executor=LocalExecutor(workers=8))

Layout follows datatrove: ``readers/`` and ``writers/`` (each with a ``base.py``), the
record model in :mod:`.document`, the two steps in :mod:`.scan` and :mod:`.filter`,
per-shard tasks in :mod:`.tasks`, and ``executor/`` (``base.py``, ``local.py``,
``ray.py``) apart from the steps; :mod:`.corpus` runs the steps on an executor.
"""

from trainclear.pipeline.corpus import filter_corpus, scan_corpus
from trainclear.pipeline.document import Document
from trainclear.pipeline.executor import Executor, LocalExecutor, make_executor
from trainclear.pipeline.fields import FieldMap, metadata_identifiers
from trainclear.pipeline.filter import FilterResult, run_filter
from trainclear.pipeline.loading import open_index
from trainclear.pipeline.manifest import EXCLUSIONS, MANIFEST, ShardResult
from trainclear.pipeline.policy import OnError
from trainclear.pipeline.progress import Progress
from trainclear.pipeline.readers import Format, detect_format, read_documents, read_records
from trainclear.pipeline.report import RuleHits, ScanInput, ScanReport, ScanTotals, WorkHits
from trainclear.pipeline.scan import scan
from trainclear.signals.records import SignalConfig
from trainclear.snapshot.index import Match, SnapshotIndex

__all__ = [
    "EXCLUSIONS",
    "MANIFEST",
    "Document",
    "Executor",
    "FieldMap",
    "FilterResult",
    "Format",
    "LocalExecutor",
    "Match",
    "OnError",
    "Progress",
    "RuleHits",
    "ScanInput",
    "ScanReport",
    "ScanTotals",
    "ShardResult",
    "SignalConfig",
    "SnapshotIndex",
    "WorkHits",
    "detect_format",
    "filter_corpus",
    "make_executor",
    "metadata_identifiers",
    "open_index",
    "read_documents",
    "read_records",
    "run_filter",
    "scan",
    "scan_corpus",
]
