"""The public board and the notice page, over HTTP (no browser)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.web.portal.conftest import Browser, World
from trainclear.clock import FixedClock
from trainclear.domain import Purpose
from trainclear.schemas.notices import NoticeCreate, NoticePublish, NoticeWorkIn, ObjectionCreate
from trainclear.schemas.works import WorkCreate
from trainclear.services import notices, objections, works
from trainclear.services.platform import Platform


def _notice_links(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td><a href="/notices/(\d+)">', html)]


def test_board_lists_published_notices_newest_first(
    browser: Browser, platform: Platform, world: World
) -> None:
    first = world.notice(platform, world.poem)
    draft = world.notice(platform, world.beta, publish=False)
    second = world.notice(platform, world.beta)
    page = browser.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert _notice_links(page.text) == [second, first]
    assert draft not in _notice_links(page.text)
    assert '<html lang="zh-CN">' in page.text
    assert "异议期中" in page.text


@pytest.mark.parametrize(
    ("params", "expect"),
    [
        ({"work": "山居"}, "poem"),
        ({"work": "9780306406157"}, "poem"),
        ({"q": "秋暝"}, "poem"),
        ({"holder": "bob"}, "beta"),
        ({"q": "Bob Li"}, "beta"),
        ({"developer": "otherco"}, "rival"),
        ({"q": "OtherCo"}, "rival"),
        ({"purpose": "ai_training"}, "rival"),
        ({"state": "closed"}, "none"),
        ({"work": "100%_"}, "none"),
    ],
)
def test_board_search(
    browser: Browser, platform: Platform, world: World, params: dict[str, str], expect: str
) -> None:
    poem = world.notice(platform, world.poem)
    beta = world.notice(platform, world.beta)
    rival = notices.create_notice(
        platform,
        actor=world.rival.actor,
        data=NoticeCreate(
            model="R-1", purpose=Purpose.AI_TRAINING, works=[NoticeWorkIn(work_id=world.alpha)]
        ),
    ).id
    notices.publish_notice(platform, actor=world.rival.actor, notice_id=rival, data=NoticePublish())
    found = _notice_links(browser.get("/", params=params).text)
    assert found == {"poem": [poem], "beta": [beta], "rival": [rival], "none": []}[expect]


def test_board_pages_twenty_at_a_time(browser: Browser, platform: Platform, world: World) -> None:
    ids = [world.notice(platform, world.alpha) for _ in range(23)]
    first = browser.get("/")
    assert _notice_links(first.text) == ids[::-1][:20]
    assert "第 1 / 2 页(共 23 条)" in first.text
    second = browser.get("/", params={"page": 2})
    assert _notice_links(second.text) == ids[::-1][20:]
    assert 'rel="prev"' in second.text
    assert browser.get("/", params={"page": 0}).status_code == 422


def test_notice_page_shows_what_a_holder_needs(
    browser: Browser, platform: Platform, world: World, clock: FixedClock
) -> None:
    nid = world.notice(platform, world.poem, world.beta)
    clock.advance(timedelta(days=3, hours=5))
    objections.file_objection(
        platform, actor=world.alice.actor, notice_id=nid, data=ObjectionCreate()
    )
    html = browser.get(f"/notices/{nid}", params={"lang": "en"}).text
    assert "ModelCo" in html
    assert "Qilin-7B" in html
    assert "26 days 19 hours left" in html
    assert "CNY 0.05 per 1,000 characters (text tariff T-2026)" in html
    assert re.search(r'id="objections-count">1<', html)
    assert "2 listed, 1 excluded by objections" in html
    assert "isbn:9780306406157" in html
    assert html.count('class="state state-excluded"') == 1
    seqs = re.findall(r"/v1/log/proofs/inclusion\?seq=(\d+)&amp;tree_size=(\d+)", html)
    assert len(seqs) == 2  # drafted, published
    for seq, size in seqs:
        proof = browser.get(f"/v1/log/proofs/inclusion?seq={seq}&tree_size={size}")
        assert proof.status_code == 200
        entry = browser.get(f"/v1/log/entries?start={seq}&end={int(seq) + 1}").json()
        assert entry[0]["entry"]["subject"] == f"notice:{nid}"


def test_notice_page_pages_and_filters_its_works(
    browser: Browser, platform: Platform, world: World
) -> None:
    many = [
        works.register_work(
            platform,
            actor=world.bob.actor,
            data=WorkCreate(
                title=f"Essay {i:03}", identifiers=[{"scheme": "doi", "value": f"10.1000/e{i}"}]
            ),
        ).id
        for i in range(120)
    ]
    nid = world.notice(platform, world.poem, *many)
    first = browser.get(f"/notices/{nid}", params={"lang": "en"}).text
    assert "Works (121)" in first
    assert first.count("<td>Essay ") == 99
    assert "Page 1 of 2 (121 in all)" in first
    second = browser.get(f"/notices/{nid}", params={"page": 2}).text
    assert second.count("<td>Essay ") == 21
    found = browser.get(f"/notices/{nid}", params={"work": "essay 11", "lang": "en"}).text
    assert "Works (10)" in found  # Essay 110 to 119
    filtered = {"work": "essay", "page": 2, "lang": "en"}
    deep = browser.get(f"/notices/{nid}", params=filtered).text
    assert "Page 2 of 2 (120 in all)" in deep
    assert deep.count("<td>Essay ") == 20
    assert "Essay 100" in deep
    assert "Essay 099" not in deep
    by_doi = browser.get(f"/notices/{nid}", params={"work": "10.1000/e42"}).text
    assert "Essay 042" in by_doi
    assert "Essay 043" not in by_doi


def test_drafts_are_only_for_their_developer(
    browser: Browser, platform: Platform, world: World
) -> None:
    draft = world.notice(platform, world.poem, publish=False)
    missing = browser.get(f"/notices/{draft}", params={"lang": "en"})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert f"notice {draft} not found" in missing.text
    assert f"未找到公告 {draft}" in missing.text
    browser.sign_in(world.dev)
    mine = browser.get(f"/notices/{draft}", params={"lang": "en"})
    assert mine.status_code == 200
    assert "Publish and open the window" in mine.text


def test_unknown_pages_are_html_and_the_api_keeps_json(browser: Browser) -> None:
    page = browser.get("/nowhere")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "不存在接口 GET /nowhere" in page.text
    api = browser.get("/v1/nowhere")
    assert api.status_code == 404
    assert api.json()["error"]["key"] == "web.route_not_found"
    bad = browser.get("/notices/abc")
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("text/html")
