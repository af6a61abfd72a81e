"""The transparency log in the database: appends, proofs, heads, tampering, export."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update

from tests.services.conftest import World
from trainclear.clock import FixedClock
from trainclear.errors import TrainclearError
from trainclear.ledger.merkle import leaf_hash, root, verify_consistency, verify_inclusion
from trainclear.ledger.sth import load_public_key, verify
from trainclear.ledger.verify import ENTRIES, LogVerificationError, verify_entry, verify_export
from trainclear.schemas.notices import NoticePublish, ObjectionCreate
from trainclear.schemas.works import WorkCreate
from trainclear.services import log
from trainclear.services.log_keys import signing_key
from trainclear.services.notices import publish_notice
from trainclear.services.objections import file_objection
from trainclear.services.platform import Platform, record_event
from trainclear.services.works import register_work
from trainclear.settings import Settings
from trainclear.store.models import Event, LogEntry


def _leaves(p: Platform) -> list[bytes]:
    size = log.current_head(p).head.tree_size
    return [leaf_hash(r.canonical()) for r in log.entries(p, start=0, end=size)]


def test_every_event_is_a_leaf_and_the_signed_head_covers_them(
    platform: Platform, world: World
) -> None:
    head = log.current_head(platform)
    with platform.db.transaction() as s:
        events = s.query(Event).count()
    assert head.head.tree_size == events > 0
    verify(head, signing_key(platform.settings).public_key())
    assert root(_leaves(platform)) == head.head.root_hash
    assert log.current_head(platform) == head  # no growth, no new head
    assert log.audit_log(platform) == []


def test_inclusion_and_consistency_proofs_from_the_store_verify(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    first = log.current_head(platform)
    for i in range(5):
        register_work(platform, actor=world.alice.actor, data=WorkCreate(title=f"w{i}", text="x"))
    second = log.current_head(platform)
    leaves = _leaves(platform)
    for seq in range(second.head.tree_size):
        proof = log.inclusion_proof(platform, seq=seq, tree_size=second.head.tree_size)
        verify_inclusion(leaves[seq], seq, second.head.tree_size, proof, second.head.root_hash)
    m, n = first.head.tree_size, second.head.tree_size
    proof = log.consistency_proof(platform, first=m, second=n)
    verify_consistency(m, n, proof, first.head.root_hash, second.head.root_hash)
    assert [h.head.tree_size for h in log.heads(platform)] == [m, n]


def test_a_rolled_back_transaction_leaves_no_leaf(platform: Platform, world: World) -> None:
    before = log.current_head(platform).head.tree_size
    with pytest.raises(TrainclearError):
        register_work(platform, actor=world.cmo.actor, data=WorkCreate(title="not mine", text="x"))
    assert log.current_head(platform).head.tree_size == before
    assert log.audit_log(platform) == []


@pytest.mark.parametrize("how", ["alter", "remove", "reorder"])
def test_tampering_with_stored_events_is_detected(
    platform: Platform, world: World, how: str
) -> None:
    log.current_head(platform)
    with platform.db.transaction() as s:
        ids = [e.id for e in s.query(Event).order_by(Event.id)]
        if how == "alter":
            s.execute(update(Event).where(Event.id == ids[1]).values(subject="work:999"))
        elif how == "remove":
            s.execute(delete(LogEntry).where(LogEntry.event_id == ids[-1]))
            s.execute(delete(Event).where(Event.id == ids[-1]))
        else:  # the two events trade places: each row takes the other's content
            first, second = (s.get(Event, i) for i in ids[:2])
            assert first is not None
            assert second is not None
            columns = ("at", "kind", "subject", "actor_id", "payload")
            values = [{c: getattr(e, c) for c in columns} for e in (first, second)]
            s.execute(update(Event).where(Event.id == ids[0]).values(**values[1]))
            s.execute(update(Event).where(Event.id == ids[1]).values(**values[0]))
    assert log.audit_log(platform)


def test_a_holder_with_only_a_signed_head_verifies_an_entry(
    platform: Platform, world: World
) -> None:
    head = log.current_head(platform)
    seq = head.head.tree_size - 1
    [record] = log.entries(platform, start=seq, end=seq + 1)
    proof = log.inclusion_proof(platform, seq=seq, tree_size=head.head.tree_size)
    key = signing_key(platform.settings).public_key()
    assert verify_entry(record.canonical(), seq, proof, head, key).event_id == record.event_id
    forged = record.canonical().replace(b'"kind":"', b'"kind":"x')
    with pytest.raises(LogVerificationError):
        verify_entry(forged, seq, proof, head, key)


def test_export_verifies_offline_and_any_edit_is_caught(
    platform: Platform, world: World, tmp_path: Path
) -> None:
    head = log.export_log(platform, tmp_path / "log")
    key = load_public_key(bytes.fromhex((tmp_path / "log" / "key.pub").read_text().strip()))
    assert verify_export(tmp_path / "log", key).tree_size == head.head.tree_size
    lines = (tmp_path / "log" / ENTRIES).read_bytes().splitlines(keepends=True)
    edits = {
        "swap": [lines[1], lines[0], *lines[2:]],
        "drop": lines[:-1],
        "alter": [lines[0].replace(b'"v":1', b'"v":1 '), *lines[1:]],
    }
    for name, edited in edits.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / ENTRIES).write_bytes(b"".join(edited))
        with pytest.raises(LogVerificationError):
            verify_export(tmp_path / name, key, head)


def test_no_signing_key_is_made_outside_local_mode(platform: Platform, tmp_path: Path) -> None:
    home = tmp_path / "production"
    settings = Settings(home=home, mode="production", database_url="sqlite://")
    with pytest.raises(TrainclearError) as caught:
        signing_key(settings)
    assert "TRAINCLEAR_LOG_KEY_FILE" in str(caught.value)
    assert not home.exists()


def test_the_objection_preceded_the_filter_run_provably(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    """Only the head, two entries and their proofs: no trust in the operator needed."""
    notice = world.draft(platform, world.work_a)
    publish_notice(platform, actor=world.dev.actor, notice_id=notice.id, data=NoticePublish())
    file_objection(platform, actor=world.alice.actor, notice_id=notice.id, data=ObjectionCreate())
    clock.advance(timedelta(days=31))
    with platform.db.transaction() as s:  # a filter run recorded by the developer, later
        record_event(s, at=clock.now(), kind="filter.run", subject="run:1", actor=world.dev.actor)
    head = log.current_head(platform)  # the rights holder keeps this (published, signed)
    key = signing_key(platform.settings).public_key()
    everything = log.entries(platform, start=0, end=head.head.tree_size)
    objection = next(r for r in everything if r.kind == "objection.filed")
    run = next(r for r in everything if r.kind == "filter.run")
    proven = []
    for record in (objection, run):
        proof = log.inclusion_proof(platform, seq=record.seq, tree_size=head.head.tree_size)
        proven.append(verify_entry(record.canonical(), record.seq, proof, head, key))
    assert proven[0].seq < proven[1].seq
    assert proven[0].at < proven[1].at
    assert json.loads(objection.canonical())["subject"] == objection.subject


def test_sqlite_and_postgres_serialise_appends_on_the_state_row(platform: Platform) -> None:
    with platform.db.transaction() as s:
        size = s.execute(text("SELECT size FROM log_state WHERE id = 1")).scalar_one()
    assert size == log.current_head(platform).head.tree_size


def test_a_transactions_events_land_in_order_as_they_were_hashed(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    """Events recorded together get ascending ids in log order, and the stored rows,
    read back, hash to the leaves appended for them (times, JSON and actors included)."""
    before = log.current_head(platform).head.tree_size
    payloads = [{"n": i, "名": "作品", "nested": {"b": [1, 2.5, None]}} for i in range(30)]
    with platform.db.transaction() as s:
        for i, payload in enumerate(payloads):
            actor = world.alice.actor if i % 2 else None
            at = clock.now() + timedelta(microseconds=i)
            record_event(s, at=at, kind="test.batch", subject=f"t:{i}", actor=actor,
                         payload=payload)  # fmt: skip
    after = log.current_head(platform).head.tree_size
    assert after == before + len(payloads)
    records = log.entries(platform, start=before, end=after)
    assert [r.payload for r in records] == payloads
    assert [r.subject for r in records] == [f"t:{i}" for i in range(30)]
    ids = [r.event_id for r in records]
    assert ids == sorted(ids)
    assert records[1].actor_id == world.alice.id
    assert records[0].actor_id is None
    assert root(_leaves(platform)) == log.current_head(platform).head.root_hash
    assert log.audit_log(platform) == []


def test_a_naive_event_time_is_refused_and_nothing_lands(platform: Platform) -> None:
    before = log.current_head(platform).head.tree_size
    with pytest.raises(ValueError, match="naive"), platform.db.transaction() as s:
        record_event(s, at=datetime(2026, 1, 1), kind="test.naive", subject="t", actor=None)
    assert log.current_head(platform).head.tree_size == before
    with platform.db.transaction() as s:
        assert s.query(Event).filter(Event.kind == "test.naive").count() == 0
