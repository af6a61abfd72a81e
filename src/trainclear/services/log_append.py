"""Appending platform events to the transparency log, inside their own transaction.

Kept apart from :mod:`.log` so that ``record_event`` (in :mod:`.platform`) can append
without importing the read side. Appends take the one ``log_state`` row first
(``UPDATE … RETURNING``), so concurrent transactions append one after the other on SQLite
and PostgreSQL alike, and a rolled-back transaction leaves no leaf behind.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from trainclear.ledger.entries import LogRecord
from trainclear.ledger.merkle import MerkleAppender, leaf_hash
from trainclear.store.models import Event, LogEntry, LogNode, LogState

NODE_SHIFT = 48
"""Node ids are ``level << 48 | index``: 2^48 leaves is far beyond any registry."""


def node_id(level: int, index: int) -> int:
    return (level << NODE_SHIFT) | index


def record_of(seq: int, event: Event) -> LogRecord:
    """The log's view of an event row."""
    return LogRecord(
        seq, event.id, event.at, event.kind, event.subject, event.actor_id, dict(event.payload)
    )


def append_events(session: Session, events: Sequence[Event]) -> None:
    """Append ``events`` (flushed, with ids) as the next leaves, in the caller's transaction."""
    if not events:
        return
    new_size, frontier = _claim(session, len(events))
    first = new_size - len(events)
    appender = MerkleAppender(first, _split(frontier))
    nodes: list[dict[str, object]] = []
    for offset, event in enumerate(events):
        data = record_of(first + offset, event).canonical()
        for level, index, digest in appender.append(leaf_hash(data)):
            nodes.append({"id": node_id(level, index), "hash": digest})
    entries = [{"seq": first + i, "event_id": e.id} for i, e in enumerate(events)]
    session.execute(insert(LogEntry), entries)
    session.execute(insert(LogNode), nodes)
    packed = b"".join(appender.frontier)
    session.execute(update(LogState).where(LogState.id == 1).values(frontier=packed))


def _claim(session: Session, count: int) -> tuple[int, bytes]:
    """Take the log's state row (the append lock) and grow its size by ``count``."""
    stmt = (
        update(LogState)
        .where(LogState.id == 1)
        .values(size=LogState.size + count)
        .returning(LogState.size, LogState.frontier)
    )
    row = session.execute(stmt).one_or_none()
    if row is None:
        raise RuntimeError("the log_state row is missing: run the database migrations")
    return int(row[0]), bytes(row[1])


def _split(frontier: bytes) -> list[bytes]:
    return [frontier[i : i + 32] for i in range(0, len(frontier), 32)]
