"""Marginal brackets, as in income tax: each rate applies only to the part inside its band.

Both tariff volume tiers (a rate per unit that falls as a developer uses more) and a CMO's
management-fee schedule (a percentage that falls as collections grow) are brackets. The
amount is computed exactly as a :class:`~fractions.Fraction` and rounded once by the
caller, never per bracket, so adding a bracket boundary cannot move a total by a unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from trainclear.errors import ValidationFailed
from trainclear.royalties.money import exact


@dataclass(frozen=True, slots=True, kw_only=True)
class Bracket:
    """A band of a quantity, from the previous bracket's ``up_to`` to its own, at one rate.

    ``up_to`` is ``None`` for the last, open-ended bracket.
    """

    up_to: Fraction | None
    rate: Fraction

    @classmethod
    def of(
        cls,
        *,
        up_to: int | Fraction | Decimal | str | None,
        rate: int | Fraction | Decimal | str,
        field: str = "brackets",
    ) -> Bracket:
        """A bracket from exact numbers (ints, Fractions, Decimals or strings)."""
        return cls(
            up_to=None if up_to is None else exact(up_to, f"{field}.up_to"),
            rate=exact(rate, f"{field}.rate"),
        )


def check_brackets(brackets: Sequence[Bracket], field: str, *, falling: bool = False) -> None:
    """Refuse bands that do not rise strictly to an open end (or rising rates, if ``falling``)."""
    if not brackets:
        raise ValidationFailed("royalties.brackets_empty", field=field)
    previous = Fraction(0)
    for index, bracket in enumerate(brackets):
        last = index == len(brackets) - 1
        if bracket.rate < 0:
            raise ValidationFailed(
                "royalties.negative", field=f"{field}[{index}].rate", value=str(bracket.rate)
            )
        if (bracket.up_to is None) != last or (
            bracket.up_to is not None and bracket.up_to <= previous
        ):
            raise ValidationFailed("royalties.brackets_order", field=f"{field}[{index}].up_to")
        if falling and index and bracket.rate > brackets[index - 1].rate:
            raise ValidationFailed("royalties.brackets_rising", field=f"{field}[{index}].rate")
        previous = bracket.up_to if bracket.up_to is not None else previous


def marginal(quantity: Fraction, brackets: Sequence[Bracket]) -> Fraction:
    """The exact amount for ``quantity``: each band's part of it times that band's rate."""
    return sum((amount for _, amount in marginal_parts(quantity, brackets)), Fraction(0))


def marginal_parts(
    quantity: Fraction, brackets: Sequence[Bracket]
) -> list[tuple[Fraction, Fraction]]:
    """Each band's ``(quantity in band, exact amount)``, for showing how a price was reached."""
    parts, lower = [], Fraction(0)
    for bracket in brackets:
        upper = quantity if bracket.up_to is None else min(quantity, bracket.up_to)
        if upper <= lower:
            break
        parts.append((upper - lower, (upper - lower) * bracket.rate))
        lower = upper
    return parts
