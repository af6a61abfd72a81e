"""The compliance read model and the report/invoice read models, against a scenario built
through the services: every figure is counted by hand from what the scenario did."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import MakeParty
from tests.services.conftest import World
from tests.services.remuneration import Market, dataset_version, open_market
from trainclear.clock import FixedClock
from trainclear.domain import Actor, DisputeState, PartyKind
from trainclear.errors import Forbidden, NotFound
from trainclear.royalties import InvoiceState
from trainclear.schemas.notices import (
    DisputeCreate,
    DisputeDecision,
    NoticePublish,
    ObjectionCreate,
)
from trainclear.schemas.reports import ComplianceQuery, ReportQuery, ReportState
from trainclear.schemas.usage import InvoicePay
from trainclear.services import (
    compliance,
    disputes,
    invoice_views,
    invoices,
    notices,
    objections,
    usage_reports,
    usage_views,
)
from trainclear.services.platform import Platform

JANUARY, FEBRUARY = "2026-01-01/2026-01-31", "2026-02-01/2026-02-28"


def _publish(platform: Platform, world: World, *work_ids: int) -> int:
    notice = world.draft(platform, *work_ids)
    data = NoticePublish()
    notices.publish_notice(platform, actor=world.dev.actor, notice_id=notice.id, data=data)
    return notice.id


@pytest.fixture
def market(
    platform: Platform,
    clock: FixedClock,
    world: World,
    make_party: MakeParty,
    tmp_path: Path,
) -> Market:
    """ModelCo: two published notices (one window closed, one open) and a draft; two
    objections (one excludes, one dismissed on dispute); two dataset versions, one with
    two usage reports (one invoice paid); the rival developer has nothing yet."""
    first = _publish(platform, world, world.work_a, world.work_b)
    objections.file_objection(
        platform, actor=world.alice.actor, notice_id=first, data=ObjectionCreate(reason="no")
    )
    [bob] = objections.file_objection(
        platform,
        actor=world.bob.actor,
        notice_id=first,
        data=ObjectionCreate(work_ids=[world.work_b]),
    )
    dispute = disputes.contest_objection(
        platform, actor=world.dev.actor, data=DisputeCreate(objection_id=bob.id, grounds="licensed")
    )
    disputes.decide_dispute(
        platform,
        actor=world.admin.actor,
        dispute_id=dispute.id,
        data=DisputeDecision(outcome=DisputeState.OBJECTION_DISMISSED, decision="licence valid"),
    )
    clock.advance(timedelta(days=31))
    _publish(platform, world, world.work_shared)
    world.draft(platform, world.work_a)
    market = open_market(platform, world, make_party, tmp_path / "market")
    dataset_version(platform, world.dev.actor, {world.work_a: (1, 500)}, tmp_path, name="other")
    for period in (JANUARY, FEBRUARY):
        usage_reports.submit_usage_report(
            platform, actor=world.dev.actor, data=market.report_data(period)
        )
    [january, _] = invoices.list_invoices(platform, viewer=world.dev.actor)
    invoices.pay_invoice(platform, actor=world.cmo.actor, invoice_id=january.id, data=InvoicePay())
    return market


def test_the_compliance_row_counts_what_the_developer_did(
    platform: Platform, world: World, market: Market
) -> None:
    page = compliance.compliance_page(
        platform, actor=world.admin.actor, query=ComplianceQuery(text="modelco")
    )
    assert page.total == 1
    [row] = page.items
    assert row.developer_id == world.dev.id
    assert (row.notices_published, row.windows_open, row.windows_closed) == (2, 1, 1)
    assert (row.objections_received, row.objections_excluded) == (2, 1)
    assert (row.versions_built, row.versions_unreported) == (2, 1)
    assert row.reports_submitted == 2
    assert (row.invoices_issued, row.invoices_paid, row.invoices_outstanding) == (2, 1, 1)
    [amounts] = row.amounts
    assert amounts.model_dump() == {
        "currency": "CNY",
        "invoiced": 360,
        "paid": 180,
        "outstanding": 180,
    }


def test_developers_without_activity_have_zeros_and_pages_follow_names(
    platform: Platform, world: World, market: Market, make_party: MakeParty
) -> None:
    make_party(PartyKind.DEVELOPER, "Aardvark AI")
    query = ComplianceQuery(per_page=2)
    first = compliance.compliance_page(platform, actor=world.admin.actor, query=query)
    assert first.total == 3
    assert first.pages == 2
    assert [r.developer_name for r in first.items] == ["Aardvark AI", "ModelCo"]
    [aardvark, _] = first.items
    assert aardvark.notices_published == aardvark.versions_built == aardvark.invoices_issued == 0
    assert aardvark.amounts == []
    second = compliance.compliance_page(
        platform, actor=world.admin.actor, query=query.model_copy(update={"page": 2})
    )
    assert [r.developer_id for r in second.items] == [market.rival_dev.party_id]


def test_the_developer_page_lists_notices_and_versions(
    platform: Platform, world: World, market: Market
) -> None:
    detail = compliance.developer_compliance(
        platform, actor=world.admin.actor, developer_id=world.dev.id
    )
    assert detail.row.reports_submitted == 2
    assert len(detail.notices) == 2  # the draft is not listed
    assert [(v.name, v.reports) for v in detail.versions] == [("other", 0), ("corpus", 2)]
    with pytest.raises(NotFound):
        compliance.developer_compliance(
            platform, actor=world.admin.actor, developer_id=world.alice.id
        )


@pytest.mark.parametrize("who", ["dev", "cmo", "alice"])
def test_only_the_administration_reads_compliance(
    platform: Platform, world: World, market: Market, who: str
) -> None:
    actor: Actor = getattr(world, who).actor
    with pytest.raises(Forbidden):
        compliance.compliance_page(platform, actor=actor, query=ComplianceQuery())
    with pytest.raises(Forbidden):
        compliance.developer_compliance(platform, actor=actor, developer_id=world.dev.id)


@pytest.mark.parametrize(
    ("query", "periods"),
    [
        (ReportQuery(), [FEBRUARY, JANUARY]),
        (ReportQuery(state=ReportState.PAID), [JANUARY]),
        (ReportQuery(state=ReportState.OUTSTANDING), [FEBRUARY]),
        (ReportQuery(start="2026-02-15"), [FEBRUARY]),
        (ReportQuery(end="2026-01-31"), [JANUARY]),
        (ReportQuery(start="2026-03-01"), []),
    ],
)
def test_reports_filter_by_period_and_state(
    platform: Platform, world: World, market: Market, query: ReportQuery, periods: list[str]
) -> None:
    page = usage_views.report_page(platform, viewer=world.admin.actor, query=query)
    assert [r.period for r in page.items] == periods
    assert page.total == len(periods)


def test_report_rows_carry_their_invoice_totals(
    platform: Platform, world: World, market: Market
) -> None:
    [february, january] = usage_views.report_page(
        platform, viewer=world.dev.actor, query=ReportQuery()
    ).items
    assert (january.total, january.outstanding, january.state) == (180, 0, ReportState.PAID)
    assert (february.total, february.outstanding) == (180, 180)
    assert (february.dataset_name, february.tariff_code, february.currency) == (
        "corpus",
        "TXT-2026",
        "CNY",
    )
    view = usage_views.report_view(platform, viewer=world.dev.actor, report_id=february.id)
    assert [(line.title, line.characters) for line in view.lines] == [
        ("Alpha", 10_000),
        ("Beta", 5_000),
        ("Shared", 3_000),
    ]
    [bill] = view.invoices
    assert (bill.cmo_name, bill.total, bill.state) == ("Writers CMO", 180, InvoiceState.UNPAID)


def test_a_developer_reads_only_its_own_reports_and_invoices(
    platform: Platform, world: World, market: Market
) -> None:
    rival = market.rival_dev
    mine = ReportQuery(developer_id=world.dev.id)
    assert usage_views.report_page(platform, viewer=rival, query=mine).items == []
    assert invoice_views.invoice_page(platform, viewer=rival, developer_id=world.dev.id).total == 0
    report = usage_views.report_page(platform, viewer=world.dev.actor, query=mine).items[0]
    bill = invoice_views.invoice_page(platform, viewer=world.dev.actor).items[0]
    with pytest.raises(Forbidden):
        usage_views.report_view(platform, viewer=rival, report_id=report.id)
    with pytest.raises(Forbidden):
        invoice_views.invoice_view(platform, viewer=rival, invoice_id=bill.id)
    with pytest.raises(Forbidden):
        usage_views.measured_lines(platform, viewer=rival, version_id=market.version_id)


def test_invoices_filter_by_state_and_show_their_lines(
    platform: Platform, world: World, market: Market
) -> None:
    dev = world.dev.actor
    paid = invoice_views.invoice_page(platform, viewer=dev, state=InvoiceState.PAID)
    [invoice] = paid.items
    assert invoice.paid_on is not None
    view = invoice_views.invoice_view(platform, viewer=dev, invoice_id=invoice.id)
    assert sum(line.amount for line in view.lines) == view.invoice.total == 180
    assert [c.amount for c in view.charges] == [180]


def test_the_report_form_lines_are_the_services_measurement(
    platform: Platform, world: World, market: Market
) -> None:
    dev = world.dev.actor
    lines = usage_views.measured_lines(platform, viewer=dev, version_id=market.version_id)
    usage = usage_reports.measured_usage(platform, viewer=dev, version_id=market.version_id)
    assert [(x.work_id, x.records, x.characters, x.images) for x in lines] == [
        (u.work_id, u.records, u.characters, u.images) for u in usage
    ]
    assert [x.title for x in lines] == ["Alpha", "Beta", "Shared"]
