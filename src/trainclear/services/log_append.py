"""Appending platform events to the transparency log, inside their own transaction.

Kept apart from :mod:`.log` so that ``record_event`` (in :mod:`.platform`) can append
without importing the read side. Appends take the one ``log_state`` row first
(``UPDATE … RETURNING``), so concurrent transactions append one after the other on SQLite
and PostgreSQL alike, and a rolled-back transaction leaves no leaf behind.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from trainclear.ledger.entries import LogRecord
from trainclear.ledger.merkle import MerkleAppender, leaf_hash
from trainclear.store.models import Event, LogEntry, LogNode, LogState
from trainclear.store.types import UTCDateTime

NODE_SHIFT = 48
"""Node ids are ``level << 48 | index``: 2^48 leaves is far beyond any registry."""


def node_id(level: int, index: int) -> int:
    return (level << NODE_SHIFT) | index


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event recorded in a transaction, inserted with its log entry at commit."""

    at: datetime
    kind: str
    subject: str
    actor_id: int | None
    payload: dict[str, Any]


def record_of(seq: int, event: Event) -> LogRecord:
    """The log's view of an event row."""
    return LogRecord(
        seq, event.id, event.at, event.kind, event.subject, event.actor_id, dict(event.payload)
    )


PENDING = "trainclear.log_pending"
"""The session-info key of the events recorded in a transaction and not yet in the log."""


def defer_append(session: Session, event: PendingEvent) -> None:
    """Queue ``event``; :func:`append_pending` inserts the queue and its leaves at commit."""
    session.info.setdefault(PENDING, []).append(event)


@sa_event.listens_for(Session, "before_commit")
def append_pending(session: Session) -> None:
    """Insert a transaction's events and append them to the log in one batch, just
    before it commits.

    Still inside the transaction: the events and their leaves land together or not at
    all; and the log's state row is held only from here to the commit, once per
    transaction rather than once per event. The session is flushed first, so rows the
    events name (a new party as actor) exist.
    """
    pending = session.info.pop(PENDING, None)
    if pending:
        session.flush()
        append_events(session, pending)


@sa_event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(PENDING, None)


def append_events(session: Session, events: Sequence[PendingEvent]) -> None:
    """Insert ``events`` and append them as the next leaves, in the caller's transaction.

    A few statements per batch whatever its size: the state row first (the append
    lock), the event ids, then the event rows, the entries and the new tree nodes in
    bulk (``COPY`` on PostgreSQL, ``executemany`` on SQLite).
    """
    if not events:
        return
    conn = session.connection()
    new_size, frontier = _claim(conn, len(events))
    first = new_size - len(events)
    ids = _event_ids(conn, len(events))
    appender = MerkleAppender(first, _split(frontier))
    nodes: list[tuple[int, bytes]] = []
    for offset, (event, event_id) in enumerate(zip(events, ids, strict=True)):
        record = LogRecord(
            first + offset, event_id, event.at, event.kind, event.subject, event.actor_id,
            dict(event.payload),
        )  # fmt: skip
        for level, index, digest in appender.append(leaf_hash(record.canonical())):
            nodes.append((node_id(level, index), digest))
    writer = _copy_rows if conn.dialect.name == "postgresql" else _execute_many
    writer(conn, _EVENTS, _EVENT_COLUMNS, _event_rows(conn, events, ids))
    entries = list(zip(range(first, new_size), ids, strict=True))
    writer(conn, _ENTRIES, ("seq", "event_id"), entries)
    writer(conn, _NODES, ("id", "hash"), nodes)
    packed = b"".join(appender.frontier)
    conn.execute(_STATE.update().where(_STATE.c.id == 1).values(frontier=packed))


_STATE = cast(Table, LogState.__table__)
_ENTRIES = cast(Table, LogEntry.__table__)
_NODES = cast(Table, LogNode.__table__)
_EVENTS = cast(Table, Event.__table__)
_EVENT_COLUMNS = ("id", "at", "kind", "subject", "actor_id", "payload")


def _event_ids(conn: Connection, count: int) -> list[int]:
    """``count`` fresh event ids, ascending.

    PostgreSQL draws them from the table's own sequence. SQLite gives a new row the
    largest id plus one; this transaction holds the database's write lock since
    :func:`_claim`, so the next ids cannot be taken meanwhile.
    """
    if conn.dialect.name == "postgresql":
        sequence = (
            "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, :n)"
        )
        return sorted(int(v) for v in conn.execute(text(sequence), {"n": count}).scalars())
    last = int(conn.execute(select(func.coalesce(func.max(_EVENTS.c.id), 0))).scalar_one())
    return list(range(last + 1, last + 1 + count))


def _event_rows(
    conn: Connection, events: Sequence[PendingEvent], ids: list[int]
) -> list[tuple[Any, ...]]:
    """The event rows as the table's column types store them (UTC times; JSON text)."""
    store_time = UTCDateTime().process_bind_param  # the column's own: refuses naive times
    return [
        (i, store_time(e.at, conn.dialect), e.kind, e.subject, e.actor_id,
         json.dumps(e.payload))
        for e, i in zip(events, ids, strict=True)
    ]  # fmt: skip


def _execute_many(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` with the driver's ``executemany`` (one prepared statement)."""
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"
    conn.exec_driver_sql(sql, rows)


def _copy_rows(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` with ``COPY … FROM STDIN`` in the connection's transaction."""
    driver = conn.connection.driver_connection
    assert driver is not None
    sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


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
