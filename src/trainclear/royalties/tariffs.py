"""Tariffs (付酬标准): effective-dated rates per work type and unit, volume tiers, a minimum fee.

A notice names its tariff by ``code``; a code has versions, each in force over a closed
range of dates (``effective_to`` is the last day, ``None`` for open-ended), and two
versions of one code may not be in force on the same day.

Pricing rule (documented in docs/remuneration.md): a work type's quantity for a period is
priced through the marginal tiers exactly, rounded half up to minor units **once** (never
per tier), and raised to the minimum fee if it is lower. Nothing used, nothing owed: the
minimum fee applies only to a quantity above zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from itertools import pairwise

from trainclear.domain import WorkType
from trainclear.errors import Conflict, NotFound, ValidationFailed
from trainclear.royalties.brackets import Bracket, check_brackets, marginal_parts
from trainclear.royalties.money import check_amount, check_currency, round_half_up
from trainclear.royalties.periods import Period


class Unit(StrEnum):
    """What one unit of a rate is; each is measured on one kind of usage."""

    PER_1000_CHARS = "per_1000_chars"
    PER_IMAGE = "per_image"
    PER_MINUTE = "per_minute"


UNITS: dict[WorkType, Unit] = {
    WorkType.TEXT: Unit.PER_1000_CHARS,
    WorkType.CODE: Unit.PER_1000_CHARS,
    WorkType.IMAGE: Unit.PER_IMAGE,
    WorkType.AUDIO: Unit.PER_MINUTE,
    WorkType.VIDEO: Unit.PER_MINUTE,
}
"""The unit each work type is priced in (characters, images or minutes are what a scan measures)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RateSchedule:
    """The rate for one work type: marginal tiers in units (``up_to``) at minor units per unit."""

    work_type: WorkType
    unit: Unit
    tiers: tuple[Bracket, ...]
    minimum_fee: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Tariff:
    """One version of a tariff; validated on construction, errors naming the field."""

    code: str
    currency: str
    effective_from: date
    effective_to: date | None
    schedules: tuple[RateSchedule, ...]
    title: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.code or not self.code.strip():
            raise ValidationFailed("royalties.empty", field="code")
        check_currency(self.currency)
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValidationFailed(
                "royalties.tariff_dates",
                code=self.code,
                start=self.effective_from,
                end=self.effective_to,
            )
        seen: set[WorkType] = set()
        for schedule in self.schedules:
            where = f"schedules.{schedule.work_type}"
            if schedule.work_type in seen:
                raise ValidationFailed(
                    "royalties.tariff_duplicate_type", code=self.code, work_type=schedule.work_type
                )
            seen.add(schedule.work_type)
            if UNITS[schedule.work_type] != schedule.unit:
                raise ValidationFailed(
                    "royalties.tariff_unit",
                    field=f"{where}.unit",
                    unit=schedule.unit,
                    work_type=schedule.work_type,
                    expected=UNITS[schedule.work_type],
                )
            check_brackets(schedule.tiers, f"{where}.tiers")
            check_amount(schedule.minimum_fee, f"{where}.minimum_fee")

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def schedule(self, work_type: WorkType) -> RateSchedule:
        """The rate schedule for ``work_type``; a type the tariff does not price is refused."""
        for schedule in self.schedules:
            if schedule.work_type == work_type:
                return schedule
        raise ValidationFailed("royalties.tariff_no_rate", code=self.code, work_type=work_type)


@dataclass(frozen=True, slots=True, kw_only=True)
class Price:
    """How a quantity was priced: per tier, exactly, rounded once, topped up to the minimum."""

    quantity: Fraction
    tiers: tuple[tuple[Fraction, Fraction], ...]
    exact: Fraction
    rounded: int
    top_up: int
    amount: int


def price(schedule: RateSchedule, quantity: Fraction) -> Price:
    """Price ``quantity`` units by ``schedule`` (the module docstring gives the rule)."""
    tiers = tuple(marginal_parts(quantity, schedule.tiers))
    exact_amount = sum((amount for _, amount in tiers), Fraction(0))
    rounded = round_half_up(exact_amount)
    top_up = max(schedule.minimum_fee - rounded, 0) if quantity > 0 else 0
    return Price(
        quantity=quantity,
        tiers=tiers,
        exact=exact_amount,
        rounded=rounded,
        top_up=top_up,
        amount=rounded + top_up,
    )


def select_tariff(tariffs: Iterable[Tariff], *, code: str, on: date) -> Tariff:
    """The version of tariff ``code`` in force on ``on``; none, or two at once, is refused."""
    found = sorted(
        (t for t in tariffs if t.code == code and t.in_force(on)), key=lambda t: t.effective_from
    )
    if not found:
        raise NotFound("royalties.tariff_none", code=code, on=on)
    if len(found) > 1:
        raise Conflict("royalties.tariff_overlap", code=code, on=on)
    return found[0]


def tariff_for_period(tariffs: Iterable[Tariff], *, code: str, period: Period) -> Tariff:
    """The one version of ``code`` in force on every day of ``period``.

    A period across a change of tariff is refused: report each part separately, so
    every unit of usage is priced by the version in force when it was used.
    """
    tariff = select_tariff(tariffs, code=code, on=period.start)
    if not tariff.in_force(period.end):
        raise ValidationFailed("royalties.tariff_changes", code=code, period=str(period))
    return tariff


def check_versions(tariffs: Sequence[Tariff]) -> None:
    """Refuse two versions of one code in force on a common day (for a tariff book being saved)."""
    by_code: dict[str, list[Tariff]] = {}
    for tariff in tariffs:
        by_code.setdefault(tariff.code, []).append(tariff)
    for code, versions in by_code.items():
        versions.sort(key=lambda t: t.effective_from)
        for earlier, later in pairwise(versions):
            if earlier.effective_to is None or later.effective_from <= earlier.effective_to:
                raise Conflict("royalties.tariff_overlap", code=code, on=later.effective_from)
