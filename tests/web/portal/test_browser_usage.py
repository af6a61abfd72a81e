"""Usage reports, invoices, the administration's reports and compliance, and the tariff a
notice names, in a real Chromium (the system's /usr/bin/chromium, headless). Forms are
found by their labels; a screenshot of every new page goes to test-artifacts/screenshots.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.portal.conftest import Account, World, screenshot
from tests.web.portal.remuneration import Market, open_market
from trainclear.services.platform import Platform


@pytest.fixture
def market(platform: Platform, world: World, make_account: Any, tmp_path: Path) -> Market:
    return open_market(platform, world, make_account, tmp_path / "corpus")


def _sign_in(page: Any, account: Account, lang: str = "zh-CN") -> None:
    page.goto(f"/sign-in?lang={lang}")
    page.locator("#email").fill(account.email)
    page.locator("#password").fill(account.password)
    page.locator("#password").press("Enter")
    expect(page.locator("p.flash")).to_be_visible()


def _fill_report(page: Any, market: Market, poem_characters: str) -> None:
    page.get_by_label("期间起始日").fill("2026-01-01")
    page.get_by_label("期间截止日").fill("2026-02-28")
    page.get_by_label("模型或产品").fill("Qilin-7B")
    page.get_by_label("付酬标准", exact=True).select_option(market.tariff_choice)
    poem = market.world.poem
    page.get_by_label(f"作品 {poem}(山居秋暝)的字符数").fill(poem_characters)


def test_a_developer_reports_usage_and_the_administration_sees_it(
    new_page: Any, platform: Platform, world: World, market: Market
) -> None:
    world.notice(platform, world.poem, world.alpha)  # a window open, on the compliance row
    developer = new_page()
    _sign_in(developer, world.dev)
    developer.get_by_role("link", name="使用报告").click()
    screenshot(developer, "developer-usage-reports-empty")
    developer.get_by_role("link", name="提交使用报告").click()
    poem = developer.get_by_label(f"作品 {world.poem}(山居秋暝)的字符数")
    expect(poem).to_have_value("10000")  # prefilled from the scan's measurement
    screenshot(developer, "developer-usage-report-new")

    _fill_report(developer, market, "4000")
    developer.get_by_role("button", name="提交报告").click()
    expect(developer.get_by_role("alert")).to_contain_text("低于扫描实测用量")
    expect(developer.get_by_role("alert")).to_contain_text(f"#{world.poem} characters")
    shortfall = developer.locator("#shortfalls tbody tr")
    expect(shortfall).to_have_count(1)
    expect(shortfall).to_contain_text("山居秋暝")
    expect(shortfall).to_contain_text("−6000")
    expect(poem).to_have_value("4000")  # what was typed is kept
    screenshot(developer, "developer-usage-report-understated")

    poem.fill("10000")
    developer.get_by_role("button", name="提交报告").click()
    expect(developer.locator("p.flash")).to_contain_text("已提交")
    expect(developer.locator("#report-total")).to_have_text("CNY 1.50")
    screenshot(developer, "developer-usage-report")
    developer.get_by_role("link", name=re.compile(r"^账单 \d+$")).click()
    expect(developer.locator("#invoice-total")).to_have_text("CNY 1.50")
    screenshot(developer, "developer-invoice")
    developer.goto(developer.url + "?lang=en")
    expect(developer.get_by_role("heading", level=1)).to_contain_text("for Writers CMO")
    screenshot(developer, "developer-invoice-en")
    developer.get_by_role("link", name="Invoices", exact=True).click()
    expect(developer.locator("tbody tr")).to_have_count(1)
    screenshot(developer, "developer-invoices-en")
    developer.get_by_role("link", name="中文").click()
    screenshot(developer, "developer-invoices")

    admin = new_page()
    _sign_in(admin, world.admin)
    admin.get_by_role("link", name="收到的使用报告").click()
    rows = admin.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("ModelCo")
    screenshot(admin, "admin-usage-reports")
    admin.get_by_label("状态").select_option("paid")
    admin.get_by_role("button", name="搜索").click()
    expect(admin.get_by_text("暂无使用报告。")).to_be_visible()
    admin.get_by_label("状态").select_option("outstanding")
    admin.get_by_role("button", name="搜索").click()
    admin.locator("tbody tr").get_by_role("link").first.click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("2026-01-01/2026-02-28")
    screenshot(admin, "admin-usage-report")
    admin.get_by_role("link", name="合规概况").click()
    row = admin.locator(f"#developer-{world.dev.party_id}")
    expect(row).to_contain_text("ModelCo")
    expect(row).to_contain_text("CNY 1.50")
    expect(row.locator("td").first).to_have_text("1")  # notices published
    screenshot(admin, "admin-compliance")
    row.get_by_role("link", name="ModelCo").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("ModelCo")
    screenshot(admin, "admin-developer")
    admin.get_by_role("link", name="English").click()
    screenshot(admin, "admin-developer-en")
    admin.get_by_role("link", name="Compliance", exact=True).click()
    screenshot(admin, "admin-compliance-en")
    admin.get_by_role("link", name="Usage reports received").click()
    screenshot(admin, "admin-usage-reports-en")


def test_the_report_form_is_labelled_and_keyboard_usable(
    new_page: Any, world: World, market: Market
) -> None:
    page = new_page()
    _sign_in(page, world.dev)
    page.goto("/developer/usage-reports/new")
    fields = page.locator("main input:not([type=hidden]), main select, main textarea").all()
    assert len(fields) == 4 + 2 * 4 + 2  # version, period×2, model, epochs, tariff, lines
    for field in fields:
        field_id = field.get_attribute("id")
        assert field_id
        assert page.locator(f'label[for="{field_id}"]').count() == 1
    for label, keys in (("期间起始日", "01012026"), ("期间截止日", "02282026")):
        page.get_by_label(label).focus()
        page.keyboard.type(keys)
    page.get_by_label("模型或产品").focus()
    page.keyboard.type("Qilin-7B")
    page.keyboard.press("Tab")
    expect(page.get_by_label("训练轮数")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("付酬标准", exact=True)).to_be_focused()
    page.keyboard.press("ArrowDown")  # the CMO's tariff, after "the notice's"
    expect(page.get_by_label("付酬标准", exact=True)).to_have_value(market.tariff_choice)
    page.get_by_label("模型或产品").press("Enter")
    expect(page.locator("p.flash")).to_contain_text("已提交")


def test_a_notice_names_its_tariff_on_publishing(
    new_page: Any, platform: Platform, world: World, market: Market
) -> None:
    nid = world.notice(platform, world.poem, world.alpha, publish=False)
    page = new_page()
    _sign_in(page, world.dev)
    page.goto(f"/notices/{nid}")
    page.get_by_label("付酬标准(费率表)").select_option(market.tariff_choice)
    screenshot(page, "notice-publish-tariff")
    page.get_by_role("button", name="发布并开始异议期").click()
    tariff = page.locator("#notice-tariff")
    expect(tariff).to_contain_text("TXT-2026")
    expect(tariff).to_contain_text("由 Writers CMO 制定")
    expect(tariff).to_contain_text("每千字符")
    screenshot(page, "notice-tariff")
    visitor = new_page()
    visitor.goto(f"/notices/{nid}?lang=en")
    expect(visitor.locator("#notice-tariff")).to_contain_text("set by Writers CMO")
    expect(visitor.locator("#notice-tariff")).to_contain_text("CNY 0.1")
    screenshot(visitor, "notice-tariff-en")
