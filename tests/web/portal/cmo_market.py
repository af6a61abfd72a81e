"""A CMO's market for the console and statement tests: a mandate, a tariff, an invoice.

Alice's poem is under the CMO's mandate; Bob's Beta is under none, so it is invoiced for
the CMO whose tariff priced the report. The developer's dataset version measured 10,000
characters of the poem and 5,000 of Beta: at 10 fen per 1,000 characters, one invoice of
CNY 1.50 to the CMO (1.00 for the poem, 0.50 for Beta), unpaid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.services.remuneration import PERIOD, TARIFF, dataset_version
from tests.web.portal.conftest import Account, World
from trainclear.domain import PartyKind
from trainclear.schemas.tariffs import TariffCreate
from trainclear.schemas.usage import UsageLineIn, UsageReportCreate
from trainclear.schemas.works import MandateUpdate
from trainclear.services import tariffs, usage_reports, works
from trainclear.services.platform import Platform


@dataclass(frozen=True)
class Market:
    world: World
    cmo: Account
    rival_cmo: Account
    invoice_id: int


def open_market(platform: Platform, world: World, cmo: Account, folder: Path) -> int:
    """The mandate, the tariff and the invoice; returns the invoice's id."""
    tariffs.create_tariff(platform, actor=cmo.actor, data=TariffCreate.model_validate(TARIFF))
    return report_usage(platform, world, cmo, folder)


def report_usage(platform: Platform, world: World, cmo: Account, folder: Path) -> int:
    """Given the CMO's tariff TXT-2026: the poem's mandate, the developer's dataset version
    and its usage report for the period; returns the invoice's id."""
    works.set_mandate(
        platform,
        actor=world.alice.actor,
        work_id=world.poem,
        data=MandateUpdate(cmo_id=cmo.party_id),
    )
    measured = {world.poem: (1, 10_000), world.beta: (1, 5_000)}
    version = dataset_version(platform, world.dev.actor, measured, folder)
    report = UsageReportCreate(
        dataset_version_id=version,
        period=PERIOD,
        model="Qilin-7B",
        epochs=1,
        lines=[UsageLineIn(work_id=w, records=r, characters=c) for w, (r, c) in measured.items()],
        tariff_code=TARIFF["code"],
    )
    done = usage_reports.submit_usage_report(platform, actor=world.dev.actor, data=report)
    [invoice] = done.invoices
    return invoice.id


def make_market(platform: Platform, world: World, make_account: Any, folder: Path) -> Market:
    """Two CMOs, the first with the mandate, the tariff and the unpaid invoice."""
    cmo = make_account(PartyKind.CMO, "Writers CMO")
    rival = make_account(PartyKind.CMO, "Other CMO")
    invoice = open_market(platform, world, cmo, folder)
    return Market(world, cmo, rival, invoice)
