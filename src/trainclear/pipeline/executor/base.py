"""What every executor shares: tasks in, results out in task order, finished tasks skipped.

An executor knows nothing of filtering or scanning. It runs :class:`Task` objects
(picklable, each one shard) on its ``workers`` and hands their results back in the
order the tasks were given, whatever order they finished in. With
``skip_completed`` (the default) a task whose result an earlier attempt recorded is
not run again: that is how a killed run resumes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import ClassVar, Generic, Protocol, TypeVar

from trainclear.errors import ValidationFailed

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


Ranked = Generator[tuple[int, R], None, None]
"""``(rank, result)`` pairs in the order tasks finish; closing it stops the work."""


class Task(Protocol[R_co]):
    """One unit of work, run in a worker process."""

    def run(self) -> R_co:
        """Do the work; runs in a worker, so it must not rely on the driver's state."""
        ...

    def completed(self) -> R_co | None:
        """The result an earlier attempt recorded, or None when it must run."""
        ...


@dataclass(frozen=True, slots=True)
class Finished(Generic[R]):
    """The results of a batch of tasks, in task order."""

    results: list[R]
    skipped: int
    """Tasks not run because an earlier attempt had completed them."""


class Executor(ABC):
    """Runs tasks on ``workers`` workers; subclasses say where those workers live."""

    name: ClassVar[str]

    def __init__(self, workers: int = 1, *, skip_completed: bool = True) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValidationFailed("invalid", field="workers", problem="must be 1 or more")
        self.workers = workers
        self.skip_completed = skip_completed

    def run(
        self, tasks: Sequence[Task[R]], on_done: Callable[[R], None] | None = None
    ) -> Finished[R]:
        """Run every task not yet completed; ``on_done`` sees each new result as it comes."""
        results: dict[int, R] = {}
        pending: list[tuple[int, Task[R]]] = []
        for rank, task in enumerate(tasks):
            earlier = task.completed() if self.skip_completed else None
            if earlier is None:
                pending.append((rank, task))
            else:
                results[rank] = earlier
        if pending:
            with closing(self.execute(pending)) as stream:
                for rank, result in stream:
                    results[rank] = result
                    if on_done is not None:
                        on_done(result)
        ordered = [results[rank] for rank in range(len(tasks))]
        return Finished(ordered, len(tasks) - len(pending))

    @abstractmethod
    def execute(self, tasks: Sequence[tuple[int, Task[R]]]) -> Ranked[R]:
        """Run ``(rank, task)`` pairs, yielding ``(rank, result)`` as each finishes.

        When the consumer stops early (an error), closing the iterator must stop
        handing out work and wait for, or stop, the tasks already running.
        """

    def __repr__(self) -> str:
        return f"{type(self).__name__}(workers={self.workers})"


def run_task(task: Task[R]) -> R:
    """A task's ``run``, as a module-level function that process pools can pickle."""
    return task.run()
