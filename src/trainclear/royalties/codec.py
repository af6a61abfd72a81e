"""Tariffs as plain data (JSON, YAML), for storing them and reading them from files.

The shape is :func:`tariff_to_dict`'s: dates as ISO strings, rates and tier bounds as exact
decimal strings (``"12.5"``) or fractions (``"2/3"``), never floats, so a tariff read back
is equal to the one written. Missing or malformed fields are refused naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar

from trainclear.domain import WorkType
from trainclear.errors import ValidationFailed
from trainclear.royalties.brackets import Bracket
from trainclear.royalties.money import decimal_text
from trainclear.royalties.tariffs import RateSchedule, Tariff, Unit


def tariff_to_dict(tariff: Tariff) -> dict[str, Any]:
    """A tariff as plain JSON data (rates as exact decimal or fraction strings)."""
    return {
        "code": tariff.code,
        "title": tariff.title,
        "currency": tariff.currency,
        "effective_from": tariff.effective_from.isoformat(),
        "effective_to": None if tariff.effective_to is None else tariff.effective_to.isoformat(),
        "schedules": [
            {
                "work_type": str(s.work_type),
                "unit": str(s.unit),
                "minimum_fee": s.minimum_fee,
                "tiers": [
                    {
                        "up_to": None if t.up_to is None else decimal_text(t.up_to),
                        "rate": decimal_text(t.rate),
                    }
                    for t in s.tiers
                ],
            }
            for s in tariff.schedules
        ],
    }


def tariff_from_dict(data: Mapping[str, Any]) -> Tariff:
    """A tariff from :func:`tariff_to_dict`'s shape (dates as ISO strings or dates)."""
    schedules = []
    for index, s in enumerate(_required(data, "schedules")):
        where = f"schedules[{index}]"
        schedules.append(
            RateSchedule(
                work_type=_enum(WorkType, _required(s, "work_type", where), f"{where}.work_type"),
                unit=_enum(Unit, _required(s, "unit", where), f"{where}.unit"),
                minimum_fee=s.get("minimum_fee", 0),
                tiers=tuple(
                    Bracket.of(
                        up_to=t.get("up_to"),
                        rate=_required(t, "rate", where),
                        field=f"{where}.tiers[{i}]",
                    )
                    for i, t in enumerate(_required(s, "tiers", where))
                ),
            )
        )
    return Tariff(
        code=_required(data, "code"),
        title=data.get("title", ""),
        currency=_required(data, "currency"),
        effective_from=_date(_required(data, "effective_from"), "effective_from"),
        effective_to=_date(data.get("effective_to"), "effective_to"),
        schedules=tuple(schedules),
    )


def _required(data: Mapping[str, Any], key: str, where: str = "") -> Any:
    if key not in data or data[key] is None:
        raise ValidationFailed("royalties.missing", field=f"{where}.{key}" if where else key)
    return data[key]


E = TypeVar("E", WorkType, Unit)


def _enum(kind: type[E], value: Any, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(v) for v in kind)
        raise ValidationFailed(
            "royalties.choice", field=field, value=value, choices=choices
        ) from None


def _date(value: Any, field: str) -> Any:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed("royalties.date", field=field, value=value) from None
