"""Per-shard tasks: one input shard each, picklable, run by any executor.

A task carries paths and options only, never an open index: the worker loads the
snapshot from its reference (once per process, :func:`.loading.cached_index`). A
filter task writes into the run's work folder (:mod:`.workdir`) and marks itself
done last; a scan task returns its shard's tallies for the driver to merge.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.filter import ShardFilter
from trainclear.pipeline.loading import cached_index
from trainclear.pipeline.manifest import ShardResult
from trainclear.pipeline.policy import OnError
from trainclear.pipeline.scan import ShardScan, scan_shard
from trainclear.pipeline.workdir import WorkFolder
from trainclear.pipeline.writers import JsonlReportWriter
from trainclear.signals.records import SignalConfig


@dataclass(frozen=True, slots=True)
class FilterTask:
    """Filter one shard into a work folder: output, exclusions part, completion marker."""

    input: str
    """The input path as given (the manifest records it so)."""
    cwd: str
    """The driver's working folder, against which a relative ``input`` is read."""
    work_dir: str
    snapshot: str
    """The absolute path of the snapshot file workers load."""
    snapshot_id: str
    """The id the loaded snapshot must have: a guard against a swapped file."""
    fields: FieldMap
    on_error: OnError
    signals: SignalConfig | None = None

    @property
    def name(self) -> str:
        return Path(self.input).name

    def completed(self) -> ShardResult | None:
        """The result an earlier attempt recorded for this shard, if any."""
        return WorkFolder(Path(self.work_dir)).completed(self.name)

    def run(self) -> ShardResult:
        return filter_shard(self)


def filter_shard(task: FilterTask) -> ShardResult:
    """Filter ``task``'s shard; what an earlier attempt left of it is replaced.

    The old marker goes first, so a shard redone (``skip_completed=False``) and cut
    off half-way is not taken for done by the next attempt.
    """
    index = cached_index(task.snapshot, task.snapshot_id)
    work = WorkFolder(Path(task.work_dir))
    output, part = work.output(task.name), work.part(task.name)
    for stale in (work.marker(task.name), output, part):
        stale.unlink(missing_ok=True)
    step = ShardFilter(index, task.fields, task.on_error, signals=task.signals)
    with JsonlReportWriter(part) as report:
        result = step.run(Path(task.cwd, task.input), output, report)
    result = replace(result, input=task.input)
    work.finish(task.name, result)
    return result


@dataclass(frozen=True, slots=True)
class ScanTask:
    """Scan one shard. A scan writes nothing, so a killed scan simply starts over."""

    input: str
    cwd: str
    snapshot: str
    snapshot_id: str
    fields: FieldMap
    on_error: OnError
    signals: SignalConfig | None = None

    def completed(self) -> ShardScan | None:
        return None

    def run(self) -> ShardScan:
        index = cached_index(self.snapshot, self.snapshot_id)
        path = Path(self.cwd, self.input)
        shard = scan_shard(path, index, self.fields, self.on_error, signals=self.signals)
        return replace(shard, input=replace(shard.input, path=self.input))
