"""docs/remuneration.md's worked example, replayed through the platform's services.

tariff → notice naming it → dataset version filtered under the notice → usage report
(an under-stated one refused) → invoices → paid → attribution scores → distribution run →
statements and the CMO's report. Every figure must be the one the document shows, which
tests/royalties/test_worked_example.py checks is what the engine computes from
tests/royalties/worked_example.yaml. The store gives its own ids, so the document's ids
(works 1–5, holders 11–14, dataset version 7, invoice 501) are mapped to them.

Holder 12's 350 fen carried in come from a real earlier run: in the last quarter of 2024
a work of holder 12 alone collected 398 fen, the fee took 48 and the 350 left were below
the minimum payout.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MakeParty
from tests.royalties.example import Example, load, tables
from tests.services.remuneration import dataset_version
from trainclear.clock import FixedClock
from trainclear.domain import Actor, PartyKind, WorkType
from trainclear.royalties import UsageUnderstated
from trainclear.royalties.money import decimal_text
from trainclear.schemas.distributions import DistributionRunCreate
from trainclear.schemas.notices import NoticeCreate, NoticePublish, NoticeWorkIn
from trainclear.schemas.tariffs import CmoSettingsUpdate, TariffCreate
from trainclear.schemas.usage import AttributionCreate, InvoicePay, UsageReportCreate
from trainclear.schemas.works import HolderShare, WorkCreate
from trainclear.services import (
    attributions,
    cmo_settings,
    distributions,
    invoices,
    lifecycle,
    notices,
    reserve,
    statements,
    tariffs,
    usage_reports,
)
from trainclear.services.platform import Platform
from trainclear.services.works import register_work

DAY = timedelta(days=1)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 1, 2, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def example() -> Example:
    return load()


@dataclass
class Ids:
    """The document's ids → the store's."""

    works: dict[int, int] = field(default_factory=dict)
    holders: dict[int, int] = field(default_factory=dict)
    cmos: dict[int, Actor] = field(default_factory=dict)
    invoice: int = 0
    version: int = 0

    def holder(self, doc_id: int) -> int:
        return -1 if doc_id < 0 else self.holders[doc_id]


def test_the_worked_example_through_the_services(
    platform: Platform,
    clock: FixedClock,
    make_party: MakeParty,
    example: Example,
    tmp_path: Path,
) -> None:
    data, ids = example.data, Ids()
    dev = make_party(PartyKind.DEVELOPER, "Developer 100").actor
    for doc_id in (1, 2):
        ids.cmos[doc_id] = make_party(PartyKind.CMO, f"CMO {doc_id}").actor
    cmo = ids.cmos[1]
    for doc_id in (11, 12, 13, 14, 15):
        ids.holders[doc_id] = make_party(PartyKind.RIGHTS_HOLDER, f"Holder {doc_id}").id
    _register_works(platform, ids, make_party)
    _tariffs_and_settings(platform, cmo, example)

    # the last quarter of 2024: holder 12's work collects 398 fen; 350 are carried forward
    v6 = dataset_version(platform, dev, {ids.works[6]: (1, 398_000)}, tmp_path, name="v6")
    q4 = usage_reports.submit_usage_report(
        platform,
        actor=dev,
        data=UsageReportCreate(
            dataset_version_id=v6,
            period="2024-10-01/2024-12-31",
            model="qingyun-6b",
            epochs=1,
            lines=[{"work_id": ids.works[6], "records": 1, "characters": 398_000}],
            tariff_code="CN-AI-TRAIN-2024",
        ),
    )
    invoices.pay_invoice(platform, actor=cmo, invoice_id=q4.invoices[0].id, data=InvoicePay())
    before = distributions.run_distribution(
        platform, actor=cmo, data=DistributionRunCreate(period="2024-10-01/2024-12-31")
    )
    assert (before.summary["fee"], before.summary["carried_out"]) == (48, 350)

    # 1. the notice names the tariff; 2. the version is filtered under the notice
    notice = _notice(platform, dev, ids)
    assert (notice.tariff_code, notice.tariff_cmo_id) == ("CN-AI-TRAIN-2025", cmo.party_id)
    clock.advance(31 * DAY)
    lifecycle.advance_notices(platform)
    measured = {
        ids.works[m["work_id"]]: (m["records"], m.get("characters", 0)) for m in data["measured"]
    }
    ids.version = dataset_version(platform, dev, measured, tmp_path, name="v7", notice_id=notice.id)

    # 3. the usage report: an under-statement is refused, naming the work and difference
    clock.advance(timedelta(days=62))
    report = data["usage_report"]
    lines = [{**line, "work_id": ids.works[line["work_id"]]} for line in report["lines"]]
    short = [
        {**line, "characters": data["understated"]["characters"]}
        if line["work_id"] == ids.works[data["understated"]["work_id"]]
        else line
        for line in lines
    ]
    submit = {
        "dataset_version_id": ids.version,
        "period": report["period"],
        "model": report["model"],
        "epochs": report["epochs"],
    }
    with pytest.raises(UsageUnderstated) as refused:
        usage_reports.submit_usage_report(
            platform, actor=dev, data=UsageReportCreate(**submit, lines=short)
        )
    assert refused.value.message("en") == _doc_ids(example.refusal.message("en"), ids)
    accepted = usage_reports.submit_usage_report(
        platform, actor=dev, data=UsageReportCreate(**submit, lines=lines)
    )

    # 4. the invoices: one per CMO, itemised per work, priced as in the document
    assert accepted.total == example.invoice.total == 36378
    by_cmo = {i.cmo_id: i for i in accepted.invoices}
    assert {c: i.total for c, i in by_cmo.items()} == {
        ids.cmos[c.cmo_id].party_id: c.amount for c in example.invoice.by_cmo() if c.cmo_id
    }
    assert [(x.work_id, x.quantity, x.amount) for x in accepted.invoices[0].lines] == [
        (ids.works[x.work_id], decimal_text(x.quantity), x.amount)
        for x in example.invoice.lines
        if x.cmo_id == 1
    ]
    charged = {
        c.work_type: (c.exact, c.rounded, c.top_up, c.amount) for c in by_cmo[cmo.party_id].charges
    }
    assert charged == {
        WorkType.TEXT: ("35378.125", 35378, 0, 35378),
        WorkType.IMAGE: ("240", 240, 760, 1000),
    }
    ids.invoice = by_cmo[cmo.party_id].id

    # 5. the licensee's attribution scores, the invoice paid, the run
    attribution = data["distribution"]["attribution"]
    attributions.submit_attribution(
        platform,
        actor=dev,
        data=AttributionCreate(
            cmo_id=cmo.party_id,
            period=report["period"],
            amount=attribution["amount"],
            scores={ids.works[w]: s for w, s in attribution["scores"].items()},
        ),
    )
    clock.advance(timedelta(days=15))
    paid = invoices.pay_invoice(platform, actor=cmo, invoice_id=ids.invoice, data=InvoicePay())
    assert paid.paid_on == date(2025, 4, 20)
    clock.advance(timedelta(days=10))
    period = DistributionRunCreate(period=data["distribution"]["period"])
    run = distributions.run_distribution(platform, actor=cmo, data=period)
    _assert_run_is_the_documents(platform, run.id, run.summary, example, ids)

    # the same period and input again returns the same run, and writes nothing
    again = distributions.run_distribution(platform, actor=cmo, data=period)
    assert (again.id, again.replayed, again.digest) == (run.id, True, run.digest)
    assert distributions.verify_run(platform, viewer=cmo, run_id=run.id).digest == run.digest

    # the reserve entry of work 3, claimable until three years after the quarter
    [entry] = reserve.list_reserve(platform, viewer=cmo)
    assert (entry.work_id, entry.amount, entry.expires_on) == (
        ids.works[3],
        2707,
        date(2028, 3, 31),
    )


def _register_works(platform: Platform, ids: Ids, make_party: MakeParty) -> None:
    """Works 1–5 of the example (CMO 1: 1–4, CMO 2: 5) and holder 12's work 6."""
    cmo1, cmo2 = ids.cmos[1].party_id, ids.cmos[2].party_id
    holder = {doc_id: _actor(party_id) for doc_id, party_id in ids.holders.items()}
    plan: list[tuple[int, Actor, WorkCreate]] = [
        (1, holder[11], WorkCreate(
            title="Poems of the River", text="poems of the river", cmo_id=cmo1,
            holders=[HolderShare(holder_id=ids.holders[11], share="2/3"),
                     HolderShare(holder_id=ids.holders[12], share="1/3")],
        )),
        (2, holder[13], WorkCreate(title="A Northern Journey", text="a journey", cmo_id=cmo1)),
        (3, ids.cmos[1], WorkCreate(
            title="Letters (author unknown)", text="letters", holder_unidentified=True
        )),
        (4, holder[14], WorkCreate(
            title="Forty Ink Landscapes", type=WorkType.IMAGE, cmo_id=cmo1,
            fingerprint="sha256:" + "ab" * 32,
        )),
        (5, holder[15], WorkCreate(title="Essays on Tea", text="essays on tea", cmo_id=cmo2)),
        (6, holder[12], WorkCreate(title="Collected Stories", text="stories", cmo_id=cmo1)),
    ]  # fmt: skip
    for doc_id, actor, work in plan:
        ids.works[doc_id] = register_work(platform, actor=actor, data=work).id


