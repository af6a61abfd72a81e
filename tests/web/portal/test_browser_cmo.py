"""The CMO console and a holder's statement in a real Chromium (see test_browser.py).

A CMO publishes its tariff by the form, a developer's usage report is invoiced (through
the services: it needs a dataset version on the server), the CMO marks the invoice paid
and distributes the period; the holder then reads the statement and its chart. Fields are
found by their labels; a screenshot of every new page goes to test-artifacts/screenshots.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.web.portal.cmo_market import report_usage
from tests.web.portal.conftest import Account, World, screenshot
from tests.web.portal.test_browser import _sign_in
from tests.web.portal.test_notice_charts import notice_with_usage, object_on_days
from trainclear.clock import FixedClock
from trainclear.domain import PartyKind
from trainclear.services.platform import Platform

FIELDS = "main input:not([type=hidden]), main select, main textarea"


def _labelled(page: Any) -> None:
    """Every field of the page has exactly one label."""
    for field in page.locator(FIELDS).all():
        field_id = field.get_attribute("id")
        assert field_id
        assert page.locator(f'label[for="{field_id}"]').count() == 1, field_id


def _publish_tariff(page: Any) -> None:
    page.get_by_role("link", name="付酬标准").click()
    _labelled(page)
    page.get_by_label("名称", exact=True).fill("文字作品训练使用费 2026")
    page.get_by_label("生效日").fill("2026-01-01")
    rates = page.get_by_role("group", name="费率表 1")
    rates.get_by_label("类型", exact=True).select_option("text")
    rates.get_by_label("计量单位", exact=True).select_option("per_1000_chars")
    rates.get_by_label("第 1 级:费率").fill("10")
    page.get_by_label("代码").fill("TXT-2026")
    screenshot(page, "cmo-tariff-new")
    page.get_by_label("代码").press("Enter")  # keyboard submit
    expect(page.locator("p.flash")).to_contain_text("已发布")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    screenshot(page, "cmo-tariffs")


def _pay_and_distribute(page: Any, invoice_id: int) -> None:
    page.get_by_role("link", name="收到的发票").click()
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    screenshot(page, "cmo-invoices")
    page.get_by_role("button", name="标记为已付款").click()
    expect(page.locator("p.flash")).to_have_text(f"发票 {invoice_id} 已标记为已付款。")
    page.get_by_role("link", name="分配", exact=True).click()
    _labelled(page)
    page.get_by_label("起始日").fill("2026-01-01")
    page.get_by_label("截止日").fill("2026-02-28")
    page.get_by_role("button", name="执行分配").click()
    expect(page.locator("p.flash")).to_contain_text("已完成")
    report = page.locator("table.report")
    expect(report.get_by_role("row", name="收取的使用费")).to_contain_text("CNY 1.50")
    screenshot(page, "cmo-run")
    page.get_by_role("link", name="English").click()
    expect(report.get_by_role("row", name="collections")).to_contain_text("CNY 1.50")
    screenshot(page, "cmo-run-en")
    page.get_by_role("link", name="中文").click()


def _other_pages(page: Any) -> None:
    for link, shot in (("分配规则", "cmo-settings"), ("分配", "cmo-runs")):
        page.get_by_role("link", name=link, exact=True).click()
        _labelled(page)
        screenshot(page, shot)
    page.get_by_role("link", name="管理作品").click()
    expect(page.locator("table.list")).to_contain_text("山居秋暝")  # Alice's, under mandate
    expect(page.locator("table.list")).not_to_contain_text("Beta")  # Bob's, under none
    screenshot(page, "cmo-repertoire")
    page.get_by_role("link", name="登记管理作品").click()
    _labelled(page)
    screenshot(page, "cmo-work-new")


def _read_statement(page: Any, holder: Account) -> None:
    _sign_in(page, holder)
    page.get_by_role("link", name="我的分配明细").click()
    chart = page.get_by_role("img", name="每次分配的支付金额")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bar")).to_have_count(1)
    screenshot(page, "holder-statements")
    page.get_by_role("link", name="2026-01-01/2026-02-28").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026-01-01/2026-02-28 分配明细")
    expect(page.locator("table.list").nth(1)).to_contain_text("山居秋暝")
    expect(page.get_by_role("row", name="本期支付")).to_contain_text("CNY 1.00")
    page.locator("figure details summary").first.click()  # open the chart's numbers
    screenshot(page, "holder-statement")
    with page.expect_download() as download:
        page.get_by_role("link", name="明细(CSV)").click()
    path = Path(download.value.path())
    assert "per_1000_chars" in path.read_text(encoding="utf-8")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("img", name="Payouts per distribution")).to_be_visible()
    screenshot(page, "holder-statement-en")


def test_a_cmo_distributes_and_the_holder_reads_the_statement(
    new_page: Any, platform: Platform, world: World, make_account: Any, tmp_path: Path
) -> None:
    cmo = make_account(PartyKind.CMO, "Writers CMO")
    page = new_page()
    _sign_in(page, cmo)
    expect(page.get_by_role("heading", level=1)).to_have_text("管理作品")
    _publish_tariff(page)
    invoice_id = report_usage(platform, world, cmo, tmp_path / "market")
    _pay_and_distribute(page, invoice_id)
    _other_pages(page)
    _read_statement(new_page(), world.alice)


def test_the_notice_page_charts(
    new_page: Any, platform: Platform, world: World, clock: FixedClock
) -> None:
    nid = notice_with_usage(platform, world)
    object_on_days(platform, world, nid, clock)
    clock.advance(timedelta(days=3))
    page = new_page()
    page.goto(f"/notices/{nid}")
    expect(page.get_by_role("img", name="使用最多的 3 件作品(按字符数)")).to_be_visible()
    expect(page.get_by_role("img", name="异议期内的异议累计")).to_be_visible()
    screenshot(page, "notice-charts")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("img", name="Objections over the window")).to_be_visible()
    page.locator("#charts details").nth(1).click()
    expect(page.locator("#charts details").nth(1).locator("tbody tr")).to_have_count(2)
    screenshot(page, "notice-charts-en")
