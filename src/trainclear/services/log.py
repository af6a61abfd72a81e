"""The transparency log in the database: appends in the event's transaction, proofs, heads.

Every platform event becomes leaf ``seq`` of an RFC 6962 / RFC 9162 Merkle tree in the
same transaction as the event row (:func:`append_events`, called by ``record_event``).
Appends take the one ``log_state`` row first (``UPDATE … RETURNING``), so concurrent
transactions append one after the other on SQLite and PostgreSQL alike. Each complete
subtree's hash is stored once (about two rows per leaf), so any inclusion or consistency
proof is O(log n) lookups, fetched in one query. Tree heads are signed with Ed25519 when
asked for and kept, so a head someone holds can later be proven consistent with a newer one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session

from trainclear.errors import NotFound, TrainclearError, ValidationFailed
from trainclear.ledger.entries import LogRecord
from trainclear.ledger.merkle import (
    GetNode,
    NodeRef,
    consistency_path,
    inclusion_path,
    leaf_hash,
    proof_from_store,
    required_nodes,
    root,
    root_from_store,
    subtree,
)
from trainclear.ledger.sth import SignedTreeHead, TreeHead, key_id, sign
from trainclear.services.log_append import node_id, record_of
from trainclear.services.log_keys import signing_key
from trainclear.services.platform import Platform
from trainclear.store.models import Event, LogEntry, LogHead, LogNode, LogState


class LogCorrupted(TrainclearError):
    """The stored log lacks a node it must have: the database was altered."""

    status = 500
    code = "log_corrupted"


def log_size(s: Session) -> int:
    return int(s.scalar(select(LogState.size).where(LogState.id == 1)) or 0)


def current_head(p: Platform) -> SignedTreeHead:
    """The signed head of the log as it is now (a new one is signed when it has grown)."""
    key = signing_key(p.settings)
    with p.db.transaction() as s:
        size = log_size(s)
        last = s.scalars(select(LogHead).order_by(LogHead.id.desc()).limit(1)).first()
        if last is not None and last.tree_size == size:
            return _signed(last)
        root = root_at(s, size)
        head = sign(TreeHead(size, root, p.now(), key_id(key.public_key())), key)
        s.add(_head_row(head))
    return head


def root_at(s: Session, size: int) -> bytes:
    """The root of the first ``size`` leaves, from stored complete subtrees."""
    refs = [subtree(0, size)] if size else []
    return root_from_store(size, _getter(s, refs))


def inclusion_proof(p: Platform, *, seq: int, tree_size: int) -> list[bytes]:
    """The audit path of leaf ``seq`` in the tree of the first ``tree_size`` leaves."""
    if not 0 <= seq < tree_size:
        raise ValidationFailed("log.bad_index", seq=seq, tree_size=tree_size)
    refs = inclusion_path(seq, tree_size)
    return proof_from_store(refs, _proof_nodes(p, tree_size, refs))


def consistency_proof(p: Platform, *, first: int, second: int) -> list[bytes]:
    """The proof that the tree of ``first`` leaves is a prefix of the one of ``second``."""
    if not 0 < first <= second:
        raise ValidationFailed("log.bad_range", first=first, second=second)
    refs = consistency_path(first, second)
    return proof_from_store(refs, _proof_nodes(p, second, refs))


def _proof_nodes(p: Platform, tree_size: int, refs: Sequence[NodeRef]) -> GetNode:
    """The log's size and every node ``refs`` need, in one statement outside a transaction.

    A proof is a read of immutable rows, so one autocommit statement suffices: no
    BEGIN/COMMIT round trips. The statement's text is the same whatever the number of
    nodes (an array on PostgreSQL, a JSON list on SQLite), so each backend prepares it
    once; it is written out rather than built, since building and caching a SQLAlchemy
    statement cost more than the database's work here.
    """
    wanted = {node_id(level, index): (level, index) for level, index in required_nodes(refs)}
    engine = p.db.engine
    postgres = engine.dialect.name == "postgresql"
    ids: object = list(wanted) if postgres else json.dumps(list(wanted))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        rows = conn.exec_driver_sql(_PROOF_SQL[postgres], (ids,)).all()
    found = {wanted[i]: bytes(h) for i, h, _ in rows if i is not None}
    current = next((int(n) for i, _, n in rows if i is None), 0)
    if not 0 < tree_size <= current:
        raise NotFound("not_found", kind="tree size", id=tree_size)
    return _lookup(found)


_PROOF_SQL = {
    True: "SELECT id, hash, NULL::bigint FROM log_nodes WHERE id = ANY(%s::bigint[])"
    " UNION ALL SELECT NULL, NULL, size FROM log_state WHERE id = 1",
    False: "SELECT id, hash, NULL FROM log_nodes WHERE id IN (SELECT value FROM json_each(?))"
    " UNION ALL SELECT NULL, NULL, size FROM log_state WHERE id = 1",
}
"""The proof statement, on PostgreSQL and on SQLite (see :func:`_proof_nodes`)."""


def _lookup(nodes: dict[tuple[int, int], bytes]) -> GetNode:
    def get(level: int, index: int) -> bytes:
        found = nodes.get((level, index))
        if found is None:
            raise LogCorrupted("log.node_missing", level=level, index=index)
        return found

    return get


def entries(p: Platform, *, start: int, end: int) -> list[LogRecord]:
    """Entries ``start`` ≤ seq < ``end`` (at most 1,000), with their events."""
    if end <= start or end - start > 1000 or start < 0:
        raise ValidationFailed("log.bad_range", first=start, second=end)
    with p.db.transaction() as s:
        rows = s.execute(
            select(LogEntry.seq, Event)
            .join(Event, Event.id == LogEntry.event_id)
            .where(LogEntry.seq >= start, LogEntry.seq < end)
            .order_by(LogEntry.seq)
        ).all()
        return [record_of(seq, event) for seq, event in rows]


def heads(p: Platform, *, tree_size: int | None = None) -> list[SignedTreeHead]:
    """Heads issued so far (of one size when given), oldest first."""
    with p.db.transaction() as s:
        stmt = select(LogHead).order_by(LogHead.id)
        if tree_size is not None:
            stmt = stmt.where(LogHead.tree_size == tree_size)
        return [_signed(row) for row in s.scalars(stmt)]


def _getter(s: Session, refs: Sequence[NodeRef]) -> GetNode:
    """A node lookup over every node ``refs`` need, fetched in one query."""
    return _lookup(_nodes(s, required_nodes(refs)))


def _nodes(s: Session, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """Fetch complete-subtree hashes by (level, index), in one query."""
    wanted = {node_id(level, index): (level, index) for level, index in keys}
    if not wanted:
        return {}
    rows = s.execute(select(LogNode.id, LogNode.hash).where(LogNode.id.in_(wanted)))
    return {wanted[i]: bytes(h) for i, h in rows}


def _signed(row: LogHead) -> SignedTreeHead:
    head = TreeHead(row.tree_size, bytes(row.root_hash), row.timestamp, row.key_id)
    return SignedTreeHead(head, bytes(row.signature))


def _head_row(sth: SignedTreeHead) -> LogHead:
    h = sth.head
    return LogHead(
        tree_size=h.tree_size,
        root_hash=h.root_hash,
        timestamp=h.timestamp,
        key_id=h.key_id,
        signature=sth.signature,
    )


def audit_log(p: Platform) -> list[str]:
    """Check the stored log against the events it commits to; the problems found.

    Recomputes every leaf from its event row and compares it with the stored leaf hash,
    checks that sequence numbers run 0…n-1 over every event, and that the recomputed
    leaves hash to the root the latest signed head names. An event altered, removed or
    reordered in the database shows up here (and, for anyone holding a head, in
    :func:`trainclear.ledger.verify.verify_export`).
    """
    with p.db.transaction() as s:
        size = log_size(s)
        stored = dict(s.execute(select(LogNode.id, LogNode.hash).where(LogNode.id < size)).all())
        rows = s.execute(
            select(LogEntry.seq, Event)
            .join(Event, Event.id == LogEntry.event_id)
            .order_by(LogEntry.seq)
        ).all()
        events = int(s.scalar(select(func.count()).select_from(Event)) or 0)
        last = s.scalars(select(LogHead).order_by(LogHead.id.desc()).limit(1)).first()
        head = _signed(last) if last else None
    problems: list[str] = []
    digests: list[bytes] = []
    for expected, (seq, event) in enumerate(rows):
        if seq != expected:
            problems.append(f"entry {expected} is missing (the next stored is {seq})")
            break
        digests.append(leaf_hash(record_of(seq, event).canonical()))
        if bytes(stored.get(seq, b"")) != digests[-1]:
            problems.append(f"entry {seq} (event {event.id}) does not match its stored leaf hash")
    if len(rows) != size or events != size:
        problems.append(
            f"the log holds {len(rows)} entries for {events} events; its size is {size}"
        )
    if head is not None and root(digests[: head.head.tree_size]) != head.head.root_hash:
        problems.append(
            f"the entries no longer hash to the signed head of size {head.head.tree_size}"
        )
    return problems


def export_log(p: Platform, folder: Path) -> SignedTreeHead:
    """Write ``entries.jsonl`` (canonical bytes, one per line), ``head.json`` and ``key.pub``.

    The head is signed first and the export holds exactly its ``tree_size`` entries.
    """
    from trainclear.ledger.sth import public_key_bytes
    from trainclear.ledger.verify import ENTRIES, HEAD

    head = current_head(p)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ENTRIES, "wb") as out:
        for start in range(0, head.head.tree_size, 1000):
            end = min(start + 1000, head.head.tree_size)
            for record in entries(p, start=start, end=end):
                out.write(record.canonical() + b"\n")
    (folder / HEAD).write_text(json.dumps(head.to_dict(), indent=2) + "\n", encoding="utf-8")
    key = signing_key(p.settings).public_key()
    (folder / "key.pub").write_text(public_key_bytes(key).hex() + "\n", encoding="ascii")
    return head
