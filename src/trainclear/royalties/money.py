"""Money as integer minor units with a currency, exact numbers and the largest-remainder split.

Every amount in the remuneration engine is an ``int`` of minor units (分, cents) tagged
with an ISO 4217 code; rates, shares and scores are :class:`~fractions.Fraction`. Floats
never enter a money path: :func:`exact` refuses them, so a rate written ``0.1`` in a file
is the decimal one tenth, not the nearest binary double.

:func:`allocate` splits a whole into parts that sum to it exactly (the invariant on money
in ARCHITECTURE.md): each part first gets the floor of its exact share, then the units
left over go one each to the parts with the largest fractional remainders, ties going to
the smallest key. Keys, not input positions, break ties, so the same weights given in any
order produce the same split.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Any, Protocol, TypeVar

from trainclear.errors import ValidationFailed

_CURRENCY = re.compile(r"[A-Z]{3}")


class Ordered(Protocol):
    """Anything ``sorted`` can order: the tie-breaking keys of :func:`allocate`."""

    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=Ordered)


def check_currency(currency: str) -> str:
    """Return ``currency`` if it has the shape of an ISO 4217 code (three capitals)."""
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency):
        raise ValidationFailed("royalties.currency", currency=currency)
    return currency


def check_amount(value: int, field: str, *, negative: bool = False) -> int:
    """Return ``value`` if it is an integer amount of minor units (non-negative by default)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed("royalties.not_minor_units", field=field, value=repr(value))
    if value < 0 and not negative:
        raise ValidationFailed("royalties.negative", field=field, value=value)
    return value


def exact(value: int | Fraction | Decimal | str, field: str) -> Fraction:
    """An exact non-negative number from an int, Fraction, Decimal or a string ("0.125", "2/3").

    Floats (and bools) are refused: a float has already lost the decimal it was written as.
    """
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal | str):
        raise ValidationFailed("royalties.not_exact", field=field, value=repr(value))
    try:
        number = Fraction(value.strip()) if isinstance(value, str) else Fraction(value)
    except (ValueError, ZeroDivisionError, ArithmeticError):
        raise ValidationFailed("royalties.not_exact", field=field, value=repr(value)) from None
    if number < 0:
        raise ValidationFailed("royalties.negative", field=field, value=str(number))
    return number


def round_half_up(value: Fraction) -> int:
    """Round an exact amount to whole minor units, halves upwards (the engine's one rounding)."""
    return (value.numerator * 2 + value.denominator) // (value.denominator * 2)


def decimal_text(value: Fraction) -> str:
    """An exact decimal when ``value`` has one ("0.125"), else the fraction ("2/3")."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator
    sign, digits = ("-" if scaled < 0 else ""), str(abs(scaled)).rjust(places + 1, "0")
    return sign + (f"{digits[:-places]}.{digits[-places:]}" if places else digits)


@dataclass(frozen=True, slots=True, order=True, kw_only=True)
class Money:
    """An amount in integer minor units of one currency; never negative unless asked."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        check_currency(self.currency)
        check_amount(self.amount, "amount", negative=True)

    def __add__(self, other: Money) -> Money:
        return Money(amount=self.amount + self._same(other, "+").amount, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(amount=self.amount - self._same(other, "-").amount, currency=self.currency)

    def _same(self, other: Money, field: str) -> Money:
        if other.currency != self.currency:
            raise ValidationFailed(
                "royalties.currency_mismatch", field=field, left=self.currency, right=other.currency
            )
        return other

    def non_negative(self, field: str) -> Money:
        """Return self, refusing a negative amount with an error naming ``field``."""
        check_amount(self.amount, field)
        return self

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def same_currency(amounts: Sequence[Money], field: str) -> str:
    """The one currency of ``amounts``; mixing currencies is refused."""
    currencies = sorted({m.currency for m in amounts})
    if len(currencies) > 1:
        raise ValidationFailed(
            "royalties.currency_mismatch", field=field, left=currencies[0], right=currencies[1]
        )
    if not currencies:
        raise ValidationFailed("royalties.nothing_to_allocate", field=field)
    return currencies[0]


def integer_weights(weights: Sequence[int | Fraction], field: str = "weights") -> list[int]:
    """Exact non-negative weights as integers in the same ratios (over their common denominator)."""
    fractions = [exact(w, field) for w in weights]
    scale = lcm(*(f.denominator for f in fractions)) if fractions else 1
    return [f.numerator * (scale // f.denominator) for f in fractions]


def allocate(
    total: int, weights: Sequence[int | Fraction], keys: Sequence[K], *, field: str = "weights"
) -> list[int]:
    """Split ``total`` minor units in proportion to ``weights``; parts align with the inputs.

    Largest remainder: floor shares first, then one unit each to the largest fractional
    remainders, ties to the smallest key. Keys must be distinct; a zero weight gets zero.
    """
    check_amount(total, field)
    if len(weights) != len(keys):
        raise ValueError("one key per weight")
    if len(set(keys)) != len(keys):
        raise ValidationFailed("royalties.duplicate_key", field=field)
    ints = integer_weights(weights, field)
    whole = sum(ints)
    if whole == 0:
        if total == 0:
            return [0] * len(ints)
        raise ValidationFailed("royalties.nothing_to_allocate", field=field)
    parts = [total * w // whole for w in ints]
    left = total - sum(parts)
    if left:
        remainders = [total * w % whole for w in ints]
        ranked = sorted(range(len(ints)), key=lambda i: (-remainders[i], keys[i]))
        for i in ranked[:left]:
            parts[i] += 1
    return parts


def allocate_map(
    total: int, weights: Mapping[K, int | Fraction], *, field: str = "weights"
) -> dict[K, int]:
    """:func:`allocate` over a mapping of key to weight; the result is in key order."""
    keys = sorted(weights)
    return dict(
        zip(keys, allocate(total, [weights[k] for k in keys], keys, field=field), strict=True)
    )
