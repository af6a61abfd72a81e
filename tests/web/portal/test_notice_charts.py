"""The notice page's charts: the most used works and objections over the window."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.web.portal.conftest import Browser, World
from trainclear.clock import FixedClock
from trainclear.schemas.notices import NoticeCreate, NoticePublish, NoticeWorkIn, ObjectionCreate
from trainclear.services import notice_charts, notices, objections
from trainclear.services.platform import Platform


def notice_with_usage(platform: Platform, world: World) -> int:
    """Poem 900 characters, Alpha 300, Beta 600: the chart ranks poem, Beta, Alpha."""
    used = {world.poem: 900, world.alpha: 300, world.beta: 600}
    data = NoticeCreate(
        model="Qilin-7B",
        works=[NoticeWorkIn(work_id=w, records=1, characters=c) for w, c in used.items()],
    )
    notice = notices.create_notice(platform, actor=world.dev.actor, data=data)
    notices.publish_notice(
        platform, actor=world.dev.actor, notice_id=notice.id, data=NoticePublish()
    )
    return notice.id


def object_on_days(platform: Platform, world: World, notice_id: int, clock: FixedClock) -> None:
    """Alice objects to the poem on day 2 and Bob to Beta on day 4 of the window."""
    clock.advance(timedelta(days=1))
    objections.file_objection(
        platform,
        actor=world.alice.actor,
        notice_id=notice_id,
        data=ObjectionCreate(work_ids=[world.poem]),
    )
    clock.advance(timedelta(days=2))
    objections.file_objection(
        platform, actor=world.bob.actor, notice_id=notice_id, data=ObjectionCreate()
    )
    clock.advance(timedelta(days=1))


def test_the_read_model_aggregates_in_sql(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    notice_id = notice_with_usage(platform, world)
    object_on_days(platform, world, notice_id, clock)
    charts = notice_charts.notice_charts(platform, notice_id=notice_id, top=2)
    assert [w.work_id for w in charts.top_works] == [world.poem, world.beta]
    assert [(d.filed, d.total) for d in charts.days] == [(0, 0), (1, 1), (0, 1), (1, 2), (0, 2)]
    assert charts.days[0].day == clock.now().date() - timedelta(days=4)


def test_a_draft_has_no_window_to_chart(platform: Platform, world: World) -> None:
    draft = world.notice(platform, world.poem, publish=False)
    charts = notice_charts.notice_charts(platform, notice_id=draft, viewer_id=world.dev.party_id)
    assert charts.days == []
    assert [w.work_id for w in charts.top_works] == [world.poem]


@pytest.mark.parametrize(
    ("lang", "usage", "objected"),
    [
        ("en", "The 3 most used works, by characters", "Objections over the window"),
        ("zh-CN", "使用最多的 3 件作品(按字符数)", "异议期内的异议累计"),
    ],
)
def test_the_notice_page_draws_both_charts(
    browser: Browser,
    platform: Platform,
    world: World,
    clock: FixedClock,
    lang: str,
    usage: str,
    objected: str,
) -> None:
    notice_id = notice_with_usage(platform, world)
    object_on_days(platform, world, notice_id, clock)
    page = browser.get(f"/notices/{notice_id}", params={"lang": lang}).text
    charts = page.split('<section id="charts"', 1)[1].split("</section>", 1)[0]
    assert f'role="img" aria-label="{usage}"' in charts
    assert f'role="img" aria-label="{objected}"' in charts
    bars = [float(b) for b in re.findall(r'<rect class="bar"[^>]*width="([\d.]+)"', charts)]
    assert [b / bars[2] for b in bars] == pytest.approx([3, 2, 1])  # 900, 600, 300 characters
    assert "<polyline" in charts
    filed_rows = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td class=\"num\">1</td>", charts)
    assert len(filed_rows) == 2
    assert "900" in charts
