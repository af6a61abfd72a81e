"""What every shard writer offers: take documents one by one, close once."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Protocol, Self

from trainclear.pipeline.document import Document


class ShardWriter(Protocol):
    """Writes kept documents to one output shard, streaming."""

    def write(self, doc: Document) -> None:
        """Append ``doc`` (its original record, unchanged) to the shard."""

    def close(self) -> None:
        """Flush and close; the shard is complete only after this."""


class ClosingWriter(ABC):
    """Context-manager mixin: ``with writer:`` closes it however the block ends."""

    @abstractmethod
    def close(self) -> None:
        """Flush and close the shard (each writer says how)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
