"""The CMO console and the holders' statements over HTTP: each form does its use case
through the services, and a CMO or holder reaches only its own records."""

from __future__ import annotations

import csv
import io
import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from tests.web.portal.cmo_market import Market, make_market
from tests.web.portal.conftest import Browser, World
from trainclear.domain import Stance
from trainclear.royalties import InvoiceState, ReservePolicy, Unit
from trainclear.royalties.statements import ACCOUNT
from trainclear.schemas.distributions import DistributionRunCreate, ReserveState
from trainclear.schemas.usage import AttributionCreate, InvoicePay
from trainclear.services import attributions, distributions, invoices, tariffs, works
from trainclear.services.platform import Platform
from trainclear.web.pages import i18n

PERIOD_FORM = {"start": "2026-01-01", "end": "2026-02-28"}


@pytest.fixture
def market(platform: Platform, world: World, make_account: Any, tmp_path: Path) -> Market:
    return make_market(platform, world, make_account, tmp_path / "market")


def _flash(html: str) -> str:
    found = re.search(r'<p class="flash" role="status">([^<]*)</p>', html)
    return found.group(1) if found else ""


def _alert(html: str) -> str:
    found = re.search(r'role="alert"[^>]*>.*?<p>([^<]*)</p>', html, re.S)
    return found.group(1) if found else ""


def _distribute(platform: Platform, market: Market) -> int:
    """Pay the invoice and run the period through the services."""
    actor = market.cmo.actor
    invoices.pay_invoice(platform, actor=actor, invoice_id=market.invoice_id, data=InvoicePay())
    period = DistributionRunCreate(period="2026-01-01/2026-02-28")
    return distributions.run_distribution(platform, actor=actor, data=period).id


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Works under mandate (1)", "default licence", "Alice Wang", "in force"]),
        ("zh-CN", ["管理的作品(1 件)", "默认许可", "Alice Wang", "有效"]),
    ],
)
def test_the_console_in_both_languages(
    browser: Browser, market: Market, lang: str, words: list[str]
) -> None:
    signed_in = browser.sign_in(market.cmo)
    assert signed_in.url.path == "/cmo/repertoire"
    pages = "".join(
        browser.get(url, params={"lang": lang}).text
        for url in ("/cmo/repertoire", "/cmo/tariffs", "/cmo/invoices", "/cmo/settings")
    )
    for word in [*words, "TXT-2026", "CNY 1.50"]:
        assert word in pages
    assert "山居秋暝" in pages
    assert "Beta" not in pages.split("<table")[1]  # Bob's work is under no mandate


def test_repertoire_search_and_pages(browser: Browser, platform: Platform, market: Market) -> None:
    for n in range(25):
        works.register_work(
            platform,
            actor=market.cmo.actor,
            data=works.WorkCreate(
                title=f"Catalogue {n:02d}",
                holder_unidentified=True,
                identifiers=[{"scheme": "doi", "value": f"10.1000/cat{n}"}],
            ),
        )
    browser.sign_in(market.cmo)
    first = browser.get("/cmo/repertoire", params={"lang": "en"})
    assert "Page 1 of 2 (26 in all)" in first.text
    second = browser.get("/cmo/repertoire", params={"page": 2, "lang": "en"})
    assert second.text.count("holder not identified") == 6
    found = browser.get("/cmo/repertoire", params={"q": "10.1000/cat7"}).text
    assert "Catalogue 07" in found
    assert "Catalogue 08" not in found
    browser.sign_in(market.rival_cmo)
    assert "Catalogue" not in browser.get("/cmo/repertoire").text


def test_cmo_registers_an_unidentified_work_and_changes_a_stance(
    browser: Browser, platform: Platform, market: Market
) -> None:
    browser.sign_in(market.cmo)
    form = {"title": "Orphan poem", "type": "text", "text": "无名氏 " * 40, "unidentified": "1"}
    page = browser.submit("/cmo/repertoire/new", form)
    assert "已登记" in _flash(page.text)
    [orphan] = works.list_works(platform, cmo_id=market.cmo.party_id, query="Orphan")
    assert (orphan.holders, orphan.cmo_stance) == ([], "default_licence")
    both = {**form, "title": "Both", "holder": [str(market.world.bob.party_id)], "share": ["1"]}
    refused = browser.submit("/cmo/repertoire/new?lang=en", both, page="/cmo/repertoire/new")
    assert refused.status_code == 422
    assert "holders" in _alert(refused.text)
    changed = browser.submit(
        f"/cmo/repertoire/{market.world.poem}/stance",
        {"stance": "opted_out"},
        page="/cmo/repertoire",
    )
    assert _flash(changed.text) == f"The stance of work {market.world.poem} is changed."
    assert works.get_work(platform, work_id=market.world.poem).cmo_stance == "opted_out"


