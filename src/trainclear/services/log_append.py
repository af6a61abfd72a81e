"""Appending platform events to the transparency log, inside their own transaction.

Kept apart from :mod:`.log` so that ``record_event`` (in :mod:`.platform`) can append
without importing the read side. Appends take the one ``log_state`` row first
(``UPDATE … RETURNING``), so concurrent transactions append one after the other on SQLite
and PostgreSQL alike, and a rolled-back transaction leaves no leaf behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Connection, Table
from sqlalchemy import event as sa_event
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


PENDING = "trainclear.log_pending"
"""The session-info key of the events recorded in a transaction and not yet in the log."""


def defer_append(session: Session, event: Event) -> None:
    """Queue ``event`` for the log; :func:`append_pending` adds the queue at commit."""
    session.info.setdefault(PENDING, []).append(event)


@sa_event.listens_for(Session, "before_commit")
def append_pending(session: Session) -> None:
    """Append a transaction's events in one batch just before it commits.

    Still inside the transaction: the events and their leaves land together or not at
    all; and the log's state row is held only from here to the commit, once per
    transaction rather than once per event.
    """
    pending = session.info.pop(PENDING, None)
    if pending:
        session.flush()
        append_events(session, pending)


@sa_event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def append_events(session: Session, events: Sequence[Event]) -> None:
    """Append ``events`` (flushed, with ids) as the next leaves, in the caller's transaction.

    Core statements on the session's connection: the ORM adds nothing here but time.
    """
    if not events:
        return
    conn = session.connection()
    new_size, frontier = _claim(conn, len(events))
    first = new_size - len(events)
    appender = MerkleAppender(first, _split(frontier))
    nodes: list[dict[str, object]] = []
    for offset, event in enumerate(events):
        data = record_of(first + offset, event).canonical()
        for level, index, digest in appender.append(leaf_hash(data)):
            nodes.append({"id": node_id(level, index), "hash": digest})
    entries = [{"seq": first + i, "event_id": e.id} for i, e in enumerate(events)]
    conn.execute(_ENTRIES.insert(), entries)
    conn.execute(_NODES.insert(), nodes)
    packed = b"".join(appender.frontier)
    conn.execute(_STATE.update().where(_STATE.c.id == 1).values(frontier=packed))


_STATE = cast(Table, LogState.__table__)
_ENTRIES = cast(Table, LogEntry.__table__)
_NODES = cast(Table, LogNode.__table__)


def _claim(conn: Connection, count: int) -> tuple[int, bytes]:
    """Take the log's state row (the append lock) and grow its size by ``count``."""
    stmt = (
        _STATE.update()
        .where(_STATE.c.id == 1)
        .values(size=_STATE.c.size + count)
        .returning(_STATE.c.size, _STATE.c.frontier)
    )
    row = conn.execute(stmt).one_or_none()
    if row is None:
        raise RuntimeError("the log_state row is missing: run the database migrations")
    return int(row[0]), bytes(row[1])


def _split(frontier: bytes) -> list[bytes]:
    return [frontier[i : i + 32] for i in range(0, len(frontier), 32)]
