"""The developer's usage reports and invoices, the administration's reports and compliance
pages, and the tariff a notice names, over HTTP: each form does its use case through the
services, and each party reaches only its own rows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.portal.conftest import Browser, World
from tests.web.portal.remuneration import Market, open_market
from trainclear.schemas.usage import InvoicePay
from trainclear.services import invoices, notice_views
from trainclear.services.platform import Platform


@pytest.fixture
def market(platform: Platform, world: World, make_account: Any, tmp_path: Path) -> Market:
    return open_market(platform, world, make_account, tmp_path / "corpus")


def _flash(html: str) -> str:
    found = re.search(r'<p class="flash" role="status">([^<]*)</p>', html)
    return found.group(1) if found else ""


def _invoice_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/developer/invoices/(\d+)"', html)]


# --- developer: usage reports -----------------------------------------------------------


def test_the_form_is_prefilled_with_the_measured_usage(
    browser: Browser, world: World, market: Market
) -> None:
    browser.sign_in(world.dev)
    page = browser.get("/developer/usage-reports/new")
    assert page.status_code == 200
    assert f'id="characters-{world.poem}" name="characters" type="text"' in page.text
    assert re.search(rf'id="characters-{world.poem}"[^>]*value="10000"', page.text)
    assert re.search(rf'id="characters-{world.alpha}"[^>]*value="5000"', page.text)
    assert f'<option value="{market.tariff_choice}">' in page.text


def test_a_developer_submits_a_report_and_sees_its_invoice(
    browser: Browser, world: World, market: Market
) -> None:
    browser.sign_in(world.dev)
    form = market.form(poem=12_000)
    page = browser.submit("/developer/usage-reports/new", form)
    assert page.status_code == 200, page.text
    assert re.search(r"/developer/usage-reports/\d+$", str(page.url))
    assert _flash(page.text).startswith("使用报告")
    assert '<dd id="report-total">CNY 1.70</dd>' in page.text  # 120 + 50 fen
    assert "2026-01-01/2026-02-28" in page.text
    [invoice_id] = _invoice_ids(page.text)
    bill = browser.get(f"/developer/invoices/{invoice_id}?lang=en")
    assert bill.status_code == 200
    assert "Invoice" in bill.text
    assert "Writers CMO" in bill.text
    assert "<strong>CNY 1.70</strong>" in bill.text
    assert "issued, unpaid" in bill.text
    assert "per 1,000 characters" in bill.text
    listing = browser.get("/developer/invoices?lang=en")
    assert _invoice_ids(listing.text) == [invoice_id]
    reports = browser.get("/developer/usage-reports")
    assert "Qilin-7B" in reports.text
    assert "payment outstanding" in reports.text


def test_an_understatement_is_shown_on_the_form_naming_work_and_difference(
    browser: Browser, world: World, market: Market
) -> None:
    browser.sign_in(world.dev)
    form = market.form(poem=4_000)
    page = browser.submit(
        "/developer/usage-reports/new?lang=en", form, page="/developer/usage-reports/new"
    )
    assert page.status_code == 422
    assert "states less than the scan measured for 1 item(s)" in page.text
    assert f"#{world.poem} characters: 4000 &lt; 10000 (-6000)" in page.text
    shortfall = re.search(r'<table class="list shortfalls".*?</table>', page.text, re.S)
    assert shortfall is not None
    assert "山居秋暝" in shortfall.group(0)
    assert "−6000" in shortfall.group(0)
    assert re.search(rf'id="characters-{world.poem}"[^>]*value="4000"', page.text)  # kept
    assert browser.get("/developer/usage-reports").text.count("/developer/usage-reports/") == 1


def test_a_form_with_a_bad_number_names_the_field(
    browser: Browser, world: World, market: Market
) -> None:
    browser.sign_in(world.dev)
    form = market.form() | {"epochs": "many"}
    page = browser.submit(
        "/developer/usage-reports/new?lang=en", form, page="/developer/usage-reports/new"
    )
    assert page.status_code == 422
    assert "epochs" in page.text


def test_without_a_dataset_version_the_form_says_so(browser: Browser, world: World) -> None:
    browser.sign_in(world.rival)
    page = browser.get("/developer/usage-reports/new?lang=en")
    assert page.status_code == 200
    assert "You have no dataset version yet" in page.text
    assert 'name="start"' not in page.text


# --- ownership and roles ------------------------------------------------------------------


def test_another_developers_report_and_invoice_are_refused(
    browser: Browser, platform: Platform, world: World, market: Market
) -> None:
    report_id = market.submit(platform)
    [bill] = invoices.list_invoices(platform, viewer=world.dev.actor)
    browser.sign_in(world.rival)
    assert browser.get(f"/developer/usage-reports/{report_id}").status_code == 403
    assert browser.get(f"/developer/invoices/{bill.id}").status_code == 403
    assert browser.get("/developer/usage-reports/999999").status_code == 404
    assert (
        f"/developer/usage-reports/{report_id}" not in browser.get("/developer/usage-reports").text
    )
    assert _invoice_ids(browser.get("/developer/invoices").text) == []
    form = browser.get(f"/developer/usage-reports/new?version={market.version_id}")
    assert form.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/admin/usage-reports",
        "/admin/usage-reports/1",
        "/admin/invoices/1",
        "/admin/compliance",
        "/admin/compliance/1",
    ],
)
def test_administration_pages_refuse_a_developer(browser: Browser, world: World, path: str) -> None:
    browser.sign_in(world.dev)
    assert browser.get(path).status_code == 403


@pytest.mark.parametrize(
    "path", ["/developer/usage-reports", "/developer/usage-reports/new", "/developer/invoices"]
)
def test_developer_pages_refuse_others_and_send_visitors_to_sign_in(
    browser: Browser, other_browser: Browser, world: World, path: str
) -> None:
    assert browser.get(path).url.path == "/sign-in"
    other_browser.sign_in(world.admin)
    assert other_browser.get(path).status_code == 403


# --- administration -----------------------------------------------------------------------


def test_the_administration_sees_reports_received_with_filters(
    browser: Browser, platform: Platform, world: World, market: Market
) -> None:
    report_id = market.submit(platform)
    browser.sign_in(world.admin)
    link = f'href="/admin/usage-reports/{report_id}"'
    assert link in browser.get("/admin/usage-reports").text
    assert link in browser.get(f"/admin/usage-reports?developer={world.dev.party_id}").text
    assert link not in browser.get(f"/admin/usage-reports?developer={world.rival.party_id}").text
    assert link in browser.get("/admin/usage-reports?state=outstanding").text
    assert link not in browser.get("/admin/usage-reports?state=paid").text
    assert link not in browser.get("/admin/usage-reports?start=2026-03-01").text
    assert browser.get("/admin/usage-reports?start=nope").status_code == 422
    page = browser.get(f"/admin/usage-reports/{report_id}?lang=en")
    assert page.status_code == 200
    assert f"Usage report {report_id}: 2026-01-01/2026-02-28" in page.text
    [bill] = invoices.list_invoices(platform, viewer=world.admin.actor)
    assert browser.get(f"/admin/invoices/{bill.id}").status_code == 200


def test_the_compliance_overview_and_a_developers_page(
    browser: Browser, platform: Platform, world: World, market: Market
) -> None:
    market.submit(platform)
    [bill] = invoices.list_invoices(platform, viewer=world.dev.actor)
    invoices.pay_invoice(platform, actor=market.cmo.actor, invoice_id=bill.id, data=InvoicePay())
    world.notice(platform, world.poem)
    browser.sign_in(world.admin)
    page = browser.get("/admin/compliance?lang=en")
    row = re.search(rf'<tr id="developer-{world.dev.party_id}">.*?</tr>', page.text, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">(.*?)</td>', row.group(0), re.S)
    assert cells == ["1", "1 / 0", "0 / 0", "1", "1", "1 / 1", "CNY 1.50", "CNY 0.00"]
    assert f'id="developer-{world.rival.party_id}"' in page.text
    assert (
        f'id="developer-{world.rival.party_id}"'
        not in browser.get("/admin/compliance?q=Model").text
    )
    detail = browser.get(f"/admin/compliance/{world.dev.party_id}?lang=en")
    assert detail.status_code == 200
    assert "ModelCo (party" in detail.text
    assert "corpus v1" in detail.text
    assert browser.get(f"/admin/compliance/{world.alice.party_id}").status_code == 404


# --- the tariff a notice names ------------------------------------------------------------


def test_publishing_names_a_tariff_and_the_notice_shows_it(
    browser: Browser, other_browser: Browser, platform: Platform, world: World, market: Market
) -> None:
    nid = world.notice(platform, world.poem, publish=False)
    browser.sign_in(world.dev)
    draft = browser.get(f"/notices/{nid}")
    assert f'<option value="{market.tariff_choice}">' in draft.text
    chosen = {"tariff": market.tariff_choice}
    page = browser.submit(f"/developer/notices/{nid}/publish", chosen, page=f"/notices/{nid}")
    assert page.status_code == 200
    public = other_browser.get(f"/notices/{nid}?lang=en")
    block = re.search(r'<dd id="notice-tariff">.*?</dd>', public.text, re.S)
    assert block is not None
    assert "TXT-2026" in block.group(0)
    assert "set by Writers CMO" in block.group(0)
    assert "per 1,000 characters" in block.group(0)
    assert "CNY 0.1" in block.group(0)
    assert notice_views.get_notice(platform, notice_id=nid).tariff_code == "TXT-2026"


def test_a_notice_without_a_tariff_has_no_tariff_block(
    browser: Browser, platform: Platform, world: World
) -> None:
    nid = world.notice(platform, world.poem)
    assert 'id="notice-tariff"' not in browser.get(f"/notices/{nid}").text
