"""Run tasks on this machine: in this process (one worker) or in a pool of processes.

Worker processes are *spawned*, not forked: each starts clean, imports trainclear and
loads the snapshot named by its first task once (see :mod:`..loading`), so nothing of
the driver's state (open files, threads, a loaded index) leaks into them. A program
that uses several workers therefore needs the usual ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import TypeVar

from trainclear.pipeline.executor.base import Executor, Ranked, Task, run_task

R = TypeVar("R")


class LocalExecutor(Executor):
    """``workers`` processes on this machine; ``workers=1`` runs tasks in this process."""

    name = "local"

    def execute(self, tasks: Sequence[tuple[int, Task[R]]]) -> Ranked[R]:
        if self.workers == 1 or len(tasks) == 1:
            for rank, task in tasks:
                yield rank, task.run()
            return
        yield from self._pool(tasks, min(self.workers, len(tasks)))

    @staticmethod
    def _pool(tasks: Sequence[tuple[int, Task[R]]], size: int) -> Ranked[R]:
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=size, mp_context=context)
        try:
            futures: dict[Future[R], int] = {
                pool.submit(run_task, task): rank for rank, task in tasks
            }
            for future in as_completed(futures):
                yield futures[future], future.result()
        finally:
            # On an error or an early stop: start nothing new, let running tasks end.
            pool.shutdown(wait=True, cancel_futures=True)
