"""The notice lifecycle: windows, publication, amendment, withdrawal, transitions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MakeParty
from tests.services.conftest import World
from trainclear.clock import FixedClock
from trainclear.domain import NoticeState, PartyKind
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.schemas.notices import NoticeAmend, NoticePublish, NoticeWorkIn
from trainclear.services.lifecycle import advance_notice
from trainclear.services.notices import amend_notice, publish_notice, withdraw_notice
from trainclear.services.platform import Platform
from trainclear.services.windows import check_window, minimum_window

DAY = timedelta(days=1)


def test_default_window_is_the_legal_minimum(platform: Platform, world: World) -> None:
    draft = world.draft(platform, world.work_a)
    notice = publish_notice(
        platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish()
    )
    assert notice.state == NoticeState.OPEN
    assert notice.window_end - notice.window_start == 30 * DAY
    assert all(w.window_end == notice.window_end for w in notice.works)


@pytest.mark.parametrize("days", [0, 1, 29, 29.99])
def test_window_shorter_than_30_days_is_refused(
    platform: Platform, world: World, clock: FixedClock, days: float
) -> None:
    draft = world.draft(platform, world.work_a)
    end = clock.now() + timedelta(days=days)
    with pytest.raises(ValidationFailed) as err:
        publish_notice(
            platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish(window_end=end)
        )
    assert err.value.key == "notice.window_too_short"
    assert "30" in err.value.message("en")
    assert "30" in err.value.message("zh-CN")


@given(extra=st.integers(min_value=0, max_value=10**7))
@settings(max_examples=50)
def test_windows_at_or_above_the_minimum_are_accepted(extra: int) -> None:
    start = FixedClock().now()
    check_window(start, start + minimum_window(start) + timedelta(seconds=extra))


def test_window_may_not_start_in_the_past(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    draft = world.draft(platform, world.work_a)
    with pytest.raises(ValidationFailed):
        publish_notice(
            platform,
            actor=world.dev.actor,
            notice_id=draft.id,
            data=NoticePublish(window_start=clock.now() - DAY),
        )


def test_only_the_owner_publishes(platform: Platform, world: World, make_party: MakeParty) -> None:
    other = make_party(PartyKind.DEVELOPER, "Other")
    draft = world.draft(platform, world.work_a)
    with pytest.raises(Forbidden):
        publish_notice(platform, actor=other.actor, notice_id=draft.id, data=NoticePublish())


def test_published_notice_cannot_be_published_again(platform: Platform, world: World) -> None:
    draft = world.draft(platform, world.work_a)
    publish_notice(platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish())
    with pytest.raises(Conflict):
        publish_notice(platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish())


def test_amendment_gives_a_full_window_only_to_added_works(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    draft = world.draft(platform, world.work_a)
    v1 = publish_notice(platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish())
    clock.advance(20 * DAY)
    v2 = amend_notice(
        platform,
        actor=world.dev.actor,
        notice_id=v1.id,
        data=NoticeAmend(add_works=[NoticeWorkIn(work_id=world.work_b)]),
    )
    by_work = {w.work_id: w for w in v2.works}
    assert v2.version == 2
    assert v2.series_id == v1.series_id
    assert by_work[world.work_a].window_end == v1.window_end
    assert by_work[world.work_a].added_in_version == 1
    assert by_work[world.work_b].window_start == clock.now()
    assert by_work[world.work_b].window_end == clock.now() + 30 * DAY
    assert v2.window_end == clock.now() + 30 * DAY
    with pytest.raises(Conflict):
        publish_notice(platform, actor=world.dev.actor, notice_id=v1.id, data=NoticePublish())


def test_amendment_refuses_a_short_window_for_added_works(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    draft = world.draft(platform, world.work_a)
    v1 = publish_notice(platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish())
    with pytest.raises(ValidationFailed):
        amend_notice(
            platform,
            actor=world.dev.actor,
            notice_id=v1.id,
            data=NoticeAmend(
                add_works=[NoticeWorkIn(work_id=world.work_b)], window_end=clock.now() + 5 * DAY
            ),
        )


def test_window_closes_and_becomes_effective(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    draft = world.draft(platform, world.work_a)
    notice = publish_notice(
        platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish()
    )
    clock.advance(30 * DAY - timedelta(seconds=1))
    assert advance_notice(platform, notice_id=notice.id).state == NoticeState.OPEN
    clock.advance(timedelta(seconds=1))
    after = advance_notice(platform, notice_id=notice.id)
    assert after.state == NoticeState.EFFECTIVE
    assert after.closed_at == clock.now()


def test_withdrawn_notice_stays_withdrawn(platform: Platform, world: World) -> None:
    draft = world.draft(platform, world.work_a)
    notice = publish_notice(
        platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish()
    )
    assert (
        withdraw_notice(platform, actor=world.dev.actor, notice_id=notice.id).state == "withdrawn"
    )
    with pytest.raises(Conflict):
        withdraw_notice(platform, actor=world.dev.actor, notice_id=notice.id)
