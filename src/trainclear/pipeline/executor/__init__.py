"""Executors: where per-shard tasks run (this machine, or a Ray cluster).

Apart from the steps, as in datatrove: a step says what one task does
(:mod:`trainclear.pipeline.tasks`); an executor runs a batch of them on ``workers``
and, with ``skip_completed``, leaves out those an earlier attempt finished.
"""

from __future__ import annotations

from trainclear.errors import ValidationFailed
from trainclear.pipeline.executor.base import Executor, Finished, Task, run_task
from trainclear.pipeline.executor.local import LocalExecutor

EXECUTORS = ("local", "ray")

__all__ = [
    "EXECUTORS",
    "Executor",
    "Finished",
    "LocalExecutor",
    "Task",
    "make_executor",
    "run_task",
]


def make_executor(name: str, workers: int = 1) -> Executor:
    """The executor called ``name`` (``local`` or ``ray``) with ``workers`` workers."""
    if name == "local":
        return LocalExecutor(workers)
    if name == "ray":
        from trainclear.pipeline.executor.ray import RayExecutor

        return RayExecutor(workers)
    raise ValidationFailed("executor.unknown", name=name, choices=", ".join(EXECUTORS))
