"""Invoices: a usage report priced by a tariff, itemised per work and per CMO.

Tiers apply to the developer's **total** volume of a work type in the period (a volume
discount is earned by the whole dataset, not by each work), so the type's amount is priced
once (:func:`~trainclear.royalties.tariffs.price`: exact tiers, one rounding, minimum fee)
and then allocated back to its works by largest remainder in proportion to their
quantities. The lines therefore sum exactly to the type's amount, and the types to the
invoice total; the minimum fee's top-up is allocated along with the rest.

Whether an invoice is paid is data (``state``, ``paid_on``) that the store keeps; this
module only computes what is owed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction

from trainclear.domain import WorkType
from trainclear.errors import NotFound, ValidationFailed
from trainclear.royalties.money import allocate
from trainclear.royalties.periods import Period
from trainclear.royalties.tariffs import UNITS, Price, Tariff, Unit, price
from trainclear.royalties.usage import UsageReport, WorkUsage


class InvoiceState(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkRef:
    """What the registry knows of a reported work: its type and the CMO managing it (if any)."""

    work_id: int
    work_type: WorkType
    cmo_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TypeCharge:
    """The priced total of one work type: quantity in units, tiers, rounding and top-up."""

    work_type: WorkType
    unit: Unit
    price: Price


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceLine:
    work_id: int
    work_type: WorkType
    cmo_id: int | None
    unit: Unit
    quantity: Fraction
    amount: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CmoTotal:
    """What an invoice owes for the works of one CMO (``None``: works under no CMO)."""

    cmo_id: int | None
    works: int
    amount: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Invoice:
    developer_id: int
    dataset_version_id: int
    period: Period
    tariff_code: str
    tariff_from: date
    currency: str
    charges: tuple[TypeCharge, ...]
    lines: tuple[InvoiceLine, ...]
    total: int
    state: InvoiceState = InvoiceState.UNPAID
    paid_on: date | None = None

    def by_cmo(self) -> tuple[CmoTotal, ...]:
        """Totals per CMO, CMOs in id order and works under no CMO last."""
        totals: dict[int | None, list[int]] = {}
        for line in self.lines:
            works_amount = totals.setdefault(line.cmo_id, [0, 0])
            works_amount[0] += 1
            works_amount[1] += line.amount
        order = sorted(totals, key=lambda c: (c is None, c or 0))
        return tuple(CmoTotal(cmo_id=c, works=totals[c][0], amount=totals[c][1]) for c in order)

    def paid(self, on: date) -> Invoice:
        """A copy marked paid on ``on`` (the store records the state; the amounts never change)."""
        return replace(self, state=InvoiceState.PAID, paid_on=on)

    @property
    def key(self) -> str:
        """SHA-256 of what the invoice charges (not its state): same report and tariff, same key."""
        body = {
            "developer": self.developer_id,
            "dataset_version": self.dataset_version_id,
            "period": str(self.period),
            "tariff": [self.tariff_code, self.tariff_from.isoformat()],
            "currency": self.currency,
            "lines": [[x.work_id, str(x.quantity), x.amount, x.cmo_id] for x in self.lines],
        }
        return hashlib.sha256(json.dumps(body, separators=(",", ":")).encode()).hexdigest()


def quantity(unit: Unit, usage: WorkUsage) -> Fraction:
    """A work's usage in the tariff's units: thousands of characters, images, or minutes."""
    if unit is Unit.PER_1000_CHARS:
        return Fraction(usage.characters, 1000)
    if unit is Unit.PER_IMAGE:
        return Fraction(usage.images)
    return usage.minutes


def build_invoice(*, report: UsageReport, tariff: Tariff, works: Iterable[WorkRef]) -> Invoice:
    """Price ``report`` by ``tariff`` (in force all period); ``works`` are the registry's facts."""
    if not (tariff.in_force(report.period.start) and tariff.in_force(report.period.end)):
        raise ValidationFailed(
            "royalties.tariff_changes", code=tariff.code, period=str(report.period)
        )
    refs = {ref.work_id: ref for ref in works}
    by_type: dict[WorkType, list[tuple[WorkRef, WorkUsage]]] = {}
    for line in report.lines:
        ref = refs.get(line.work_id)
        if ref is None:
            raise NotFound("not_found", kind="work", id=line.work_id)
        by_type.setdefault(ref.work_type, []).append((ref, line))
    charges, lines = [], []
    for work_type in sorted(by_type):
        charge, typed = _price_type(tariff, work_type, by_type[work_type])
        charges.append(charge)
        lines.extend(typed)
    lines.sort(key=lambda line: line.work_id)
    return Invoice(
        developer_id=report.developer_id,
        dataset_version_id=report.dataset_version_id,
        period=report.period,
        tariff_code=tariff.code,
        tariff_from=tariff.effective_from,
        currency=tariff.currency,
        charges=tuple(charges),
        lines=tuple(lines),
        total=sum(c.price.amount for c in charges),
    )


def _price_type(
    tariff: Tariff, work_type: WorkType, rows: list[tuple[WorkRef, WorkUsage]]
) -> tuple[TypeCharge, list[InvoiceLine]]:
    schedule = tariff.schedule(work_type)
    unit = UNITS[work_type]
    quantities = [quantity(unit, usage) for _, usage in rows]
    priced = price(schedule, sum(quantities, Fraction(0)))
    keys = [ref.work_id for ref, _ in rows]
    amounts = allocate(priced.amount, quantities, keys, field=f"{work_type}.quantity")
    lines = [
        InvoiceLine(
            work_id=ref.work_id,
            work_type=work_type,
            cmo_id=ref.cmo_id,
            unit=unit,
            quantity=q,
            amount=a,
        )
        for (ref, _), q, a in zip(rows, quantities, amounts, strict=True)
    ]
    return TypeCharge(work_type=work_type, unit=unit, price=priced), lines
