"""The portals in a real Chromium (the system's /usr/bin/chromium, headless), driven by
Playwright against uvicorn serving the test database. Forms are found by their labels,
as a screen reader would; a screenshot of every page goes to test-artifacts/screenshots.

Never skipped in CI: without Chromium these tests fail there (see ``ensure_chromium``).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.portal import conftest as portal
from tests.web.portal.conftest import PASSWORD, Account, World, screenshot
from trainclear.clock import FixedClock
from trainclear.schemas.notices import DisputeCreate, ObjectionCreate
from trainclear.services import disputes, objections
from trainclear.services.platform import Platform

POEM = (
    "空山新雨后,天气晚来秋。明月松间照,清泉石上流。竹喧归浣女,莲动下渔舟。随意春芳歇,王孙自可留。"
)


def _sign_up(page: Any, kind: str, name: str, email: str) -> None:
    page.goto("/sign-up")
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("名称(公开显示)").fill(name)
    page.get_by_label("电子邮件地址").fill(email)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_role("button", name="创建账户").click()
    expect(page.locator("p.flash")).to_have_text("账户已创建,您已登录。")


def _sign_in(page: Any, account: Account, *, shot: str | None = None) -> None:
    page.goto("/sign-in")
    page.get_by_label("电子邮件地址").fill(account.email)
    page.get_by_label("密码").fill(account.password)
    if shot:
        screenshot(page, shot)
    page.get_by_label("密码").press("Enter")  # keyboard submit
    expect(page.locator("p.flash")).to_have_text("已登录。")


def test_the_clearance_loop_in_chromium(
    new_page: Any, platform: Platform, clock: FixedClock, world: World, tmp_path: Path
) -> None:
    holder = new_page()
    holder.goto("/sign-up")
    screenshot(holder, "sign-up")
    _sign_up(holder, "权利人", "Wang Wei", "wangwei@example.org")
    screenshot(holder, "holder-works-empty")

    holder.get_by_role("link", name="登记作品").click()
    holder.get_by_label("名称").fill("山居秋暝")
    holder.get_by_label("正文").fill(POEM)
    holder.get_by_label("标识符类型 1").select_option("isbn")
    holder.get_by_label("标识符 1", exact=True).fill("978-7-02-000220-7")
    screenshot(holder, "holder-register-work")
    holder.get_by_role("button", name="登记作品").click()
    expect(holder.locator("p.flash")).to_contain_text("已登记")
    screenshot(holder, "holder-works")
    poem_id = int(holder.locator("table.list tbody tr td").first.inner_text())

    developer = new_page()
    _sign_up(developer, "开发者", "ModelCo Data", "data@modelco.example")
    developer.get_by_role("link", name="起草公告").first.click()
    developer.get_by_label("模型或产品").fill("Qilin-7B")
    report = {
        "snapshot_id": "cd" * 32,
        "works": [
            {"work_id": poem_id, "records": 3, "characters": 180},
            {"work_id": world.beta, "records": 1, "characters": 40},
        ],
    }
    developer.get_by_label("扫描报告(JSON)").set_input_files(
        {
            "name": "scan-report.json",
            "mimeType": "application/json",
            "buffer": json.dumps(report).encode(),
        }
    )
    developer.get_by_label("付酬标准").fill("每千字 0.05 元(文字作品付酬标准 T-2026)")
    screenshot(developer, "developer-new-notice")
    developer.get_by_role("button", name="保存草稿").click()
    expect(developer.locator("p.flash")).to_contain_text("已起草")
    screenshot(developer, "notice-draft")
    developer.get_by_role("button", name="发布并开始异议期").click()
    expect(developer.locator("p.flash")).to_contain_text("已发布")
    expect(developer.locator("#remaining")).to_have_text("剩余 30 天 0 小时")
    notice_url = developer.url
    screenshot(developer, "notice-open")

    holder.get_by_role("link", name="公告栏").click()
    holder.get_by_label("作品名称或标识符").fill("山居秋暝")
    holder.get_by_label("作品名称或标识符").press("Enter")
    results = holder.locator("table.list tbody tr")
    expect(results).to_have_count(1)
    screenshot(holder, "board-search")
    results.get_by_role("link").click()
    expect(holder).to_have_url(notice_url)
    screenshot(holder, "notice-holder")
    holder.get_by_role("link", name="提出异议(您持有其中 1 件作品)").click()
    expect(holder.locator('input[name="work_id"]')).to_have_count(1)
    holder.get_by_label("理由(可选,公开)").fill("未经许可")
    screenshot(holder, "holder-object")
    holder.get_by_role("button", name="提交异议").click()
    expect(holder.locator("p.flash")).to_have_text("您的异议已记录(涉及 1 件作品)。")
    expect(holder.locator("#objections-count")).to_have_text("1")
    holder.get_by_role("link", name="我的异议").click()
    expect(holder.locator("tbody tr")).to_have_count(1)
    screenshot(holder, "holder-objections")
    holder.get_by_role("link", name="使用我作品的公告").click()
    expect(holder.locator("tbody tr")).to_have_count(1)
    screenshot(holder, "holder-notices")

    developer.get_by_role("link", name="收到的异议").click()
    row = developer.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Wang Wei")
    expect(row).to_contain_text("未经许可")
    screenshot(developer, "developer-objections")
    developer.get_by_role("link", name="我的公告").click()
    screenshot(developer, "developer-notices")

    clock.advance(timedelta(days=31))
    developer.goto(notice_url)
    expect(developer.get_by_role("button", name="生成排除快照")).to_have_count(0)  # signed out
    _sign_in(developer, Account(0, world.dev.kind, "", "data@modelco.example"), shot="sign-in")
    developer.goto(notice_url)
    developer.get_by_role("button", name="生成排除快照").click()
    expect(developer.locator("p.flash")).to_have_text("排除快照已生成,可以下载。")
    screenshot(developer, "notice-snapshot")
    with developer.expect_download() as download:
        developer.get_by_role("link", name="下载").click()
    saved = tmp_path / "snapshot.json"
    download.value.save_as(saved)
    content = json.loads(saved.read_text(encoding="utf-8"))
    reasons = {w["work_id"]: [r["code"] for r in w["reasons"]] for w in content["works"]}
    assert reasons[poem_id] == ["objection"]
    assert reasons[world.beta] == []
    assert content["notice_id"] == int(notice_url.rsplit("/", 1)[1])


def test_language_switch_on_every_page(new_page: Any, platform: Platform, world: World) -> None:
    nid = world.notice(platform, world.poem, world.beta)
    page = new_page()
    page.goto(f"/notices/{nid}?work=Beta")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"公告 {nid}:Qilin-7B")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{page.url.split('/notices')[0]}/notices/{nid}?work=Beta")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Notice {nid}: Qilin-7B")
    expect(page.locator("#remaining")).to_have_text("30 days 0 hours left")
    screenshot(page, "notice-en")
    page.get_by_role("link", name="Notice board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training-data notice board")
    screenshot(page, "board-en")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("button", name="Create my account")).to_be_visible()
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("button", name="创建账户")).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('/sign-up')[0]}/sign-up")
    page.goto("/?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training-data notice board")
    page.goto("/?lang=zh-CN")
    screenshot(page, "board")


def test_keyboard_skip_link_and_labelled_forms(new_page: Any, world: World) -> None:
    page = new_page()
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(page.url.split("#")[0] + "#main")
    for field in page.locator("main input:not([type=hidden]), main select, main textarea").all():
        field_id = field.get_attribute("id")
        assert field_id
        assert page.locator(f'label[for="{field_id}"]').count() == 1
    page.get_by_label("电子邮件地址").focus()
    page.keyboard.type(world.alice.email)
    page.keyboard.press("Tab")
    page.keyboard.type(world.alice.password)
    page.keyboard.press("Enter")
    expect(page.locator("p.flash")).to_have_text("已登录。")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的作品")


def test_a_holder_cannot_object_to_another_holders_work(
    new_page: Any, platform: Platform, world: World
) -> None:
    shared = world.notice(platform, world.poem, world.beta)
    only_bob = world.notice(platform, world.beta)
    page = new_page()
    _sign_in(page, world.alice)
    page.goto(f"/notices/{only_bob}")
    expect(page.get_by_role("link", name="提出异议", exact=False)).to_have_count(0)
    page.goto(f"/notices/{only_bob}/object")
    expect(page.get_by_role("heading", level=1)).to_have_text("错误 403")
    expect(page.get_by_role("alert")).to_contain_text(f"您不持有公告 {only_bob} 所列的任何作品")
    screenshot(page, "error-403")

    page.goto(f"/notices/{shared}/object")
    expect(page.locator('input[name="work_id"]')).to_have_count(1)  # only Alice's work
    page.evaluate(
        """beta => {
            const box = document.querySelector('input[name="work_id"]');
            box.value = String(beta);
            box.checked = true;
        }""",
        world.beta,
    )
    page.get_by_label("仅限下列所选作品").check()
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"主体 {world.alice.party_id} 既不是作品 {world.beta} 的权利人"
    )
    screenshot(page, "holder-object-refused")
    assert objections.list_objections(platform, objector_id=world.alice.party_id) == []


def test_a_form_without_its_token_is_refused(new_page: Any, world: World) -> None:
    page = new_page()
    _sign_in(page, world.alice)
    page.get_by_role("link", name="我的选择退出").click()
    screenshot(page, "holder-opt-outs")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    page.get_by_label("我的全部作品").check()
    page.get_by_role("button", name="声明").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("错误 403")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("表单被拒绝:缺少有效的表单令牌")
    expect(alert).to_contain_text("this form was refused: it lacks a valid form token")
    screenshot(page, "error-csrf")

    anonymous = new_page()
    anonymous.goto("/sign-in")
    anonymous.evaluate("document.querySelector('input[name=csrf_token]').value = 'forged'")
    anonymous.get_by_label("电子邮件地址").fill(world.alice.email)
    anonymous.get_by_label("密码").fill(world.alice.password)
    anonymous.get_by_role("button", name="登录").click()
    expect(anonymous.get_by_role("heading", level=1)).to_have_text("错误 403")


def test_the_administration_decides_a_dispute(
    new_page: Any, platform: Platform, world: World
) -> None:
    nid = world.notice(platform, world.poem, world.beta)
    [objection] = objections.file_objection(
        platform, actor=world.bob.actor, notice_id=nid, data=ObjectionCreate(reason="no licence")
    )
    disputes.contest_objection(
        platform,
        actor=world.dev.actor,
        data=DisputeCreate(objection_id=objection.id, grounds="Bob licensed Beta to us in 2025"),
    )
    page = new_page()
    _sign_in(page, world.admin)
    expect(page.get_by_role("heading", level=1)).to_have_text("争议处理队列")
    screenshot(page, "admin-disputes")
    page.get_by_label("驳回异议").check()
    page.get_by_label("裁决理由(公开)").fill("许可合同有效")
    page.get_by_role("button", name="记录裁决").click()
    expect(page.locator("p.flash")).to_contain_text("已裁决")
    expect(page.get_by_text("暂无争议。")).to_be_visible()
    page.get_by_role("link", name="全部公告").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    screenshot(page, "admin-notices")
    page.get_by_role("link", name="Copyright Office").click()
    screenshot(page, "account")


def test_without_chromium_the_browser_tests_fail_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(portal, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        portal.ensure_chromium()
    monkeypatch.setenv("CI", "false")
    monkeypatch.setenv("TRAINCLEAR_REQUIRE_BROWSER", "1")  # as ./dev check sets it
    with pytest.raises(pytest.fail.Exception):
        portal.ensure_chromium()
    monkeypatch.delenv("TRAINCLEAR_REQUIRE_BROWSER")
    with pytest.raises(pytest.skip.Exception):
        portal.ensure_chromium()