def _actor(party_id: int) -> Actor:
    return Actor(party_id=party_id, kind=PartyKind.RIGHTS_HOLDER, name=f"holder {party_id}")


def _tariffs_and_settings(platform: Platform, cmo: Actor, example: Example) -> None:
    tariffs.create_tariff(platform, actor=cmo, data=TariffCreate(**example.data["tariff"]))
    earlier = {
        "code": "CN-AI-TRAIN-2024",
        "currency": "CNY",
        "effective_from": "2024-01-01",
        "effective_to": "2024-12-31",
        "schedules": [
            {"work_type": "text", "unit": "per_1000_chars", "tiers": [{"rate": "1"}]},
        ],
    }
    tariffs.create_tariff(platform, actor=cmo, data=TariffCreate.model_validate(earlier))
    d = example.data["distribution"]
    cmo_settings.set_cmo_settings(
        platform,
        actor=cmo,
        data=CmoSettingsUpdate(fee_schedule=d["fee_schedule"], minimum_payout=d["minimum_payout"]),
    )


def _notice(platform: Platform, dev: Actor, ids: Ids) -> Any:
    works = [NoticeWorkIn(work_id=ids.works[w]) for w in (1, 2, 3, 4, 5)]
    draft = notices.create_notice(
        platform, actor=dev, data=NoticeCreate(model="qingyun-7b", works=works)
    )
    return notices.publish_notice(
        platform,
        actor=dev,
        notice_id=draft.id,
        data=NoticePublish(tariff_code="CN-AI-TRAIN-2025"),
    )


