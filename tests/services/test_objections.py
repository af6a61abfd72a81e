"""Objections and disputes: who may object, in-window exclusion, late objections as opt-outs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.services.conftest import World
from trainclear.clock import FixedClock
from trainclear.domain import DisputeState, NoticeState, ObjectionState, OptOutScope
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.schemas.notices import (
    DisputeCreate,
    DisputeDecision,
    NoticePublic,
    NoticePublish,
    ObjectionCreate,
)
from trainclear.services.disputes import contest_objection, decide_dispute, list_disputes
from trainclear.services.lifecycle import advance_notice
from trainclear.services.notice_views import get_notice
from trainclear.services.notices import publish_notice
from trainclear.services.objections import file_objection, list_objections
from trainclear.services.optouts import list_opt_outs
from trainclear.services.platform import Platform

DAY = timedelta(days=1)


def _open(platform: Platform, world: World) -> NoticePublic:
    draft = world.draft(platform, world.work_a, world.work_b, world.work_shared)
    return publish_notice(platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish())


def _object(platform: Platform, who, notice_id: int, *work_ids: int):  # type: ignore[no-untyped-def]
    data = ObjectionCreate(work_ids=list(work_ids) if work_ids else None)
    return file_objection(platform, actor=who.actor, notice_id=notice_id, data=data)


def test_objection_inside_window_excludes_the_work(platform: Platform, world: World) -> None:
    notice = _open(platform, world)
    [objection] = _object(platform, world.alice, notice.id, world.work_a)
    assert objection.in_window
    assert objection.opt_out_id is None
    excluded = {w.work_id for w in get_notice(platform, notice_id=notice.id).works if w.excluded}
    assert excluded == {world.work_a}


def test_objection_by_a_non_holder_is_refused(platform: Platform, world: World) -> None:
    notice = _open(platform, world)
    with pytest.raises(Forbidden) as err:
        _object(platform, world.alice, notice.id, world.work_b)
    assert err.value.status == 403
    with pytest.raises(Forbidden):
        _object(platform, world.dev, notice.id, world.work_a)


def test_cmo_objects_for_works_under_its_mandate(platform: Platform, world: World) -> None:
    notice = _open(platform, world)
    [objection] = _object(platform, world.cmo, notice.id)
    assert objection.work_id == world.work_b
    with pytest.raises(Forbidden):
        _object(platform, world.cmo, notice.id, world.work_a)


def test_whole_notice_objection_covers_every_work_held(platform: Platform, world: World) -> None:
    notice = _open(platform, world)
    objections = _object(platform, world.bob, notice.id)
    assert {o.work_id for o in objections} == {world.work_b, world.work_shared}


def test_objection_to_an_unlisted_work_is_invalid(platform: Platform, world: World) -> None:
    draft = world.draft(platform, world.work_b)
    notice = publish_notice(
        platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish()
    )
    with pytest.raises(ValidationFailed):
        _object(platform, world.alice, notice.id, world.work_a)


def test_repeating_an_objection_is_idempotent(platform: Platform, world: World) -> None:
    notice = _open(platform, world)
    first = _object(platform, world.alice, notice.id, world.work_a)
    again = _object(platform, world.alice, notice.id, world.work_a)
    assert first == again
    assert get_notice(platform, notice_id=notice.id).objections == 1


def test_objection_after_close_becomes_an_opt_out(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    notice = _open(platform, world)
    clock.advance(31 * DAY)
    assert advance_notice(platform, notice_id=notice.id).state == NoticeState.EFFECTIVE
    [objection] = _object(platform, world.alice, notice.id, world.work_a)
    assert not objection.in_window
    [opt_out] = list_opt_outs(platform, work_id=world.work_a)
    assert opt_out.id == objection.opt_out_id
    assert (opt_out.source, opt_out.scope, opt_out.objection_id) == (
        "objection",
        OptOutScope.WORK,
        objection.id,
    )


def test_draft_notice_takes_no_objections(platform: Platform, world: World) -> None:
    draft = world.draft(platform, world.work_a)
    with pytest.raises(Conflict):
        _object(platform, world.alice, draft.id, world.work_a)


def test_disputed_work_stays_excluded_until_decided(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    notice = _open(platform, world)
    [objection] = _object(platform, world.alice, notice.id, world.work_a)
    dispute = contest_objection(
        platform,
        actor=world.dev.actor,
        data=DisputeCreate(objection_id=objection.id, grounds="Alice is not the author"),
    )
    assert dispute.decide_by == clock.now() + 30 * DAY
    clock.advance(31 * DAY)
    closed = advance_notice(platform, notice_id=notice.id)
    assert closed.state == NoticeState.CLOSED  # a pending dispute holds it back
    assert {w.work_id for w in closed.works if w.excluded} == {world.work_a}
    decide_dispute(
        platform,
        actor=world.admin.actor,
        dispute_id=dispute.id,
        data=DisputeDecision(
            outcome=DisputeState.OBJECTION_DISMISSED, decision="ownership not shown"
        ),
    )
    after = get_notice(platform, notice_id=notice.id)
    assert after.state == NoticeState.EFFECTIVE
    assert not any(w.excluded for w in after.works)


def test_upheld_objection_keeps_the_exclusion(platform: Platform, world: World) -> None:
    notice = _open(platform, world)
    [objection] = _object(platform, world.alice, notice.id, world.work_a)
    dispute = contest_objection(
        platform, actor=world.dev.actor, data=DisputeCreate(objection_id=objection.id, grounds="x")
    )
    decided = decide_dispute(
        platform,
        actor=world.admin.actor,
        dispute_id=dispute.id,
        data=DisputeDecision(outcome=DisputeState.OBJECTION_UPHELD, decision="holder proven"),
    )
    assert decided.state == DisputeState.OBJECTION_UPHELD
    assert next(w.excluded for w in get_notice(platform, notice_id=notice.id).works)


def test_only_the_administration_decides(platform: Platform, world: World) -> None:
    notice = _open(platform, world)
    [objection] = _object(platform, world.alice, notice.id, world.work_a)
    dispute = contest_objection(
        platform, actor=world.dev.actor, data=DisputeCreate(objection_id=objection.id, grounds="x")
    )
    decision = DisputeDecision(outcome=DisputeState.OBJECTION_DISMISSED, decision="no")
    for who in (world.dev, world.alice, world.cmo):
        with pytest.raises(Forbidden):
            decide_dispute(platform, actor=who.actor, dispute_id=dispute.id, data=decision)
    assert list_disputes(platform, state=DisputeState.PENDING)[0].id == dispute.id


def test_contest_after_the_filing_period_is_refused(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    notice = _open(platform, world)
    [objection] = _object(platform, world.alice, notice.id, world.work_a)
    clock.advance(16 * DAY)
    with pytest.raises(ValidationFailed) as err:
        contest_objection(
            platform,
            actor=world.dev.actor,
            data=DisputeCreate(objection_id=objection.id, grounds="x"),
        )
    assert err.value.key == "dispute.late"


def test_dismissed_late_objection_withdraws_its_opt_out(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    notice = _open(platform, world)
    clock.advance(31 * DAY)
    [objection] = _object(platform, world.alice, notice.id, world.work_a)
    dispute = contest_objection(
        platform, actor=world.dev.actor, data=DisputeCreate(objection_id=objection.id, grounds="x")
    )
    decide_dispute(
        platform,
        actor=world.admin.actor,
        dispute_id=dispute.id,
        data=DisputeDecision(outcome=DisputeState.OBJECTION_DISMISSED, decision="no"),
    )
    assert list_opt_outs(platform, work_id=world.work_a) == []
    [kept] = list_opt_outs(platform, work_id=world.work_a, include_withdrawn=True)
    assert kept.withdrawn_by == world.admin.id
    [after] = list_objections(platform, notice_id=notice.id)
    assert after.state == ObjectionState.DISMISSED
