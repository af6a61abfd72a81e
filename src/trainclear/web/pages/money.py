"""Amounts shown on pages: integer minor units (分, cents) as a decimal with its currency.

The store and the engine keep money as whole minor units; only the page divides, by the
currency's ISO 4217 exponent, with integer arithmetic (no float ever touches an amount).
A tariff's rate is exact minor units per unit, so it is shown exactly too (``CNY 0.1``,
or a fraction when the decimal would not end).
"""

from __future__ import annotations

from fractions import Fraction

from trainclear.royalties.money import decimal_text

EXPONENTS: dict[str, int] = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip
"""Currencies whose minor unit is not a hundredth (ISO 4217); every other has 2 places."""


def digits(currency: str) -> int:
    """The currency's decimal places."""
    return EXPONENTS.get(currency.upper(), 2)


def money(amount: int, currency: str | None) -> str:
    """``CNY 1,234.56`` from 123456 minor units of CNY (thousands separated, sign kept;
    ``–`` without a currency)."""
    if currency is None:
        return "–"
    places = digits(currency)
    whole, part = divmod(abs(amount), 10**places)
    sign = "-" if amount < 0 else ""
    decimals = f".{part:0{places}d}" if places else ""
    return f"{currency} {sign}{whole:,}{decimals}"


def rate(minor_units: str, currency: str) -> str:
    """An exact rate in minor units (``"10"``, ``"2/3"``) as major units: ``CNY 0.1``."""
    value = Fraction(minor_units) / 10 ** digits(currency)
    return f"{currency} {decimal_text(value)}"
