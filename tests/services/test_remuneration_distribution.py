"""Distribution runs from the store: authorisation, conservation, once per period, statements,
carried-forward balances, attribution pools and the reserve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MakeParty
from tests.services.conftest import World
from tests.services.remuneration import (
    PERIOD,
    TARIFF,
    Market,
    dataset_version,
    events,
    open_market,
)
from trainclear.clock import FixedClock
from trainclear.errors import Conflict, Forbidden, NotFound, ValidationFailed
from trainclear.royalties import ReservePolicy
from trainclear.schemas.distributions import (
    DistributionRunCreate,
    ReserveClaimCreate,
    ReserveState,
)
from trainclear.schemas.tariffs import CmoSettingsUpdate
from trainclear.schemas.usage import (
    AttributionCreate,
    InvoicePay,
    UsageLineIn,
    UsageReportCreate,
)
from trainclear.schemas.works import HolderShare, WorkCreate
from trainclear.services import (
    attributions,
    cmo_settings,
    distributions,
    invoices,
    reserve,
    statements,
    usage_reports,
)
from trainclear.services.platform import Platform
from trainclear.services.works import register_work

RUN = DistributionRunCreate(period=PERIOD)
MARCH = "2026-03-01/2026-03-31"


@pytest.fixture
def market(platform: Platform, world: World, make_party: MakeParty, tmp_path: Path) -> Market:
    return open_market(platform, world, make_party, tmp_path)


def _paid_report(platform: Platform, market: Market) -> int:
    w = market.world
    report = usage_reports.submit_usage_report(
        platform, actor=w.dev.actor, data=market.report_data()
    )
    invoice = report.invoices[0].id
    invoices.pay_invoice(platform, actor=w.cmo.actor, invoice_id=invoice, data=InvoicePay())
    return invoice


def _conserves(summary: dict[str, Any]) -> bool:
    money_in = summary["collected"] + summary["carried_in"] + summary["released_reserve"]
    out = summary["fee"] + summary["paid_out"] + summary["carried_out"] + summary["reserved"]
    return bool(money_in == out)


def test_only_a_cmo_runs_a_distribution(platform: Platform, market: Market) -> None:
    w = market.world
    for who in (w.dev, w.alice, w.admin):
        with pytest.raises(Forbidden):
            distributions.run_distribution(platform, actor=who.actor, data=RUN)


def test_a_run_distributes_the_paid_invoices_exactly(platform: Platform, market: Market) -> None:
    w = market.world
    _paid_report(platform, market)
    run = distributions.run_distribution(platform, actor=w.cmo.actor, data=RUN)
    s = run.summary
    assert (s["collected"], s["fee"], s["paid_out"], s["reserved"], s["works"]) == (
        180,
        0,
        180,
        0,
        3,
    )
    assert _conserves(s)
    accounts = statements.list_statements(platform, viewer=w.cmo.actor)
    # Alice: work A 100 + 2/3 of 30; Bob: work B 50 + 1/3 of 30
    assert {a.holder_id: a.payout for a in accounts} == {w.alice.id: 120, w.bob.id: 60}
    [event] = events(platform, "distribution.run")
    assert event.payload["digest"] == run.digest
    # the rival CMO collected nothing: its run is empty, and it cannot see this one
    empty = distributions.run_distribution(platform, actor=market.rival_cmo, data=RUN)
    assert (empty.summary["collected"], empty.summary["works"]) == (0, 0)
    with pytest.raises(Forbidden):
        distributions.get_run(platform, viewer=market.rival_cmo, run_id=run.id)


def test_unpaid_invoices_are_not_distributed(platform: Platform, market: Market) -> None:
    w = market.world
    usage_reports.submit_usage_report(platform, actor=w.dev.actor, data=market.report_data())
    run = distributions.run_distribution(platform, actor=w.cmo.actor, data=RUN)
    assert run.summary["collected"] == 0


def test_a_period_is_distributed_once(
    platform: Platform, market: Market, world: World, tmp_path: Path
) -> None:
    _paid_report(platform, market)
    cmo = world.cmo.actor
    first = distributions.run_distribution(platform, actor=cmo, data=RUN)
    again = distributions.run_distribution(platform, actor=cmo, data=RUN)
    assert (again.id, again.replayed, again.input_hash) == (first.id, True, first.input_hash)
    assert len(events(platform, "distribution.run")) == 1
    overlapping = DistributionRunCreate(period="2026-02-01/2026-03-31")
    with pytest.raises(Conflict) as refused:
        distributions.run_distribution(platform, actor=cmo, data=overlapping)
    assert refused.value.key == "royalties.period_distributed"
    # an invoice of the period paid after its run: the period is not run again; the
    # next run takes it
    version = dataset_version(
        platform, world.dev.actor, {world.work_b: (1, 2_000)}, tmp_path, name="late"
    )
    late = usage_reports.submit_usage_report(
        platform,
        actor=world.dev.actor,
        data=UsageReportCreate(
            dataset_version_id=version,
            period=PERIOD,
            model="m-1",
            epochs=1,
            lines=[UsageLineIn(work_id=world.work_b, records=1, characters=2_000)],
            tariff_code=TARIFF["code"],
        ),
    )
    invoices.pay_invoice(platform, actor=cmo, invoice_id=late.invoices[0].id, data=InvoicePay())
    with pytest.raises(Conflict):
        distributions.run_distribution(platform, actor=cmo, data=RUN)
    march = distributions.run_distribution(
        platform, actor=cmo, data=DistributionRunCreate(period=MARCH)
    )
    assert march.summary["collected"] == 20


def test_statements_are_shown_to_their_holder_and_the_cmo(
    platform: Platform, market: Market, world: World
) -> None:
    _paid_report(platform, market)
    run = distributions.run_distribution(platform, actor=world.cmo.actor, data=RUN)
    mine = statements.get_statement(
        platform, viewer=world.alice.actor, run_id=run.id, holder_id=world.alice.id
    )
    assert (mine.payout, [r.work_id for r in mine.rows]) == (
        120,
        sorted([world.work_a, world.work_shared]),
    )
    assert "10 per_1000_chars" in mine.to_csv()
    for viewer in (world.cmo.actor, world.admin.actor):
        seen = statements.get_statement(
            platform, viewer=viewer, run_id=run.id, holder_id=world.bob.id
        )
        assert seen.payout == 60
    for viewer in (world.bob.actor, market.rival_cmo, world.dev.actor):
        with pytest.raises(Forbidden):
            statements.get_statement(
                platform, viewer=viewer, run_id=run.id, holder_id=world.alice.id
            )
    with pytest.raises(NotFound):
        statements.get_statement(
            platform, viewer=world.cmo.actor, run_id=run.id, holder_id=world.dev.id
        )
    assert [
        a.holder_id for a in statements.list_statements(platform, viewer=world.alice.actor)
    ] == [world.alice.id]
    report = statements.get_report(platform, viewer=world.cmo.actor, run_id=run.id)
    assert (report.figure("collected"), report.figure("invoices")) == (180, 1)
    with pytest.raises(Forbidden):
        statements.get_report(platform, viewer=world.alice.actor, run_id=run.id)


def test_balances_below_the_minimum_are_carried_into_the_next_run(
    platform: Platform, market: Market, world: World, tmp_path: Path
) -> None:
    cmo = world.cmo.actor
    settings = CmoSettingsUpdate(fee_schedule=[{"rate": "0.1"}], minimum_payout=100)
    cmo_settings.set_cmo_settings(platform, actor=cmo, data=settings)
    _paid_report(platform, market)
    first = distributions.run_distribution(platform, actor=cmo, data=RUN)
    # 180 − 18 fee = 162: Alice 108 paid, Bob 54 carried forward
    assert (first.summary["fee"], first.summary["paid_out"], first.summary["carried_out"]) == (
        18,
        108,
        54,
    )
    second = distributions.run_distribution(
        platform, actor=cmo, data=DistributionRunCreate(period=MARCH)
    )
    assert (second.summary["carried_in"], second.summary["carried_out"]) == (54, 54)
    assert _conserves(first.summary)
    assert _conserves(second.summary)


def test_the_attribution_pool_is_split_by_score(
    platform: Platform, market: Market, world: World
) -> None:
    _paid_report(platform, market)
    attributions.submit_attribution(
        platform,
        actor=world.dev.actor,
        data=AttributionCreate(
            cmo_id=world.cmo.id,
            period=PERIOD,
            amount=30,
            scores={world.work_a: "1/3", world.work_b: "2/3"},
        ),
    )
    run = distributions.run_distribution(platform, actor=world.cmo.actor, data=RUN)
    assert (run.summary["attribution_pool"], run.summary["use_pool"]) == (30, 150)
    bob = statements.get_statement(
        platform, viewer=world.bob.actor, run_id=run.id, holder_id=world.bob.id
    )
    assert {r.work_id: r.attribution_pool for r in bob.rows}[world.work_b] == 20
    with pytest.raises(Conflict):
        attributions.submit_attribution(
            platform,
            actor=world.dev.actor,
            data=AttributionCreate(
                cmo_id=world.cmo.id,
                period="2026-02-01/2026-02-28",
                amount=1,
                scores={world.work_a: "1"},
            ),
        )


# the reserve


@pytest.fixture
def orphaned(platform: Platform, market: Market, world: World, tmp_path: Path) -> int:
    """A repertoire work with no identified holder, used beside work A; invoice paid."""
    orphan = register_work(
        platform,
        actor=world.cmo.actor,
        data=WorkCreate(title="Anonymous", text="anonymous", holder_unidentified=True),
    ).id
    measured = {orphan: (1, 2_000), world.work_a: (1, 1_000)}
    version = dataset_version(platform, world.dev.actor, measured, tmp_path, name="orphans")
    report = usage_reports.submit_usage_report(
        platform,
        actor=world.dev.actor,
        data=UsageReportCreate(
            dataset_version_id=version,
            period=PERIOD,
            model="m-1",
            epochs=1,
            lines=[
                UsageLineIn(work_id=w, records=1, characters=c) for w, (_, c) in measured.items()
            ],
            tariff_code=TARIFF["code"],
        ),
    )
    invoices.pay_invoice(
        platform, actor=world.cmo.actor, invoice_id=report.invoices[0].id, data=InvoicePay()
    )
    return orphan


def test_only_a_cmo_registers_a_work_with_an_unidentified_holder(
    platform: Platform, world: World
) -> None:
    data = WorkCreate(title="Anonymous", text="anonymous", holder_unidentified=True)
    with pytest.raises(Forbidden):
        register_work(platform, actor=world.alice.actor, data=data)
    named = data.model_copy(update={"holders": [HolderShare(holder_id=world.alice.id)]})
    with pytest.raises(ValidationFailed):
        register_work(platform, actor=world.cmo.actor, data=named)
    work = register_work(platform, actor=world.cmo.actor, data=data)
    assert (work.holders, work.cmo_id) == ([], world.cmo.id)


def test_an_unidentified_share_is_reserved_and_claimed(
    platform: Platform, world: World, market: Market, orphaned: int
) -> None:
    run = distributions.run_distribution(platform, actor=world.cmo.actor, data=RUN)
    assert (run.summary["reserved"], run.summary["paid_out"]) == (20, 10)
    [entry] = reserve.list_reserve(platform, viewer=world.cmo.actor)
    assert (entry.work_id, entry.amount, entry.state) == (orphaned, 20, ReserveState.OPEN)
    claim = ReserveClaimCreate(holder_id=world.bob.id)
    for who in (market.rival_cmo, world.bob.actor, world.admin.actor):
        with pytest.raises(Forbidden):
            reserve.claim_reserve(platform, actor=who, entry_id=entry.id, data=claim)
    with pytest.raises(ValidationFailed):
        reserve.claim_reserve(
            platform,
            actor=world.cmo.actor,
            entry_id=entry.id,
            data=ReserveClaimCreate(holder_id=world.dev.id),
        )
    claimed = reserve.claim_reserve(platform, actor=world.cmo.actor, entry_id=entry.id, data=claim)
    assert (claimed.state, claimed.claimed_by) == (ReserveState.CLAIMED, world.bob.id)
    with pytest.raises(Conflict):
        reserve.claim_reserve(platform, actor=world.cmo.actor, entry_id=entry.id, data=claim)
    assert [e.kind for e in events(platform)][-1] == "reserve.claimed"
    with pytest.raises(Forbidden):
        reserve.list_reserve(platform, viewer=world.alice.actor)


def test_expired_reserve_is_released_into_the_next_run(
    platform: Platform,
    world: World,
    market: Market,
    orphaned: int,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    cmo = world.cmo.actor
    rules = CmoSettingsUpdate(
        fee_schedule=[{"rate": "0"}],
        reserve_claim_years=0,
        reserve_policy=ReservePolicy.IDENTIFIED_HOLDERS,
    )
    cmo_settings.set_cmo_settings(platform, actor=cmo, data=rules)
    distributions.run_distribution(platform, actor=cmo, data=RUN)
    [entry] = reserve.list_reserve(platform, viewer=cmo)
    assert entry.expires_on.isoformat() == "2026-02-28"  # claim period 0 years: already over
    with pytest.raises(Conflict) as late:
        reserve.claim_reserve(
            platform, actor=cmo, entry_id=entry.id, data=ReserveClaimCreate(holder_id=world.bob.id)
        )
    assert late.value.key == "royalties.reserve_expired"
    with pytest.raises(Forbidden):
        reserve.release_reserve(platform, actor=world.dev.actor)
    released = reserve.release_reserve(platform, actor=cmo)
    assert (released.amount, [e.state for e in released.released]) == (20, [ReserveState.RELEASED])
    assert reserve.release_reserve(platform, actor=cmo).amount == 0
    # March: Bob's work B collects 20; the 20 released go pro rata to March's holders
    version = dataset_version(
        platform, world.dev.actor, {world.work_b: (1, 2_000)}, tmp_path, name="m"
    )
    report = usage_reports.submit_usage_report(
        platform,
        actor=world.dev.actor,
        data=UsageReportCreate(
            dataset_version_id=version,
            period=MARCH,
            model="m-1",
            epochs=1,
            lines=[UsageLineIn(work_id=world.work_b, records=1, characters=2_000)],
            tariff_code=TARIFF["code"],
        ),
    )
    invoices.pay_invoice(platform, actor=cmo, invoice_id=report.invoices[0].id, data=InvoicePay())
    march = distributions.run_distribution(
        platform, actor=cmo, data=DistributionRunCreate(period=MARCH)
    )
    s = march.summary
    assert (s["collected"], s["released_reserve"], s["paid_out"]) == (20, 20, 40)
    assert _conserves(s)
    [entry] = reserve.list_reserve(platform, viewer=cmo, state=ReserveState.RELEASED)
    assert entry.released_into == march.id
    replay = distributions.run_distribution(
        platform, actor=cmo, data=DistributionRunCreate(period=MARCH)
    )
    assert (replay.id, replay.replayed) == (march.id, True)
