"""Filter: copy a corpus without the records a snapshot excludes, and say why each went.

Per input shard one output shard of the same name and format; ``exclusions.jsonl``
lists every dropped (and, with ``on_error="skip"``, every malformed) record;
``manifest.json`` ties inputs, outputs and snapshot together with hashes. Output
appears all at once or not at all (see :mod:`.staging`), and the same inputs and
snapshot give byte-identical shards and exclusions.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from trainclear.errors import RecordError, ValidationFailed
from trainclear.fingerprint.textindex import TextMatch
from trainclear.pipeline.document import Document
from trainclear.pipeline.exclusions import TextExclusions, excluded_entry, skipped_entry
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.inputs import check_inputs, sha256_file
from trainclear.pipeline.manifest import (
    EXCLUSIONS,
    MANIFEST,
    RunInfo,
    ShardResult,
    created_stamp,
    write_manifest,
)
from trainclear.pipeline.policy import OnError, record_error_policy
from trainclear.pipeline.progress import Progress, Ticks, counted
from trainclear.pipeline.readers import OnRecordError, read_documents
from trainclear.pipeline.readers.jsonl_blocks import (
    QuietLines,
    TextHitLine,
    read_blocks,
    reads_in_blocks,
)
from trainclear.pipeline.signals import signal_matches
from trainclear.pipeline.staging import staged_directory
from trainclear.pipeline.writers import (
    JsonlReportWriter,
    JsonlShardWriter,
    ParquetShardWriter,
    open_shard_writer,
)
from trainclear.signals.records import SignalConfig
from trainclear.snapshot.index import SnapshotIndex


@dataclass(frozen=True, slots=True)
class FilterResult:
    """Where a filter run put its output and what it counted."""

    out_dir: Path
    snapshot_id: str
    shards: tuple[ShardResult, ...]
    resumed: int = 0
    """Shards an earlier, interrupted attempt had finished (resumable runs only)."""

    @property
    def kept(self) -> int:
        return sum(s.kept for s in self.shards)

    @property
    def excluded(self) -> int:
        return sum(s.excluded for s in self.shards)

    @property
    def skipped(self) -> int:
        return sum(s.skipped for s in self.shards)

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST

    @property
    def exclusions(self) -> Path:
        return self.out_dir / EXCLUSIONS


@dataclass(frozen=True, slots=True)
class ShardFilter:
    """Filters one shard at a time; what every shard of a run shares.

    The exclusions report is passed per call: one report for a whole in-process run,
    or one part file per shard when an executor runs shards apart (see :mod:`.tasks`).
    """

    index: SnapshotIndex
    fields: FieldMap
    on_error: OnError = "fail"
    progress: Progress | None = None
    signals: SignalConfig | None = None
    """Reservation signals to judge (None: the registry only)."""

    blocks: bool = True
    """Read plain JSONL shards in blocks where the run allows (:mod:`.readers.jsonl_blocks`);
    False parses every record, the reference the block path is tested against."""

    def run(self, path: Path, output: Path, report: JsonlReportWriter) -> ShardResult:
        """Write the kept records of ``path`` to ``output`` and the rest to ``report``."""
        counts: Counter[str] = Counter()
        sid = self.index.snapshot_id
        self.index.refresh()  # opt-outs recorded since the snapshot apply from this shard on

        def skip(error: RecordError) -> None:
            counts["skipped"] += 1
            report.write(skipped_entry(error, sid))

        on_bad = record_error_policy(self.on_error, skip)
        read: str | None = None  # the input's hash, where its bytes were all read
        with open_shard_writer(output, like=path) as writer:
            shard = _Shard(writer, report, counts, sid, path.name)
            if self.blocks and reads_in_blocks(path, self.fields, self.index, self.signals):
                read = self._blocks(path, on_bad, shard)
            else:
                docs = read_documents(path, self.fields, on_bad)
                for doc in counted(docs, self.progress):
                    self._decide(doc, None, shard)
        written = writer.sha256() if isinstance(writer, JsonlShardWriter) else None
        return _shard_result(path, output, counts, read, written)

    def _blocks(self, path: Path, on_bad: OnRecordError, shard: _Shard) -> str:
        """The block path: quiet lines are copied as read, the rest decided one by one.
        Returns the input's SHA-256, taken from the blocks as they are read."""
        assert isinstance(shard.writer, JsonlShardWriter)  # a JSONL shard's output
        ticks = Ticks(self.progress)
        texts = TextExclusions(self.index, shard.file, shard.snapshot_id)
        digest = hashlib.sha256()
        for item in read_blocks(path, self.fields, self.index, on_bad, self.signals, digest):
            if isinstance(item, QuietLines):
                shard.writer.write_lines(item.data)
                shard.counts["kept"] += item.records
                ticks.add(item.records)
            elif isinstance(item, TextHitLine):
                _decide_text(item, texts, shard)
                ticks.add(1)
            else:
                self._decide(item.doc, item.text_hits, shard)
                ticks.add(1)
        ticks.close()
        return digest.hexdigest()

    def _decide(self, doc: Document, text_hits: list[TextMatch] | None, shard: _Shard) -> None:
        """Keep ``doc`` or report why it is excluded."""
        matches = self.index.match(doc, text_hits=text_hits)
        matches += signal_matches(doc, self.signals, self.index.purpose)
        excluded = [m for m in matches if m.excluded]
        if excluded:
            shard.counts["excluded"] += 1
            shard.report.write(excluded_entry(shard.file, doc, excluded, shard.snapshot_id))
        else:
            shard.counts["kept"] += 1
            shard.writer.write(doc)


