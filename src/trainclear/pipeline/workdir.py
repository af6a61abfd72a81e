"""The work folder of a resumable filter run: ``.<out>.partial/`` beside the output.

Layout::

    .<out>.partial/
        plan.json        what the run is (inputs, snapshot, options) and its created_at
        lock             held (flock) by the run in progress
        shards/          finished shard outputs; becomes <out> when every shard is done
        parts/           one exclusions part per shard (<name>.jsonl)
        done/            one completion marker per shard (<name>.json), its stats

A shard counts as done only once its marker exists; the marker is written last and
atomically, so a shard interrupted half-way is simply done again. The plan is written
first; a later attempt resumes only when its own plan is the same, and reuses the
first attempt's ``created_at`` so that even the manifest comes out byte-identical.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trainclear import __version__
from trainclear.errors import ValidationFailed
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.manifest import EXCLUSIONS, ShardResult
from trainclear.pipeline.staging import check_output
from trainclear.signals.records import SignalConfig

PLAN_FORMAT = "trainclear-filter-plan"
PLAN_VERSION = 0
COPY_CHUNK = 1 << 20


def make_plan(
    inputs: Sequence[Path],
    snapshot_id: str,
    fields: FieldMap,
    on_error: str,
    signals: SignalConfig | None = None,
) -> dict[str, Any]:
    """What makes two attempts the same run: inputs (path, size, mtime), snapshot, options."""
    return {
        "inputs": [_identity(path) for path in inputs],
        "snapshot_id": snapshot_id,
        "fields": fields.to_dict(),
        "on_error": on_error,
        "signals": signals.to_dict() if signals is not None else None,
        "tool_version": __version__,
    }


class WorkFolder:
    """Paths and life cycle of one run's work folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.shards = root / "shards"
        self.parts = root / "parts"
        self.done = root / "done"

    @classmethod
    def beside(cls, out_dir: Path) -> WorkFolder:
        """The stable work folder for ``out_dir``: a re-run finds the same one."""
        return cls(out_dir.parent / f".{out_dir.name}.partial")

    def output(self, name: str) -> Path:
        return self.shards / name

    def part(self, name: str) -> Path:
        return self.parts / f"{name}.jsonl"

    def marker(self, name: str) -> Path:
        return self.done / f"{name}.json"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Create the folder and hold its lock; a second run of the same output is refused."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "lock").open("a") as handle:
            _try_lock(handle.fileno(), self.root)
            yield

    def begin(self, plan: dict[str, Any], created_at: str) -> str:
        """Record ``plan`` (first attempt) or check it against the recorded one (resume).

        Returns the ``created_at`` of the first attempt.
        """
        path = self.root / "plan.json"
        if path.exists():
            created_at = self._resume(path, plan)
        else:
            for folder in (self.shards, self.parts, self.done):
                shutil.rmtree(folder, ignore_errors=True)
            state = {"format": PLAN_FORMAT, "version": PLAN_VERSION, "created_at": created_at}
            write_atomic(path, _dumps({**state, "plan": plan}))
        for folder in (self.shards, self.parts, self.done):
            folder.mkdir(exist_ok=True)
        return created_at

    def _resume(self, path: Path, plan: dict[str, Any]) -> str:
        try:
            state = json.loads(path.read_text("utf-8"))
            recorded, created_at = state["plan"], str(state["created_at"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValidationFailed(
                "executor.bad_work_folder", path=str(self.root), problem=repr(exc)
            ) from exc
        for key, value in plan.items():
            if recorded.get(key) != value:
                raise ValidationFailed("executor.plan_mismatch", path=str(self.root), what=key)
        return created_at

    def completed(self, name: str) -> ShardResult | None:
        """The stats of shard ``name`` if an attempt finished it, else None (to redo it)."""
        marker = self.marker(name)
        if not all(p.is_file() for p in (marker, self.output(name), self.part(name))):
            return None
        try:
            return ShardResult.from_dict(json.loads(marker.read_text("utf-8")))
        except (ValueError, KeyError, TypeError):
            return None

    def finish(self, name: str, result: ShardResult) -> None:
        """Mark shard ``name`` done: its output and part reach the disk, then the marker."""
        for path in (self.output(name), self.part(name)):
            _fsync(path)
        write_atomic(self.marker(name), _dumps(result.to_dict()))

    def gather_exclusions(self, names: Sequence[str]) -> Path:
        """Concatenate the shards' exclusion parts, in input order, into ``shards/``."""
        target = self.shards / EXCLUSIONS
        fd, tmp = tempfile.mkstemp(dir=self.shards, prefix=".tmp-")
        with os.fdopen(fd, "wb") as sink:
            for name in names:
                with self.part(name).open("rb") as source:
                    shutil.copyfileobj(source, sink, COPY_CHUNK)
        os.replace(tmp, target)
        return target

    def publish(self, out_dir: Path) -> None:
        """Move the finished shards folder to ``out_dir`` in one rename, then clean up."""
        check_output(out_dir)
        if out_dir.exists():
            out_dir.rmdir()
        self.shards.rename(out_dir)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, flush it to disk, rename it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _identity(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int, root: Path) -> None:
    """An exclusive, non-blocking flock; released by the kernel if the process dies."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: no locking
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        raise ValidationFailed("executor.busy", path=str(root)) from exc
