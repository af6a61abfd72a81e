"""A CMO's management fee (管理费): marginal percentage brackets that fall as collections grow.

The fee on a period's collections is the sum over brackets of the collections inside
each bracket times its rate, computed exactly and rounded half up once. Rates may only
fall from one bracket to the next (the issue's "schedule that decreases with
collections"), and every rate is at most 1, so the fee never exceeds the collections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from trainclear.errors import ValidationFailed
from trainclear.royalties.brackets import Bracket, check_brackets, marginal
from trainclear.royalties.money import check_amount, decimal_text, round_half_up


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeSchedule:
    """Brackets over collected minor units; ``rate`` is a fraction of the amount in the bracket."""

    brackets: tuple[Bracket, ...]

    def __post_init__(self) -> None:
        check_brackets(self.brackets, "fee_schedule", falling=True)
        for index, bracket in enumerate(self.brackets):
            if bracket.rate > 1:
                raise ValidationFailed(
                    "royalties.fee_rate",
                    field=f"fee_schedule[{index}].rate",
                    rate=str(bracket.rate),
                )
            if bracket.up_to is not None and bracket.up_to.denominator != 1:
                raise ValidationFailed(
                    "royalties.not_minor_units",
                    field=f"fee_schedule[{index}].up_to",
                    value=str(bracket.up_to),
                )

    @classmethod
    def of(
        cls, brackets: Iterable[Mapping[str, int | Fraction | Decimal | str | None]]
    ) -> FeeSchedule:
        """From ``[{"up_to": 20000, "rate": "0.12"}, {"up_to": None, "rate": "0.08"}]``."""
        return cls(
            brackets=tuple(
                Bracket.of(up_to=b.get("up_to"), rate=_rate(b), field=f"fee_schedule[{i}]")
                for i, b in enumerate(brackets)
            )
        )

    def to_list(self) -> list[dict[str, str | None]]:
        """The brackets as plain data, the shape :meth:`of` reads."""
        return [
            {
                "up_to": None if b.up_to is None else decimal_text(b.up_to),
                "rate": decimal_text(b.rate),
            }
            for b in self.brackets
        ]

    @classmethod
    def flat(cls, rate: int | Fraction | Decimal | str) -> FeeSchedule:
        """One rate on everything."""
        return cls(brackets=(Bracket.of(up_to=None, rate=rate, field="fee_schedule[0]"),))


def _rate(
    bracket: Mapping[str, int | Fraction | Decimal | str | None],
) -> int | Fraction | Decimal | str:
    rate = bracket.get("rate")
    if rate is None:
        raise ValidationFailed("royalties.missing", field="fee_schedule.rate")
    return rate


def management_fee(schedule: FeeSchedule, collected: int) -> int:
    """The fee on ``collected`` minor units (exact brackets, rounded half up once)."""
    check_amount(collected, "collected")
    return round_half_up(marginal(Fraction(collected), schedule.brackets))
