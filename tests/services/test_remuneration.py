"""Tariffs, CMO settings, a notice's tariff, usage reports, invoices and attribution scores."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.conftest import MakeParty
from tests.services.conftest import World
from tests.services.remuneration import PERIOD, TARIFF, Market, events, open_market
from trainclear.clock import FixedClock
from trainclear.domain import Actor, PartyKind
from trainclear.errors import Conflict, Forbidden, NotFound, ValidationFailed
from trainclear.royalties import InvoiceState, UsageUnderstated
from trainclear.schemas.notices import NoticeAmend, NoticePublish
from trainclear.schemas.tariffs import CmoSettingsUpdate, TariffCreate, TariffEnd
from trainclear.schemas.usage import AttributionCreate, InvoicePay
from trainclear.schemas.works import WorkCreate
from trainclear.services import (
    attributions,
    cmo_settings,
    invoices,
    notices,
    tariffs,
    usage_reports,
)
from trainclear.services.platform import Platform
from trainclear.services.works import register_work


@pytest.fixture
def market(platform: Platform, world: World, make_party: MakeParty, tmp_path: Path) -> Market:
    return open_market(platform, world, make_party, tmp_path)


def _tariff(**change: object) -> TariffCreate:
    return TariffCreate.model_validate({**TARIFF, **change})


# tariffs and settings


def test_only_a_cmo_publishes_tariffs(platform: Platform, world: World) -> None:
    for who in (world.dev, world.alice, world.admin):
        with pytest.raises(Forbidden):
            tariffs.create_tariff(platform, actor=who.actor, data=_tariff())
    made = tariffs.create_tariff(platform, actor=world.cmo.actor, data=_tariff())
    assert (made.cmo_id, made.code, made.schedules[0].tiers[0].rate) == (
        world.cmo.id,
        "TXT-2026",
        "10",
    )
    assert tariffs.list_tariffs(platform, on=date(2025, 12, 31)) == []
    assert [t.id for t in tariffs.list_tariffs(platform, on=date(2026, 1, 1))] == [made.id]


def test_versions_of_a_code_may_not_overlap(platform: Platform, world: World) -> None:
    cmo = world.cmo.actor
    first = tariffs.create_tariff(platform, actor=cmo, data=_tariff())
    with pytest.raises(Conflict) as overlap:
        tariffs.create_tariff(platform, actor=cmo, data=_tariff(effective_from="2026-07-01"))
    assert overlap.value.key == "royalties.tariff_overlap"
    ended = tariffs.end_tariff(
        platform, actor=cmo, tariff_id=first.id, data=TariffEnd(effective_to=date(2026, 6, 30))
    )
    assert ended.effective_to == date(2026, 6, 30)
    later = tariffs.create_tariff(platform, actor=cmo, data=_tariff(effective_from="2026-07-01"))
    assert later.effective_from == date(2026, 7, 1)
    with pytest.raises(Forbidden):
        tariffs.end_tariff(
            platform,
            actor=world.dev.actor,
            tariff_id=later.id,
            data=TariffEnd(effective_to=date(2026, 12, 31)),
        )


def test_rates_are_exact_and_floats_are_refused(platform: Platform, world: World) -> None:
    with pytest.raises(ValidationError):
        _tariff(
            schedules=[{"work_type": "text", "unit": "per_1000_chars", "tiers": [{"rate": 0.1}]}]
        )
    with pytest.raises(ValidationFailed) as unit:
        tariffs.create_tariff(
            platform,
            actor=world.cmo.actor,
            data=_tariff(
                schedules=[{"work_type": "text", "unit": "per_image", "tiers": [{"rate": "1"}]}]
            ),
        )
    assert unit.value.key == "royalties.tariff_unit"


def test_a_cmo_sets_only_its_own_settings(platform: Platform, world: World) -> None:
    assert cmo_settings.get_cmo_settings(platform, cmo_id=world.cmo.id).updated_at is None
    data = CmoSettingsUpdate(
        fee_schedule=[{"up_to": 20000, "rate": "0.12"}, {"rate": "0.08"}], minimum_payout=1000
    )
    for who in (world.dev, world.alice, world.admin):
        with pytest.raises(Forbidden):
            cmo_settings.set_cmo_settings(platform, actor=who.actor, data=data)
    cmo_settings.set_cmo_settings(platform, actor=world.cmo.actor, data=data)
    shown = cmo_settings.get_cmo_settings(platform, cmo_id=world.cmo.id)
    assert [(b.up_to, b.rate) for b in shown.fee_schedule] == [("20000", "0.12"), (None, "0.08")]
    rising = CmoSettingsUpdate(fee_schedule=[{"up_to": 100, "rate": "0.05"}, {"rate": "0.1"}])
    with pytest.raises(ValidationFailed) as refused:
        cmo_settings.set_cmo_settings(platform, actor=world.cmo.actor, data=rising)
    assert refused.value.key == "royalties.brackets_rising"


# a notice names its tariff


def test_a_notice_names_a_tariff_in_force(
    platform: Platform, world: World, make_party: MakeParty
) -> None:
    draft = world.draft(platform, world.work_a)
    with pytest.raises(NotFound):
        notices.publish_notice(
            platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish(tariff_code="X")
        )
    tariffs.create_tariff(
        platform, actor=world.cmo.actor, data=_tariff(effective_from="2027-01-01")
    )
    with pytest.raises(NotFound) as not_yet:
        notices.publish_notice(
            platform,
            actor=world.dev.actor,
            notice_id=draft.id,
            data=NoticePublish(tariff_code=TARIFF["code"]),
        )
    assert not_yet.value.key == "royalties.tariff_none"
    tariffs.create_tariff(platform, actor=world.cmo.actor, data=_tariff(effective_to="2026-12-31"))
    other = make_party(PartyKind.CMO, "Other CMO")
    tariffs.create_tariff(platform, actor=other.actor, data=_tariff())
    with pytest.raises(ValidationFailed) as ambiguous:
        notices.publish_notice(
            platform,
            actor=world.dev.actor,
            notice_id=draft.id,
            data=NoticePublish(tariff_code=TARIFF["code"]),
        )
    assert ambiguous.value.key == "remuneration.tariff_ambiguous"
    named = NoticePublish(tariff_code=TARIFF["code"], tariff_cmo_id=world.cmo.id)
    published = notices.publish_notice(
        platform, actor=world.dev.actor, notice_id=draft.id, data=named
    )
    assert (published.tariff_code, published.tariff_cmo_id) == (TARIFF["code"], world.cmo.id)
    amended = notices.amend_notice(
        platform, actor=world.dev.actor, notice_id=draft.id, data=NoticeAmend(remuneration="x")
    )
    assert (amended.tariff_code, amended.tariff_cmo_id) == (TARIFF["code"], world.cmo.id)
    [event] = events(platform, "notice.published")
    assert event.payload["tariff"] == [world.cmo.id, TARIFF["code"]]


# usage reports and invoices


def test_a_report_is_priced_and_invoiced_per_cmo(platform: Platform, market: Market) -> None:
    w = market.world
    report = usage_reports.submit_usage_report(
        platform, actor=w.dev.actor, data=market.report_data()
    )
    [invoice] = report.invoices
    # works A and Shared have no mandate: they are collected by the tariff's CMO
    assert (invoice.cmo_id, invoice.total, invoice.state) == (w.cmo.id, 180, InvoiceState.UNPAID)
    assert {x.work_id: x.amount for x in invoice.lines} == {
        w.work_a: 100,
        w.work_b: 50,
        w.work_shared: 30,
    }
    assert [c.exact for c in invoice.charges] == ["180"]
    kinds = [e.kind for e in events(platform)][-2:]
    assert kinds == ["usage_report.submitted", "invoice.issued"]


def test_a_report_below_the_scan_is_refused_and_nothing_is_written(
    platform: Platform, market: Market
) -> None:
    w = market.world
    with pytest.raises(UsageUnderstated) as refused:
        usage_reports.submit_usage_report(
            platform, actor=w.dev.actor, data=market.report_data(work_b=4_000, work_a=9_999)
        )
    found = [(s.work_id, s.measure, s.difference) for s in refused.value.shortfalls]
    assert found == sorted([(w.work_a, "characters", 1), (w.work_b, "characters", 1000)])
    assert f"#{w.work_b} characters: 4000 < 5000 (-1000)" in refused.value.message("en")
    assert usage_reports.list_usage_reports(platform, viewer=w.dev.actor) == []
    assert invoices.list_invoices(platform, viewer=w.cmo.actor) == []


def test_only_the_versions_developer_reports(platform: Platform, market: Market) -> None:
    w = market.world
    for who in (market.rival_dev, w.alice.actor, w.cmo.actor):
        with pytest.raises(Forbidden):
            usage_reports.submit_usage_report(platform, actor=who, data=market.report_data())


def test_the_same_report_twice_is_one_report(platform: Platform, market: Market) -> None:
    dev = market.world.dev.actor
    first = usage_reports.submit_usage_report(platform, actor=dev, data=market.report_data())
    again = usage_reports.submit_usage_report(platform, actor=dev, data=market.report_data())
    assert again == first
    assert len(invoices.list_invoices(platform, viewer=dev)) == 1
    with pytest.raises(Conflict) as overlap:
        usage_reports.submit_usage_report(
            platform, actor=dev, data=market.report_data(period="2026-02-01/2026-03-31")
        )
    assert overlap.value.key == "remuneration.report_exists"


def test_without_a_tariff_named_the_report_is_refused(platform: Platform, market: Market) -> None:
    data = market.report_data().model_copy(update={"tariff_code": None})
    with pytest.raises(ValidationFailed) as refused:
        usage_reports.submit_usage_report(platform, actor=market.world.dev.actor, data=data)
    assert refused.value.key == "remuneration.no_tariff"


def test_a_period_across_a_tariff_change_is_refused(platform: Platform, market: Market) -> None:
    data = market.report_data(period="2025-12-01/2026-01-31")
    with pytest.raises(NotFound):
        usage_reports.submit_usage_report(platform, actor=market.world.dev.actor, data=data)


def test_the_measured_usage_is_shown_to_its_developer(platform: Platform, market: Market) -> None:
    w = market.world
    lines = usage_reports.measured_usage(platform, viewer=w.dev.actor, version_id=market.version_id)
    assert {x.work_id: x.characters for x in lines} == {
        w.work_a: 10_000,
        w.work_b: 5_000,
        w.work_shared: 3_000,
    }
    with pytest.raises(Forbidden):
        usage_reports.measured_usage(
            platform, viewer=market.rival_dev, version_id=market.version_id
        )


def test_invoices_are_paid_by_their_cmo_once(
    platform: Platform, market: Market, clock: FixedClock
) -> None:
    w = market.world
    report = usage_reports.submit_usage_report(
        platform, actor=w.dev.actor, data=market.report_data()
    )
    invoice_id = report.invoices[0].id
    for who in (market.rival_cmo, w.dev.actor, w.alice.actor):
        with pytest.raises(Forbidden):
            invoices.pay_invoice(platform, actor=who, invoice_id=invoice_id, data=InvoicePay())
    tomorrow = clock.now().date() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as future:
        invoices.pay_invoice(
            platform, actor=w.cmo.actor, invoice_id=invoice_id, data=InvoicePay(paid_on=tomorrow)
        )
    assert future.value.key == "remuneration.paid_on"
    paid = invoices.pay_invoice(
        platform, actor=w.cmo.actor, invoice_id=invoice_id, data=InvoicePay()
    )
    assert (paid.state, paid.paid_on) == (InvoiceState.PAID, clock.now().date())
    with pytest.raises(Conflict):
        invoices.pay_invoice(platform, actor=w.cmo.actor, invoice_id=invoice_id, data=InvoicePay())


def test_who_sees_an_invoice(platform: Platform, market: Market) -> None:
    w = market.world
    report = usage_reports.submit_usage_report(
        platform, actor=w.dev.actor, data=market.report_data()
    )
    invoice_id = report.invoices[0].id
    viewers: list[Actor] = [w.dev.actor, w.cmo.actor, w.admin.actor]
    for viewer in viewers:
        assert invoices.get_invoice(platform, viewer=viewer, invoice_id=invoice_id).id == invoice_id
        assert [i.id for i in invoices.list_invoices(platform, viewer=viewer)] == [invoice_id]
    for viewer in (market.rival_dev, market.rival_cmo, w.alice.actor):
        with pytest.raises(Forbidden):
            invoices.get_invoice(platform, viewer=viewer, invoice_id=invoice_id)
        assert invoices.list_invoices(platform, viewer=viewer) == []
    assert usage_reports.get_usage_report(platform, viewer=w.cmo.actor, report_id=report.id).id
    with pytest.raises(Forbidden):
        usage_reports.get_usage_report(platform, viewer=market.rival_cmo, report_id=report.id)


# attribution scores


def test_only_a_licensee_supplies_scores_for_the_repertoire(
    platform: Platform, market: Market, world: World, tmp_path: Path
) -> None:
    data = AttributionCreate(
        cmo_id=world.cmo.id, period=PERIOD, amount=30, scores={world.work_b: "2", world.work_a: "1"}
    )
    with pytest.raises(Forbidden) as not_licensee:
        attributions.submit_attribution(platform, actor=world.dev.actor, data=data)
    assert not_licensee.value.key == "remuneration.not_licensee"
    usage_reports.submit_usage_report(platform, actor=world.dev.actor, data=market.report_data())
    for who in (world.alice.actor, world.cmo.actor):
        with pytest.raises(Forbidden):
            attributions.submit_attribution(platform, actor=who, data=data)
    foreign = data.model_copy(update={"cmo_id": market.rival_cmo.party_id})
    with pytest.raises(Forbidden):
        attributions.submit_attribution(platform, actor=world.dev.actor, data=foreign)
    made = attributions.submit_attribution(platform, actor=world.dev.actor, data=data)
    assert made.scores == {world.work_a: "1", world.work_b: "2"}
    with pytest.raises(Conflict):
        attributions.submit_attribution(platform, actor=world.dev.actor, data=data)
    seen = {a.id for a in attributions.list_attributions(platform, viewer=world.cmo.actor)}
    assert seen == {made.id}
    assert attributions.list_attributions(platform, viewer=market.rival_cmo) == []


def test_scores_for_works_outside_the_repertoire_are_refused(
    platform: Platform, market: Market, world: World, make_party: MakeParty
) -> None:
    usage_reports.submit_usage_report(platform, actor=world.dev.actor, data=market.report_data())
    other = register_work(
        platform, actor=world.bob.actor, data=WorkCreate(title="Gamma", text="gamma text")
    ).id
    data = AttributionCreate(cmo_id=world.cmo.id, period=PERIOD, amount=30, scores={other: "1"})
    with pytest.raises(ValidationFailed) as refused:
        attributions.submit_attribution(platform, actor=world.dev.actor, data=data)
    assert refused.value.key == "remuneration.not_repertoire"