def test_cmo_publishes_and_ends_a_tariff(
    browser: Browser, platform: Platform, market: Market
) -> None:
    browser.sign_in(market.cmo)
    form = {
        "code": "IMG-2026",
        "title": "Images",
        "currency": "CNY",
        "effective_from": "2026-03-01",
        "work_type": ["image", ""],
        "unit": ["per_image", "per_1000_chars"],
        "minimum_fee": ["100", ""],
        "up_to": ["1000", "", "", "", "", ""],
        "rate": ["20", "10", "", "", "", ""],
    }
    page = browser.submit("/cmo/tariffs", form)
    assert "已发布" in _flash(page.text)
    made = tariffs.list_tariffs(platform, cmo_id=market.cmo.party_id, code="IMG-2026")
    [image] = made
    [schedule] = image.schedules
    assert [(t.up_to, t.rate) for t in schedule.tiers] == [("1000", "20"), (None, "10")]
    assert schedule.minimum_fee == 100
    again = browser.submit("/cmo/tariffs?lang=en", form, page="/cmo/tariffs")
    assert again.status_code == 409
    assert 'value="IMG-2026"' in again.text  # the form keeps what was typed
    ended = browser.submit(
        f"/cmo/tariffs/{image.id}/end", {"effective_to": "2026-03-01"}, page="/cmo/tariffs"
    )
    assert _flash(ended.text) == f"Tariff version {image.id} now ends on the day given."
    assert tariffs.get_tariff(platform, tariff_id=image.id).effective_to.isoformat() == "2026-03-01"


def test_cmo_sets_its_distribution_rules(
    browser: Browser, platform: Platform, market: Market
) -> None:
    browser.sign_in(market.cmo)
    assert "以下为默认值" in browser.get("/cmo/settings").text
    form = {
        "currency": "CNY",
        "up_to": ["10000", "", ""],
        "rate": ["0.1", "0.05", ""],
        "minimum_payout": "60",
        "reserve_claim_years": "2",
        "reserve_policy": "identified_holders",
    }
    page = browser.submit("/cmo/settings", form)
    assert _flash(page.text) == "分配规则已保存。"
    assert 'value="0.05"' in page.text
    assert "当前:CNY 0.60" in page.text
    rising = {**form, "rate": ["0.05", "0.1", ""]}
    refused = browser.submit("/cmo/settings", rising)
    assert refused.status_code == 422
    assert _alert(refused.text)
    assert re.search(r'id="rate-1"[^>]*value="0.1"', refused.text)  # what was typed stays


def test_mark_paid_run_and_read_the_report(
    browser: Browser, platform: Platform, market: Market
) -> None:
    browser.sign_in(market.cmo)
    unpaid = browser.get("/cmo/invoices", params={"state": "unpaid"}).text
    assert "ModelCo" in unpaid
    paid = browser.submit(
        f"/cmo/invoices/{market.invoice_id}/pay", {"paid_on": "2026-03-02"}, page="/cmo/invoices"
    )
    assert _flash(paid.text) == f"发票 {market.invoice_id} 已标记为已付款。"
    assert "已于 2026-03-02 付款" in paid.text
    run = browser.submit("/cmo/runs?lang=en", PERIOD_FORM, page="/cmo/runs")
    assert run.url.path.startswith("/cmo/runs/")
    assert "Distribution run" in _flash(run.text)
    for shown in ("collections", "CNY 1.50", "Alice Wang", "Bob Li", "Every work in this run"):
        assert shown in run.text
    again = browser.submit("/cmo/runs", PERIOD_FORM)
    assert _flash(again.text).startswith("This period was already distributed")
    overlap = browser.submit("/cmo/runs", {"start": "2026-02-01", "end": "2026-03-01"})
    assert overlap.status_code == 409
    run_id = int(run.url.path.rsplit("/", 1)[1])
    report = browser.get(f"/cmo/runs/{run_id}/report", params={"format": "csv"})
    assert (
        report.headers["content-disposition"] == f'attachment; filename="run-{run_id}-report.csv"'
    )
    rows = {r["item"]: r["value"] for r in csv.DictReader(io.StringIO(report.text))}
    assert rows["collected"] == "150"
    as_json = browser.get(f"/cmo/runs/{run_id}/report", params={"format": "json"}).json()
    assert as_json["figures"]["paid_out"] == int(rows["paid_out"])


def test_the_runs_page_lists_attribution_scores_received(
    browser: Browser, platform: Platform, market: Market
) -> None:
    data = AttributionCreate(
        cmo_id=market.cmo.party_id,
        period="2026-01-01/2026-02-28",
        amount=40,
        scores={market.world.poem: "1"},
    )
    attributions.submit_attribution(platform, actor=market.world.dev.actor, data=data)
    browser.sign_in(market.cmo)
    page = browser.get("/cmo/runs", params={"lang": "en"}).text
    section = page.split('aria-labelledby="attr-h"', 1)[1]
    assert "No attribution scores received." not in section
    assert '<td>ModelCo</td><td>2026-01-01/2026-02-28</td><td class="num">40</td>' in section
    browser.sign_in(market.rival_cmo)
    assert "No attribution scores received." in browser.get("/cmo/runs").text


