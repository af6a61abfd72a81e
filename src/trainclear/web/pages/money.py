"""Money on pages: integer minor units shown in the currency's major unit.

The store keeps every amount as integer minor units (分, cents) with its currency; a
page shows ``1,234.56 CNY``. The digits after the point are ISO 4217's minor unit for the
currency (2 unless listed). A tariff's rate is exact minor units per unit, so it is
shown exactly too (``0.1``, or a fraction when the decimal would not end).
"""

from __future__ import annotations

from fractions import Fraction

from trainclear.royalties.money import decimal_text

MINOR_DIGITS = {"JPY": 0, "KRW": 0, "VND": 0, "BHD": 3, "JOD": 3, "KWD": 3, "OMR": 3, "TND": 3}


def digits(currency: str) -> int:
    return MINOR_DIGITS.get(currency.upper(), 2)


def money(amount: int, currency: str | None) -> str:
    """``amount`` minor units of ``currency`` as ``1,234.56 CNY`` (``–`` without a currency)."""
    if currency is None:
        return "–"
    places = digits(currency)
    whole, part = divmod(abs(amount), 10**places)
    sign = "-" if amount < 0 else ""
    fraction = f".{part:0{places}d}" if places else ""
    return f"{sign}{whole:,}{fraction} {currency}"


def rate(minor_units: str, currency: str) -> str:
    """An exact rate in minor units (``"10"``, ``"2/3"``) as major units of ``currency``."""
    value = Fraction(minor_units) / 10 ** digits(currency)
    return f"{decimal_text(value)} {currency}"