def _assert_run_is_the_documents(
    platform: Platform, run_id: int, summary: dict[str, Any], example: Example, ids: Ids
) -> None:
    expected = example.result.summary.to_dict()
    for key in ("cmo_id", "input_hash"):
        expected.pop(key)
        summary = {k: v for k, v in summary.items() if k != key}
    assert summary == expected
    cmo = ids.cmos[1]
    doc = tables(example, "en")
    report = statements.get_report(platform, viewer=cmo, run_id=run_id)
    assert report.to_csv(lang="en") == doc["report"]
    for holder in example.data["distribution"]["statement_holders"]:
        mine = statements.get_statement(
            platform,
            viewer=_actor(ids.holders[holder]),
            run_id=run_id,
            holder_id=ids.holders[holder],
        )
        assert _rows(mine.to_csv()) == [
            _mapped(row, ids) for row in _rows(doc[f"statement {holder}"])
        ]
    accounts = {
        a.holder_id: (a.carried_in, a.shares, a.released, a.balance, a.payout, a.carried_out)
        for a in statements.list_statements(platform, viewer=cmo)
        if a.run_id == run_id
    }
    assert accounts == {ids.holder(h): tuple(rest) for h, *rest in example.result.holders.rows()}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _mapped(row: list[str], ids: Ids) -> list[str]:
    """A statement row of the document with the store's work and invoice ids."""
    if row[0] != "work":
        return row
    return [row[0], str(ids.works[int(row[1])]), row[2], str(ids.invoice), *row[4:]]


def _doc_ids(message: str, ids: Ids) -> str:
    """The refusal of the document with the store's dataset version and work ids."""
    work = ids.works[2]
    return message.replace("dataset version 7", f"dataset version {ids.version}").replace(
        "#2 ", f"#{work} "
    )