def test_holder_reads_statements_with_a_chart(
    browser: Browser, platform: Platform, market: Market
) -> None:
    run_id = _distribute(platform, market)
    browser.sign_in(market.world.alice)
    listing = browser.get("/holder/statements", params={"lang": "en"}).text
    assert '<svg class="chart"' in listing
    assert 'aria-label="Payouts per distribution"' in listing
    assert "CNY 1.00" in listing  # the poem's 10,000 characters at 10 fen per 1,000
    page = browser.get(f"/holder/statements/{run_id}", params={"lang": "zh-CN"}).text
    assert "山居秋暝" in page
    assert "10 每千字符" in page  # 10,000 characters, in the unit's name
    assert "每次分配的支付金额" in page
    download = browser.get(f"/holder/statements/{run_id}/download", params={"format": "json"})
    body = json.loads(download.text)
    assert (body["holder_id"], body["account"]["payout"]) == (market.world.alice.party_id, 100)
    assert [w["work_id"] for w in body["works"]] == [market.world.poem]


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("rival_cmo", "/cmo/runs/{run}"),
        ("rival_cmo", "/cmo/runs/{run}/report?format=csv"),
        ("bob", "/holder/statements/{run}/download?format=json"),
    ],
)
def test_nobody_reads_another_partys_money(
    browser: Browser, platform: Platform, market: Market, who: str, url: str
) -> None:
    run_id = _distribute(platform, market)
    account = getattr(market, who, None) or getattr(market.world, who)
    browser.sign_in(account)
    page = browser.get(url.format(run=run_id))
    if who == "bob":  # Bob reads his own statement, never Alice's (the holder is the session's)
        assert page.status_code == 200
        assert page.json()["holder_id"] == market.world.bob.party_id
        return
    assert page.status_code == 403


def test_another_cmo_cannot_act_on_this_cmos_records(
    browser: Browser, platform: Platform, market: Market
) -> None:
    browser.sign_in(market.rival_cmo)
    assert "ModelCo" not in browser.get("/cmo/invoices").text
    pay = browser.submit(f"/cmo/invoices/{market.invoice_id}/pay", page="/cmo/invoices")
    assert pay.status_code == 403
    stance = browser.submit(
        f"/cmo/repertoire/{market.world.poem}/stance",
        {"stance": "opted_out"},
        page="/cmo/repertoire",
    )
    assert stance.status_code == 403
    [tariff] = tariffs.list_tariffs(platform, cmo_id=market.cmo.party_id)
    end = browser.submit(
        f"/cmo/tariffs/{tariff.id}/end", {"effective_to": "2026-12-31"}, page="/cmo/tariffs"
    )
    assert end.status_code == 403
    assert tariffs.get_tariff(platform, tariff_id=tariff.id).effective_to is None
    assert (
        invoices.get_invoice(platform, viewer=market.cmo.actor, invoice_id=market.invoice_id).state
        == "unpaid"
    )


def test_a_holder_without_an_account_in_a_run_gets_404(
    browser: Browser, platform: Platform, market: Market, make_account: object
) -> None:
    run_id = _distribute(platform, market)
    stranger = make_account("rights_holder", "Carol Zhang")  # type: ignore[operator]
    browser.sign_in(stranger)
    assert browser.get(f"/holder/statements/{run_id}").status_code == 404
    assert "尚无分配向您支付" in browser.get("/holder/statements").text


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("alice", "/cmo/repertoire"),
        ("dev", "/cmo/invoices"),
        ("admin", "/cmo/tariffs"),
        ("dev", "/holder/statements"),
    ],
)
def test_console_and_statements_are_role_pages(
    browser: Browser, market: Market, who: str, url: str
) -> None:
    browser.sign_in(getattr(market.world, who))
    assert browser.get(url).status_code == 403


@pytest.mark.parametrize(
    "url", ["/cmo/repertoire/new", "/cmo/tariffs", "/cmo/settings", "/cmo/runs"]
)
def test_console_forms_need_their_token(browser: Browser, market: Market, url: str) -> None:
    browser.sign_in(market.cmo)
    assert browser.client.post(url, data={"csrf_token": "forged"}).status_code == 403


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("stance", Stance),
        ("unit", Unit),
        ("invoice_state", InvoiceState),
        ("policy", ReservePolicy),
        ("reserve_state", ReserveState),
    ],
)
def test_every_value_the_console_shows_has_a_name(prefix: str, values: type[StrEnum]) -> None:
    for value in values:
        assert i18n.has(f"{prefix}.{value}"), f"{prefix}.{value}"


def test_every_account_item_of_a_statement_has_a_name() -> None:
    for item in ACCOUNT:
        assert i18n.has(f"account_item.{item}"), item
