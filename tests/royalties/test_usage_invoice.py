"""Usage reports against the scan's measurement, and invoices from usage × tariff."""

from __future__ import annotations

import pickle
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainclear.domain import WorkType
from trainclear.errors import NotFound, ValidationFailed
from trainclear.royalties.brackets import Bracket
from trainclear.royalties.invoice import InvoiceState, WorkRef, build_invoice
from trainclear.royalties.periods import Period
from trainclear.royalties.tariffs import RateSchedule, Tariff, Unit
from trainclear.royalties.usage import (
    UsageReport,
    UsageUnderstated,
    WorkUsage,
    check_against_measured,
)

Q1 = Period.parse("2025-01-01/2025-03-31")


def report(*lines: WorkUsage) -> UsageReport:
    return UsageReport(
        developer_id=1, dataset_version_id=7, period=Q1, model="m", epochs=1, lines=lines
    )


def tariff() -> Tariff:
    def flat(work_type: WorkType, unit: Unit, rate: str, minimum: int = 0) -> RateSchedule:
        tiers = (Bracket.of(up_to=None, rate=rate),)
        return RateSchedule(work_type=work_type, unit=unit, tiers=tiers, minimum_fee=minimum)

    return Tariff(
        code="T", currency="CNY", effective_from=date(2025, 1, 1), effective_to=None,
        schedules=(
            flat(WorkType.TEXT, Unit.PER_1000_CHARS, "7"),
            flat(WorkType.IMAGE, Unit.PER_IMAGE, "3", minimum=100),
            flat(WorkType.AUDIO, Unit.PER_MINUTE, "1/3"),
        ),
    )  # fmt: skip


def test_under_statement_is_refused_naming_each_work_and_difference() -> None:
    stated = report(WorkUsage(work_id=2, characters=1000), WorkUsage(work_id=1, images=5))
    measured = [
        WorkUsage(work_id=1, images=4),  # over-stated: fine
        WorkUsage(work_id=2, characters=1500, records=2),
        WorkUsage(work_id=3, minutes=Fraction(3, 2)),  # missing from the report
    ]
    with pytest.raises(UsageUnderstated) as caught:
        check_against_measured(stated, measured)
    found = [(s.work_id, s.measure, s.difference) for s in caught.value.shortfalls]
    assert found == [(2, "records", 2), (2, "characters", 500), (3, "minutes", Fraction(3, 2))]
    message = caught.value.message("en")
    assert "#2 characters: 1000 < 1500 (-500)" in message
    assert "3 item(s)" in message
    assert "低于扫描实测用量" in caught.value.message("zh-CN")
    assert caught.value.status == 422
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.shortfalls == caught.value.shortfalls
    check_against_measured(stated, measured[:1])


def test_report_validation() -> None:
    with pytest.raises(ValidationFailed) as caught:
        report(WorkUsage(work_id=1), WorkUsage(work_id=1))
    assert caught.value.key == "royalties.usage_duplicate"
    with pytest.raises(ValidationFailed) as caught:
        WorkUsage(work_id=1, characters=-5)
    assert caught.value.params["field"] == "work 1.characters"
    with pytest.raises(ValidationFailed):
        WorkUsage(work_id=1, minutes=1.5)  # type: ignore[arg-type]
    assert WorkUsage(work_id=1, minutes="1.5").minutes == Fraction(3, 2)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        UsageReport(developer_id=1, dataset_version_id=1, period=Q1, model="m", epochs=0, lines=())


def test_invoice_lines_sum_to_the_type_charges_and_cmo_totals() -> None:
    works = [
        WorkRef(work_id=1, work_type=WorkType.TEXT, cmo_id=9),
        WorkRef(work_id=2, work_type=WorkType.TEXT, cmo_id=None),
        WorkRef(work_id=3, work_type=WorkType.IMAGE, cmo_id=9),
        WorkRef(work_id=4, work_type=WorkType.AUDIO, cmo_id=8),
    ]
    usage = report(
        WorkUsage(work_id=1, characters=1001),
        WorkUsage(work_id=2, characters=2002),
        WorkUsage(work_id=3, images=2),
        WorkUsage(work_id=4, minutes=Fraction(5, 2)),
    )
    invoice = build_invoice(report=usage, tariff=tariff(), works=works)
    # text 3.003 × 7 = 21.021 -> 21, split 1:2 -> 7, 14; image 6 -> minimum 100; audio 5/6 -> 1
    assert [(x.work_id, x.amount) for x in invoice.lines] == [(1, 7), (2, 14), (3, 100), (4, 1)]
    assert invoice.total == 122 == sum(c.price.amount for c in invoice.charges)
    image = next(c for c in invoice.charges if c.work_type is WorkType.IMAGE)
    assert (image.price.rounded, image.price.top_up) == (6, 94)
    assert [(c.cmo_id, c.works, c.amount) for c in invoice.by_cmo()] == [
        (8, 1, 1), (9, 2, 107), (None, 1, 14)
    ]  # fmt: skip
    assert invoice.state is InvoiceState.UNPAID
    paid = invoice.paid(date(2025, 4, 15))
    assert paid.state is InvoiceState.PAID
    assert paid.key == invoice.key  # the state is data, not what is charged
    with pytest.raises(NotFound):
        build_invoice(report=report(WorkUsage(work_id=99)), tariff=tariff(), works=works)


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=25))
def test_invoice_lines_always_sum_to_the_total(characters: list[int]) -> None:
    usage = report(*(WorkUsage(work_id=i, characters=c) for i, c in enumerate(characters)))
    works = [WorkRef(work_id=i, work_type=WorkType.TEXT) for i in range(len(characters))]
    invoice = build_invoice(report=usage, tariff=tariff(), works=works)
    assert sum(x.amount for x in invoice.lines) == invoice.total
    assert all(x.amount >= 0 for x in invoice.lines)
