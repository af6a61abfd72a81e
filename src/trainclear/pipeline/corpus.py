"""Scan and filter a corpus with an executor: shards in parallel, filter runs resumable.

Same outputs as :func:`~trainclear.pipeline.filter.run_filter` and
:func:`~trainclear.pipeline.scan.scan`, whatever the executor and its number of
workers. The snapshot is given by reference (a file path), so each worker loads it
itself. A filter run works in ``.<out>.partial/`` beside ``out_dir`` (see
:mod:`.workdir`): when it is killed, running it again with the same inputs, snapshot
and options does only the shards left and publishes the same bytes an uninterrupted
run would have. Errors in the data (a malformed record, an unreadable shard) discard
the work folder instead, since a re-run would fail the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from trainclear.errors import TrainclearError
from trainclear.pipeline.executor import Executor, Finished, LocalExecutor
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.filter import FilterResult, check_snapshot_id
from trainclear.pipeline.inputs import check_inputs
from trainclear.pipeline.loading import cached_index
from trainclear.pipeline.manifest import (
    EXCLUSIONS,
    MANIFEST,
    RunInfo,
    ShardResult,
    created_stamp,
    write_manifest,
)
from trainclear.pipeline.policy import OnError, record_error_policy
from trainclear.pipeline.progress import Progress
from trainclear.pipeline.report import ScanReport
from trainclear.pipeline.scan import ShardScan, scan_report
from trainclear.pipeline.staging import check_output
from trainclear.pipeline.tasks import FilterTask, ScanTask
from trainclear.pipeline.workdir import WorkFolder, make_plan
from trainclear.signals.records import SignalConfig


def filter_corpus(
    inputs: Sequence[Path],
    out_dir: Path,
    snapshot: str | Path,
    *,
    executor: Executor | None = None,
    snapshot_id: str | None = None,
    fields: FieldMap | None = None,
    on_error: OnError = "fail",
    now: datetime | None = None,
    progress: Progress | None = None,
    signals: SignalConfig | None = None,
) -> FilterResult:
    """Filter ``inputs`` into ``out_dir`` (absent or empty) on ``executor``'s workers.

    Args:
        snapshot: the snapshot file; ``snapshot_id``, when given, must be its id.
        executor: defaults to ``LocalExecutor()``: one worker, this process.
        now: ``created_at`` of a first attempt; a resumed run keeps the first one's.
        progress: called with the records of each shard as it finishes.
    """
    paths = check_inputs(inputs, reserved=(EXCLUSIONS, MANIFEST))
    record_error_policy(on_error, lambda _e: None)  # validates on_error before any I/O
    fields = fields or FieldMap()
    ref = Path(snapshot).resolve()
    sid = check_snapshot_id(cached_index(ref), snapshot_id)
    out_dir = Path(out_dir)
    check_output(out_dir)
    work = WorkFolder.beside(out_dir)
    with work.locked():
        plan = make_plan(paths, sid, fields, on_error, signals)
        created_at = work.begin(plan, created_stamp(now))
        root, cwd = str(work.root.resolve()), os.getcwd()
        tasks = [
            FilterTask(str(p), cwd, root, str(ref), sid, fields, on_error, signals) for p in paths
        ]
        finished = _run(executor, tasks, work, progress)
        shards = tuple(finished.results)
        work.gather_exclusions([task.name for task in tasks])
        info = RunInfo.of(sid, created_at, fields, on_error, shards, signals)
        write_manifest(work.shards, info, shards)
        work.publish(out_dir)
    return FilterResult(out_dir, sid, shards, finished.skipped)


def scan_corpus(
    inputs: Sequence[Path],
    snapshot: str | Path,
    *,
    executor: Executor | None = None,
    snapshot_id: str | None = None,
    fields: FieldMap | None = None,
    on_error: OnError = "fail",
    now: datetime | None = None,
    progress: Progress | None = None,
    signals: SignalConfig | None = None,
) -> ScanReport:
    """Scan ``inputs`` against the snapshot file ``snapshot`` on ``executor``'s workers."""
    paths = check_inputs(inputs)
    record_error_policy(on_error, lambda _e: None)
    ref = Path(snapshot).resolve()
    sid = check_snapshot_id(cached_index(ref), snapshot_id)
    fields = fields or FieldMap()
    cwd = os.getcwd()
    tasks = [ScanTask(str(p), cwd, str(ref), sid, fields, on_error, signals) for p in paths]

    def done(shard: ShardScan) -> None:
        if progress is not None:
            progress(shard.input.records)

    finished = (executor or LocalExecutor()).run(tasks, done)
    return scan_report(sid, finished.results, now)


def _run(
    executor: Executor | None,
    tasks: Sequence[FilterTask],
    work: WorkFolder,
    progress: Progress | None,
) -> Finished[ShardResult]:
    def done(result: ShardResult) -> None:
        if progress is not None:
            progress(result.kept + result.excluded)

    try:
        return (executor or LocalExecutor()).run(tasks, done)
    except TrainclearError:
        work.discard()
        raise
