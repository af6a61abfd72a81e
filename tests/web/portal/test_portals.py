"""The portals over HTTP: each form does its use case through the services, and each
party reaches only its own data."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image

from tests.web.portal.conftest import Browser, World
from trainclear.clock import FixedClock
from trainclear.domain import OptOutScope, PartyKind
from trainclear.schemas.notices import DisputeCreate, ObjectionCreate
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.works import WorkCreate
from trainclear.services import disputes, notices, objections, optouts, works
from trainclear.services.platform import Platform


def _flash(html: str) -> str:
    found = re.search(r'<p class="flash" role="status">([^<]*)</p>', html)
    return found.group(1) if found else ""


def _alert(html: str) -> str:
    found = re.search(r'role="alert"[^>]*>.*?<p>([^<]*)</p>', html, re.S)
    return found.group(1) if found else ""


# --- sign up, in and out --------------------------------------------------------------


def test_sign_up_signs_in_and_lands_in_the_portal(browser: Browser) -> None:
    form = {
        "kind": "developer",
        "name": "ModelCo",
        "email": "data@modelco.example",
        "password": "a long enough secret",
        "password_again": "a long enough secret",
    }
    page = browser.submit("/sign-up", form)
    assert page.status_code == 200
    assert str(page.url).endswith("/developer/notices")
    assert _flash(page.text) == "账户已创建,您已登录。"
    assert "ModelCo" in page.text
    signed_out = browser.submit("/sign-out", page="/developer/notices")
    assert str(signed_out.url).endswith("/")
    assert _flash(signed_out.text) == "已退出登录。"
    assert browser.get("/developer/notices").url.path == "/sign-in"


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"password_again": "something else"}, 422, "the two passwords differ"),
        ({"kind": "administration"}, 403, "only rights holders and developers sign up"),
        ({"email": "nope"}, 422, "'nope' is not an e-mail address"),
        ({"name": ""}, 422, "name: String should have at least 1 character"),
    ],
)
def test_sign_up_errors_keep_the_form(
    browser: Browser, change: dict[str, str], status: int, message: str
) -> None:
    form = {
        "kind": "rights_holder",
        "name": "Alice",
        "email": "alice@example.org",
        "password": "a long enough secret",
        "password_again": "a long enough secret",
        **change,
    }
    page = browser.submit("/sign-up?lang=en", form, page="/sign-up?lang=en")
    assert page.status_code == status
    assert _alert(page.text).startswith(message.replace("'", "&#39;"))
    assert 'value="Alice"' in page.text or change.get("name") == ""


def test_sign_in_failures_are_explained_and_limited(browser: Browser, world: World) -> None:
    wrong = {"email": world.alice.email, "password": "not the password"}
    for _ in range(5):
        page = browser.submit("/sign-in", wrong)
        assert page.status_code == 401
        assert _alert(page.text) == "电子邮件地址或密码错误"
    limited = browser.submit(
        "/sign-in", {"email": world.alice.email, "password": world.alice.password}
    )
    assert limited.status_code == 429
    assert _alert(limited.text) == "登录失败次数过多;请在 15 分钟后重试"


def test_sign_in_returns_to_the_page_asked_for(browser: Browser, world: World) -> None:
    asked = browser.get("/holder/opt-outs")
    assert asked.url.path == "/sign-in"
    assert _flash(asked.text) == "请登录后查看该页面。"
    assert 'name="next" value="/holder/opt-outs"' in asked.text
    page = browser.submit(
        "/sign-in",
        {"email": world.alice.email, "password": world.alice.password, "next": "/holder/opt-outs"},
    )
    assert page.url.path == "/holder/opt-outs"
    evil = browser.submit(
        "/sign-in",
        {"email": world.alice.email, "password": world.alice.password, "next": "//evil.example/x"},
    )
    assert evil.url.path == "/holder/works"
    assert evil.url.host == "testserver"


def test_account_page_shows_the_party_number(browser: Browser, world: World) -> None:
    browser.sign_in(world.bob)
    page = browser.get("/account", params={"lang": "en"})
    assert f"<strong>{world.bob.party_id}</strong>" in page.text
    assert world.bob.email in page.text


# --- roles and ownership ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("alice", "/developer/notices"),
        ("alice", "/admin/disputes"),
        ("dev", "/holder/works"),
        ("dev", "/admin/notices"),
        ("admin", "/holder/opt-outs"),
        ("admin", "/developer/objections"),
    ],
)
def test_pages_of_another_role_are_forbidden(
    browser: Browser, world: World, who: str, url: str
) -> None:
    browser.sign_in(getattr(world, who))
    page = browser.get(url, params={"lang": "en"})
    assert page.status_code == 403
    assert "only a" in page.text


def test_nobody_acts_on_another_partys_records(
    browser: Browser, platform: Platform, world: World
) -> None:
    opt_out = optouts.declare_opt_out(
        platform, actor=world.alice.actor, data=OptOutCreate(scope=OptOutScope.HOLDER)
    )
    draft = world.notice(platform, world.poem, publish=False)
    browser.sign_in(world.bob)
    taken = browser.submit(f"/holder/opt-outs/{opt_out.id}/withdraw", page="/holder/opt-outs")
    assert taken.status_code == 403
    assert "只有声明选择退出" in taken.text
    assert (
        f'action="/holder/opt-outs/{opt_out.id}/withdraw"'
        not in browser.get("/holder/opt-outs").text
    )
    browser.sign_in(world.rival)
    publish = browser.submit(f"/developer/notices/{draft}/publish", page="/developer/notices")
    assert publish.status_code == 403
    assert browser.get(f"/notices/{draft}").status_code == 404


# --- rights holder ----------------------------------------------------------------------


def _png() -> bytes:
    image = Image.new("RGB", (64, 64), "white")
    for x in range(32):
        for y in range(64):
            image.putpixel((x, y), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_holder_registers_text_image_and_shared_works(
    browser: Browser, platform: Platform, world: World
) -> None:
    browser.sign_in(world.alice)
    pasted = browser.submit(
        "/holder/works/new",
        {
            "title": "春晓",
            "type": "text",
            "text": "春眠不觉晓,处处闻啼鸟。" * 5,
            "scheme": ["isbn", "", ""],
            "identifier": ["978-7-02-000220-7", "", ""],
        },
    )
    assert pasted.status_code == 200
    assert pasted.url.path == "/holder/works"
    uploaded = browser.client.post(
        "/holder/works/new",
        data={
            "title": "Shared essay",
            "type": "text",
            "my_share": "1/2",
            "co_holder": [str(world.bob.party_id)],
            "co_share": ["50%"],
            "csrf_token": browser.token("/holder/works/new"),
        },
        files={"text_file": ("essay.txt", "\ufeffAn essay we wrote together.".encode())},
    )
    assert uploaded.status_code == 200, uploaded.text
    image = browser.client.post(
        "/holder/works/new",
        data={
            "title": "Red square",
            "type": "image",
            "csrf_token": browser.token("/holder/works/new"),
        },
        files={"image_file": ("red.png", _png(), "image/png")},
    )
    assert image.status_code == 200, image.text
    mine = {w.title: w for w in works.list_works(platform, holder_id=world.alice.party_id)}
    assert mine["春晓"].identifiers[0].value == "9787020002207"
    assert mine["春晓"].fingerprint is not None
    assert mine["Shared essay"].characters == len("An essay we wrote together.")
    assert {(h.holder_id, h.share) for h in mine["Shared essay"].holders} == {
        (world.alice.party_id, "1/2"),
        (world.bob.party_id, "1/2"),
    }
    assert mine["Red square"].image_hash
    assert "Red square" in image.text
    assert world.bob.party_id in {
        h.holder_id
        for w in works.list_works(platform, holder_id=world.bob.party_id)
        for h in w.holders
    }


@pytest.mark.parametrize(
    ("form", "files", "status", "message"),
    [
        ({"title": "", "text": "x"}, None, 422, "title: String should have at least 1 character"),
        ({"title": "T", "my_share": "1/2"}, None, 422, "holder shares must sum to exactly 1"),
        ({"title": "T"}, None, 422, "a text, code or image work needs its content"),
        (
            {"title": "T"},
            {"text_file": ("a.txt", b"\xff\xfe\x00bad")},
            422,
            "text_file: the file is not UTF-8 text",
        ),
        (
            {"title": "T", "scheme": ["isbn"], "identifier": ["123"]},
            None,
            422,
            "'123' is not a valid isbn",
        ),
    ],
)
def test_work_form_errors_are_shown_on_the_form(
    browser: Browser,
    world: World,
    form: dict[str, object],
    files: dict[str, tuple[str, bytes]] | None,
    status: int,
    message: str,
) -> None:
    browser.sign_in(world.alice)
    page = browser.client.post(
        "/holder/works/new?lang=en",
        data={"type": "text", **form, "csrf_token": browser.token("/holder/works/new")},
        files=files,
    )
    assert page.status_code == status
    assert _alert(page.text).startswith(message.replace("'", "&#39;")), _alert(page.text)
    assert '<form method="post" action="/holder/works/new"' in page.text


def test_holder_declares_and_withdraws_opt_outs(
    browser: Browser, platform: Platform, world: World
) -> None:
    browser.sign_in(world.alice)
    page = browser.submit(
        "/holder/opt-outs",
        {
            "scope": "work",
            "work_id": str(world.poem),
            "target": "ignored",
            "purpose": "generative_ai_training",
        },
    )
    assert _flash(page.text).startswith("选择退出 ")
    domain = browser.submit(
        "/holder/opt-outs", {"scope": "domain", "target": "Example.COM.", "work_id": ""}
    )
    assert domain.status_code == 200
    bad = browser.submit(
        "/holder/opt-outs?lang=en",
        {"scope": "domain", "target": "not a domain"},
        page="/holder/opt-outs",
    )
    assert bad.status_code == 422
    assert _alert(bad.text) == "target: not a domain name"
    browser.get("/lang/zh-CN")  # ?lang=en was remembered; back to Chinese
    others = browser.submit("/holder/opt-outs", {"scope": "work", "work_id": str(world.beta)})
    assert others.status_code == 403
    rows = optouts.list_opt_outs(platform, declared_by=world.alice.party_id)
    assert {(r.scope, r.work_id, r.target) for r in rows} == {
        ("work", world.poem, None),
        ("domain", None, "example.com"),
    }
    first = min(r.id for r in rows)
    withdrawn = browser.submit(f"/holder/opt-outs/{first}/withdraw", page="/holder/opt-outs")
    assert _flash(withdrawn.text) == f"选择退出 {first} 已撤回。"
    assert "已于 2026-03-02 09:00 UTC 撤回" in withdrawn.text
    again = browser.submit(f"/holder/opt-outs/{first}/withdraw", page="/holder/opt-outs")
    assert again.status_code == 409


def test_holder_finds_notices_and_objects(
    browser: Browser, platform: Platform, world: World
) -> None:
    using = world.notice(platform, world.poem, world.alpha, world.beta)
    world.notice(platform, world.beta)
    browser.sign_in(world.alice)
    mine = browser.get("/holder/notices")
    assert re.findall(r'<td><a href="/notices/(\d+)">', mine.text) == [str(using)]
    notice = browser.get(f"/notices/{using}")
    assert "提出异议(您持有其中 2 件作品)" in notice.text
    form = browser.get(f"/notices/{using}/object")
    assert f'value="{world.poem}"' in form.text
    assert f'value="{world.beta}"' not in form.text
    none_chosen = browser.submit(f"/notices/{using}/object", {"choice": "chosen"})
    assert none_chosen.status_code == 422
    assert _alert(none_chosen.text) == "请至少选择一件作品,或对整个公告提出异议"
    chosen = browser.submit(
        f"/notices/{using}/object",
        {"choice": "chosen", "work_id": [str(world.poem)], "reason": "不同意"},
    )
    assert _flash(chosen.text) == "您的异议已记录(涉及 1 件作品)。"
    assert re.search(r'id="objections-count">1<', chosen.text)
    whole = browser.submit(f"/notices/{using}/object", {"choice": "all"})
    assert _flash(whole.text) == "您的异议已记录(涉及 2 件作品)。"
    listed = browser.get("/holder/objections")
    assert listed.text.count("异议期内:排除该作品") == 2


def test_a_holder_cannot_object_to_another_holders_work(
    browser: Browser, platform: Platform, world: World
) -> None:
    shared = world.notice(platform, world.poem, world.beta)
    only_bob = world.notice(platform, world.beta)
    browser.sign_in(world.alice)
    crafted = browser.submit(
        f"/notices/{shared}/object?lang=en",
        {"choice": "chosen", "work_id": [str(world.beta)]},
        page=f"/notices/{shared}/object",
    )
    assert crafted.status_code == 403
    assert _alert(crafted.text) == (
        f"party {world.alice.party_id} is neither a holder of work {world.beta} "
        "nor the CMO holding its mandate"
    )
    nothing = browser.get(f"/notices/{only_bob}/object", params={"lang": "en"})
    assert nothing.status_code == 403
    assert f"you hold none of the works listed in notice {only_bob}" in nothing.text
    assert "Object (you hold" not in browser.get(f"/notices/{only_bob}", params={"lang": "en"}).text
    assert objections.list_objections(platform, objector_id=world.alice.party_id) == []


# --- developer --------------------------------------------------------------------------


def test_developer_drafts_from_a_scan_report_and_publishes(
    browser: Browser, platform: Platform, world: World, clock: FixedClock
) -> None:
    browser.sign_in(world.dev)
    report = {
        "format": "trainclear-scan-report",
        "snapshot_id": "ab" * 32,
        "works": [{"work_id": world.poem, "records": 4, "characters": 1200}],
    }
    page = browser.client.post(
        "/developer/notices/new",
        data={
            "model": "Qilin-7B",
            "purpose": "generative_ai_training",
            "work_ids": f"{world.beta}, {world.poem}",
            "remuneration": "CNY 0.05 / 1,000 characters",
            "csrf_token": browser.token("/developer/notices/new"),
        },
        files={
            "scan_report": ("scan-report.json", json.dumps(report).encode(), "application/json")
        },
    )
    assert page.status_code == 200, page.text
    nid = int(page.url.path.rsplit("/", 1)[1])
    assert "草稿" in page.text
    assert "1,200" in page.text  # the characters the report measured
    bad = browser.submit(
        f"/developer/notices/{nid}/publish?lang=en", {"days": "29"}, page=f"/notices/{nid}"
    )
    assert bad.status_code == 422
    assert "at least 30 days" in bad.text
    browser.get("/lang/zh-CN")
    published = browser.submit(
        f"/developer/notices/{nid}/publish", {"days": "45"}, page=f"/notices/{nid}"
    )
    assert _flash(published.text) == f"公告 {nid} 已发布,异议期开始。"
    assert "剩余 45 天 0 小时" in published.text
    assert "异议期结束(2026-04-16 09:00 UTC)后方可生成排除快照。" in published.text
    early = browser.submit(f"/developer/notices/{nid}/snapshot", page=f"/notices/{nid}")
    assert early.status_code == 409
    listed = browser.get("/developer/notices")
    assert f'href="/notices/{nid}"' in listed.text


def test_bad_scan_report_is_named(browser: Browser, world: World) -> None:
    browser.sign_in(world.dev)
    page = browser.client.post(
        "/developer/notices/new?lang=en",
        data={"model": "M", "csrf_token": browser.token("/developer/notices/new")},
        files={"scan_report": ("report.json", b'{"works": []}', "application/json")},
    )
    assert page.status_code == 422
    assert _alert(page.text) == "scan report report.json: snapshot_id: Field required"


def test_developer_sees_objections_contests_and_takes_the_snapshot(
    browser: Browser, platform: Platform, world: World, clock: FixedClock
) -> None:
    nid = world.notice(platform, world.poem, world.beta)
    clock.advance(timedelta(days=2))
    objections.file_objection(
        platform, actor=world.alice.actor, notice_id=nid, data=ObjectionCreate(reason="no licence")
    )
    [bobs] = objections.file_objection(
        platform, actor=world.bob.actor, notice_id=nid, data=ObjectionCreate()
    )
    browser.sign_in(world.dev)
    seen = browser.get("/developer/objections")
    assert "Alice Wang" in seen.text
    assert "no licence" in seen.text
    assert seen.text.count("提出争议(截至") == 2
    contested = browser.submit(
        f"/developer/objections/{bobs.id}/contest",
        {"grounds": "Bob licensed it to us"},
        page="/developer/objections",
    )
    assert _flash(contested.text).startswith("争议 ")
    assert "待裁决" in contested.text
    clock.advance(timedelta(days=29))
    assert browser.get("/developer/objections").url.path == "/sign-in"  # sessions last 12 hours
    browser.sign_in(world.dev)
    page = browser.get(f"/notices/{nid}")
    assert "生成排除快照" in page.text
    taken = browser.submit(f"/developer/notices/{nid}/snapshot", page=f"/notices/{nid}")
    assert taken.status_code == 200
    link = re.search(r'href="(/v1/snapshots/[0-9a-f]{64}/file)" download', taken.text)
    assert link
    content = browser.get(link.group(1)).json()
    reasons = {w["work_id"]: [r["code"] for r in w["reasons"]] for w in content["works"]}
    assert reasons[world.poem] == ["objection"]
    assert reasons[world.beta] == ["disputed"]


# --- administration ---------------------------------------------------------------------


def test_administration_sees_every_notice_and_decides_disputes(
    browser: Browser, platform: Platform, world: World
) -> None:
    nid = world.notice(platform, world.beta)
    withdrawn = world.notice(platform, world.poem)
    notices.withdraw_notice(platform, actor=world.dev.actor, notice_id=withdrawn)
    world.notice(platform, world.alpha, publish=False)
    [objection] = objections.file_objection(
        platform, actor=world.bob.actor, notice_id=nid, data=ObjectionCreate()
    )
    dispute = disputes.contest_objection(
        platform,
        actor=world.dev.actor,
        data=DisputeCreate(objection_id=objection.id, grounds="licensed"),
    )
    browser.sign_in(world.admin)
    listed = browser.get("/admin/notices")
    assert re.findall(r'<td><a href="/notices/(\d+)">', listed.text) == [str(withdrawn), str(nid)]
    queue = browser.get("/admin/disputes", params={"lang": "en"})
    assert f"Dispute {dispute.id}: Beta" in queue.text
    assert "licensed" in queue.text
    browser.get("/lang/zh-CN")
    missing = browser.submit(
        f"/admin/disputes/{dispute.id}/decide",
        {"outcome": "pending", "decision": "x"},
        page="/admin/disputes",
    )
    assert missing.status_code == 422
    decided = browser.submit(
        f"/admin/disputes/{dispute.id}/decide",
        {"outcome": "objection_dismissed", "decision": "the licence is valid"},
        page="/admin/disputes",
    )
    assert _flash(decided.text) == f"争议 {dispute.id} 已裁决。"
    assert "暂无争议。" in decided.text
    everything = browser.get("/admin/disputes", params={"state": ""})
    assert "驳回异议: the licence is valid" in everything.text
    assert disputes.list_disputes(platform)[0].state == "objection_dismissed"


def test_cmo_objects_for_works_under_its_mandate(
    browser: Browser, platform: Platform, world: World, make_account: Any
) -> None:
    cmo = make_account(PartyKind.CMO, "Writers CMO")
    mandated = works.register_work(
        platform,
        actor=world.bob.actor,
        data=WorkCreate(title="Gamma", text="gamma " * 30, cmo_id=cmo.party_id),
    )
    nid = world.notice(platform, mandated.id, world.poem)
    browser.sign_in(cmo)
    form = browser.get(f"/notices/{nid}/object")
    assert f'value="{mandated.id}"' in form.text
    assert f'value="{world.poem}"' not in form.text
    filed = browser.submit(f"/notices/{nid}/object", {"choice": "all"})
    assert _flash(filed.text) == "您的异议已记录(涉及 1 件作品)。"
