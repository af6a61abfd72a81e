"""Tariffs: validation naming the field, tier pricing with one rounding, selection by date."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import pytest

from trainclear.domain import WorkType
from trainclear.errors import Conflict, NotFound, ValidationFailed
from trainclear.royalties.brackets import Bracket
from trainclear.royalties.codec import tariff_from_dict, tariff_to_dict
from trainclear.royalties.fees import FeeSchedule, management_fee
from trainclear.royalties.periods import Period, add_years
from trainclear.royalties.tariffs import (
    RateSchedule,
    Tariff,
    Unit,
    check_versions,
    price,
    select_tariff,
    tariff_for_period,
)

TEXT = RateSchedule(
    work_type=WorkType.TEXT,
    unit=Unit.PER_1000_CHARS,
    tiers=(Bracket.of(up_to=1000, rate="30"), Bracket.of(up_to=None, rate="12.5")),
    minimum_fee=5000,
)


def tariff(start: date = date(2025, 1, 1), end: date | None = date(2025, 12, 31)) -> Tariff:
    return Tariff(
        code="T", currency="CNY", effective_from=start, effective_to=end, schedules=(TEXT,)
    )


def test_tiers_are_marginal_and_rounded_once() -> None:
    priced = price(TEXT, Fraction(143025, 100))
    assert [amount for _, amount in priced.tiers] == [30000, Fraction(43025 * 125, 1000)]
    assert priced.exact == Fraction(35378125, 1000)
    assert (priced.rounded, priced.top_up, priced.amount) == (35378, 0, 35378)


def test_rounding_once_differs_from_rounding_per_tier() -> None:
    # two tiers each ending in .4: per tier would round both down; once gives .8 -> up
    schedule = RateSchedule(
        work_type=WorkType.TEXT,
        unit=Unit.PER_1000_CHARS,
        tiers=(Bracket.of(up_to=1, rate="10.4"), Bracket.of(up_to=None, rate="0.4")),
    )
    priced = price(schedule, Fraction(2))
    assert priced.exact == Fraction(108, 10)
    assert priced.amount == 11


def test_minimum_fee_applies_only_to_some_use() -> None:
    assert price(TEXT, Fraction(1)).amount == 5000
    assert price(TEXT, Fraction(1)).top_up == 4970
    assert price(TEXT, Fraction(0)).amount == 0


@pytest.mark.parametrize(
    ("tiers", "field"),
    [
        ((), "schedules.text.tiers"),
        ((Bracket.of(up_to=10, rate=1),), "schedules.text.tiers[0].up_to"),
        (
            (Bracket.of(up_to=None, rate=1), Bracket.of(up_to=None, rate=1)),
            "schedules.text.tiers[0].up_to",
        ),
        (
            (
                Bracket.of(up_to=10, rate=1),
                Bracket.of(up_to=5, rate=1),
                Bracket.of(up_to=None, rate=1),
            ),
            "schedules.text.tiers[1].up_to",
        ),
    ],
)
def test_tier_errors_name_the_field(tiers: tuple[Bracket, ...], field: str) -> None:
    schedule = RateSchedule(work_type=WorkType.TEXT, unit=Unit.PER_1000_CHARS, tiers=tiers)
    with pytest.raises(ValidationFailed) as caught:
        Tariff(
            code="T",
            currency="CNY",
            effective_from=date(2025, 1, 1),
            effective_to=None,
            schedules=(schedule,),
        )
    assert caught.value.params["field"] == field
    assert field in caught.value.message("zh-CN")


def test_tariff_validation() -> None:
    with pytest.raises(ValidationFailed, match="effective_to"):
        tariff(start=date(2025, 2, 1), end=date(2025, 1, 1))
    image_per_minute = RateSchedule(
        work_type=WorkType.IMAGE, unit=Unit.PER_MINUTE, tiers=(Bracket.of(up_to=None, rate=1),)
    )
    with pytest.raises(ValidationFailed) as caught:
        Tariff(
            code="T",
            currency="CNY",
            effective_from=date(2025, 1, 1),
            effective_to=None,
            schedules=(image_per_minute,),
        )
    assert caught.value.key == "royalties.tariff_unit"
    with pytest.raises(ValidationFailed) as caught:
        Tariff(
            code="T",
            currency="CNY",
            effective_from=date(2025, 1, 1),
            effective_to=None,
            schedules=(TEXT, TEXT),
        )
    assert caught.value.key == "royalties.tariff_duplicate_type"
    with pytest.raises(ValidationFailed) as caught:
        tariff().schedule(WorkType.AUDIO)
    assert caught.value.key == "royalties.tariff_no_rate"
    with pytest.raises(ValidationFailed) as caught:
        Bracket.of(up_to=None, rate=0.3)  # type: ignore[arg-type]
    assert caught.value.params["field"] == "brackets.rate"


def test_selection_by_date_and_period() -> None:
    first = tariff(date(2025, 1, 1), date(2025, 6, 30))
    second = tariff(date(2025, 7, 1), None)
    book = [second, first]
    check_versions(book)
    assert select_tariff(book, code="T", on=date(2025, 6, 30)) is first
    assert select_tariff(book, code="T", on=date(2031, 1, 1)) is second
    with pytest.raises(NotFound):
        select_tariff(book, code="T", on=date(2024, 12, 31))
    quarter = Period.parse("2025-04-01/2025-06-30")
    assert tariff_for_period(book, code="T", period=quarter) is first
    with pytest.raises(ValidationFailed) as caught:
        tariff_for_period(book, code="T", period=Period.parse("2025-06-01/2025-08-31"))
    assert caught.value.key == "royalties.tariff_changes"
    overlapping = [first, tariff(date(2025, 6, 30), None)]
    with pytest.raises(Conflict):
        check_versions(overlapping)
    with pytest.raises(Conflict):
        select_tariff(overlapping, code="T", on=date(2025, 6, 30))


def test_periods() -> None:
    assert str(Period.parse("2025-01-01/2025-03-31")) == "2025-01-01/2025-03-31"
    with pytest.raises(ValidationFailed):
        Period.parse("2025-03-31/2025-01-01")
    with pytest.raises(ValidationFailed):
        Period.parse("2025Q1")
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_management_fee_brackets_fall_with_collections() -> None:
    schedule = FeeSchedule.of([{"up_to": 20000, "rate": "0.12"}, {"up_to": None, "rate": "0.08"}])
    assert management_fee(schedule, 34894) == 3592  # 2,400 + 1,191.52
    assert management_fee(schedule, 0) == 0
    assert management_fee(FeeSchedule.flat("0.1"), 15) == 2  # 1.5 rounds half up
    with pytest.raises(ValidationFailed) as caught:
        FeeSchedule.of([{"up_to": 100, "rate": "0.05"}, {"up_to": None, "rate": "0.1"}])
    assert caught.value.key == "royalties.brackets_rising"
    with pytest.raises(ValidationFailed) as caught:
        FeeSchedule.flat("1.5")
    assert caught.value.key == "royalties.fee_rate"
    with pytest.raises(ValidationFailed):
        FeeSchedule.of([{"up_to": None}])


def test_tariff_round_trips_through_plain_data() -> None:
    original = tariff()
    data = tariff_to_dict(original)
    assert data["schedules"][0]["tiers"] == [
        {"up_to": "1000", "rate": "30"},
        {"up_to": None, "rate": "12.5"},
    ]
    assert tariff_from_dict(json.loads(json.dumps(data))) == original


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"currency": None}, "currency"),
        ({"effective_from": "2025-13-01"}, "effective_from"),
        (
            {"schedules": [{"work_type": "poem", "unit": "per_image", "tiers": []}]},
            "schedules[0].work_type",
        ),
        (
            {
                "schedules": [
                    {"work_type": "text", "unit": "per_1000_chars", "tiers": [{"up_to": None}]}
                ]
            },
            "schedules[0].rate",
        ),
        (
            {
                "schedules": [
                    {
                        "work_type": "text",
                        "unit": "per_1000_chars",
                        "tiers": [{"up_to": None, "rate": 0.3}],
                    }
                ]
            },
            "schedules[0].tiers[0].rate",
        ),
    ],
)
def test_tariff_data_errors_name_the_field(change: dict[str, object], field: str) -> None:
    data = {**tariff_to_dict(tariff()), **change}
    with pytest.raises(ValidationFailed) as caught:
        tariff_from_dict(data)
    assert caught.value.params["field"] == field