@dataclass(frozen=True, slots=True)
class _Shard:
    """Where one shard's records go, and its counts."""

    writer: JsonlShardWriter | ParquetShardWriter
    report: JsonlReportWriter
    counts: Counter[str]
    snapshot_id: str
    file: str
    """The shard's file name, as exclusions name it."""


def _decide_text(item: TextHitLine, texts: TextExclusions, shard: _Shard) -> None:
    """Keep a record its text hits alone decide, or report why it is excluded: what
    :meth:`ShardFilter._decide` does, without building its matches."""
    line = texts.line(item)
    if line is None:
        shard.counts["kept"] += 1
        assert isinstance(shard.writer, JsonlShardWriter)  # the block path's output
        shard.writer.write_lines(item.record())
    else:
        shard.counts["excluded"] += 1
        shard.report.write_encoded(line)


def run_filter(
    inputs: Sequence[Path],
    out_dir: Path,
    index: SnapshotIndex,
    *,
    snapshot_id: str | None = None,
    fields: FieldMap | None = None,
    on_error: OnError = "fail",
    now: datetime | None = None,
    progress: Progress | None = None,
    signals: SignalConfig | None = None,
    blocks: bool = True,
) -> FilterResult:
    """Filter ``inputs`` into ``out_dir`` (which must be absent or empty), in this process.

    A record is dropped when any of its matches is excluded. ``snapshot_id``, when
    given, must be the index's (a guard against pairing a report with the wrong
    snapshot). Errors leave ``out_dir`` as it was and no staging folder behind. For
    several workers and resumable runs, see :func:`trainclear.pipeline.corpus.filter_corpus`.
    ``blocks=False`` parses every record (see :attr:`ShardFilter.blocks`): the same
    output, slower; for comparisons.
    """
    paths = check_inputs(inputs, reserved=(EXCLUSIONS, MANIFEST))
    sid = check_snapshot_id(index, snapshot_id)
    fields = fields or FieldMap()
    record_error_policy(on_error, lambda _e: None)  # validates on_error before any I/O
    step = ShardFilter(index, fields, on_error, progress, signals, blocks)
    out_dir = Path(out_dir)
    created_at = created_stamp(now)
    with staged_directory(out_dir) as staging:
        with JsonlReportWriter(staging / EXCLUSIONS) as report:
            shards = tuple(step.run(path, staging / path.name, report) for path in paths)
        info = RunInfo.of(sid, created_at, fields, on_error, shards, signals)
        write_manifest(staging, info, shards)
    return FilterResult(out_dir, sid, shards)


def _shard_result(
    path: Path, output: Path, counts: Counter[str], read: str | None, written: str | None
) -> ShardResult:
    """The shard's line in the manifest. ``read`` and ``written`` are the input's and the
    output's SHA-256 where they were taken from the bytes as they went by; a file whose
    bytes were not all seen (a Parquet or zstd shard, one parsed record by record) is
    read again to hash it."""
    return ShardResult(
        input=str(path),
        output=path.name,
        input_sha256=read or sha256_file(path),
        output_sha256=written or sha256_file(output),
        records=counts.total(),
        kept=counts["kept"],
        excluded=counts["excluded"],
        skipped=counts["skipped"],
    )


def check_snapshot_id(index: SnapshotIndex, snapshot_id: str | None) -> str:
    """The index's snapshot id, once ``snapshot_id`` (when given) is found to be it."""
    if snapshot_id is not None and snapshot_id != index.snapshot_id:
        raise ValidationFailed(
            "pipeline.snapshot_mismatch", given=snapshot_id, actual=index.snapshot_id
        )
    return index.snapshot_id
