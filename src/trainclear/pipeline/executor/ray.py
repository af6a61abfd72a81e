"""Run tasks on a Ray cluster (or a local Ray) through Ray Data: the ``ray`` extra.

Tasks travel as rows of a Ray dataset, one block each, and a fixed pool of
``workers`` actors maps them (one CPU each). Every actor is a long-lived process, so
it loads the snapshot its tasks name once (:mod:`..loading`). Outputs are written by
the workers, so on a cluster the work folder must be on storage every node shares.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from typing import Any, TypeVar

from trainclear.errors import TrainclearError, ValidationFailed
from trainclear.pipeline.executor.base import Executor, Ranked, Task

R = TypeVar("R")


class RayExecutor(Executor):
    """``workers`` Ray actors; joins the cluster at ``address`` or starts a local Ray."""

    name = "ray"

    def __init__(
        self, workers: int = 1, *, address: str | None = None, skip_completed: bool = True
    ) -> None:
        super().__init__(workers, skip_completed=skip_completed)
        self.address = address

    def execute(self, tasks: Sequence[tuple[int, Task[R]]]) -> Ranked[R]:
        ray = import_ray()
        started = not ray.is_initialized()
        if started:
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False)
        try:
            yield from self._map(ray, tasks)
        finally:
            if started:
                ray.shutdown()

    def _map(self, ray: Any, tasks: Sequence[tuple[int, Task[R]]]) -> Ranked[R]:
        context = ray.data.DataContext.get_current()
        bars, context.enable_progress_bars = context.enable_progress_bars, False
        try:
            rows = [{"rank": rank, "task": pickle.dumps(task)} for rank, task in tasks]
            dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
            pool = ray.data.ActorPoolStrategy(size=min(self.workers, len(rows)))
            for row in dataset.map(TaskRunner, compute=pool, num_cpus=1).iter_rows():
                yield int(row["rank"]), _outcome(row["outcome"])
        finally:
            context.enable_progress_bars = bars


class TaskRunner:
    """The Ray actor: runs one pickled task per row.

    Errors a user can cause (a malformed record, an unreadable shard) come back as
    data and are raised again in the driver as they were; Ray would wrap them.
    """

    def __call__(self, row: dict[str, Any]) -> dict[str, Any]:
        task = pickle.loads(row["task"])
        try:
            outcome: tuple[bool, Any] = (True, task.run())
        except TrainclearError as error:
            outcome = (False, error)
        return {"rank": row["rank"], "outcome": pickle.dumps(outcome)}


def _outcome(data: bytes) -> Any:
    ok, value = pickle.loads(data)
    if not ok:
        raise value
    return value


def import_ray() -> Any:
    """``ray`` with Ray Data, imported on first use: Ray is an optional extra."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ValidationFailed(
            "executor.needs_package", what="the ray executor", package="ray[data]", extra="ray"
        ) from exc
    return ray
