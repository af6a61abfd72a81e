"""Invoices: what a usage report owes, one invoice per CMO; the CMO marks them paid.

A report is priced as a whole (tiers apply to the developer's total volume of a work
type), then itemised per work, and the lines are grouped into one invoice per CMO. A
work under a CMO mandate is invoiced for that CMO. A work under none is invoiced for the
CMO whose tariff priced the report: the notice's remuneration goes to the holders through
the CMO that set the standard, the extended-collective-licence reading of the paper's
quasi-statutory licence (docs/remuneration.md, "Remuneration on the platform").
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind
from trainclear.errors import Conflict, ValidationFailed
from trainclear.royalties import Invoice, InvoiceState, TypeCharge
from trainclear.royalties.money import decimal_text
from trainclear.schemas.usage import (
    InvoiceLinePublic,
    InvoicePay,
    InvoicePublic,
    PriceTier,
    TypeChargePublic,
)
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.services.remuneration import allow, is_admin, period_of
from trainclear.store.models import (
    InvoiceLineRecord,
    InvoiceRecord,
    TariffVersion,
    UsageReportRecord,
)


def issue_invoices(
    s: Session,
    *,
    actor: Actor,
    report: UsageReportRecord,
    invoice: Invoice,
    now: datetime,
) -> list[InvoiceRecord]:
    """Store ``invoice`` (priced from ``report``) as one invoice per CMO, each with its event."""
    charges = [charge_data(c) for c in invoice.charges]
    rows = []
    for part in invoice.by_cmo():
        assert part.cmo_id is not None  # unmandated works were given the tariff's CMO
        row = InvoiceRecord(
            key=hashlib.sha256(f"{invoice.key}:{part.cmo_id}".encode()).hexdigest(),
            usage_report_id=report.id,
            developer_id=report.developer_id,
            cmo_id=part.cmo_id,
            tariff_id=report.tariff_id,
            period_start=report.period_start,
            period_end=report.period_end,
            currency=invoice.currency,
            total=part.amount,
            charges=charges,
            state=str(InvoiceState.UNPAID),
            paid_on=None,
            issued_at=now,
        )
        s.add(row)
        s.flush()
        s.add_all(
            InvoiceLineRecord(
                invoice_id=row.id,
                work_id=line.work_id,
                work_type=str(line.work_type),
                unit=str(line.unit),
                quantity=decimal_text(line.quantity),
                amount=line.amount,
            )
            for line in invoice.lines
            if line.cmo_id == part.cmo_id
        )
        _event(s, actor, row, "invoice.issued", now, works=part.works)
        rows.append(row)
    return rows


def pay_invoice(p: Platform, *, actor: Actor, invoice_id: int, data: InvoicePay) -> InvoicePublic:
    """The invoice's CMO records that it was paid (on a day from its issue to today)."""
    require_kind(actor, PartyKind.CMO)
    now = p.now()
    with p.db.transaction() as s:
        row = get_or_404(s, InvoiceRecord, invoice_id, "invoice")
        allow(actor, row.cmo_id, kind="invoice", ident=invoice_id)
        if row.state == InvoiceState.PAID:
            assert row.paid_on is not None
            raise Conflict("remuneration.invoice_paid", id=row.id, paid_on=row.paid_on.isoformat())
        paid_on = data.paid_on or now.date()
        if not row.issued_at.date() <= paid_on <= now.date():
            raise ValidationFailed(
                "remuneration.paid_on",
                id=row.id,
                paid_on=paid_on.isoformat(),
                issued_on=row.issued_at.date().isoformat(),
                today=now.date().isoformat(),
            )
        row.state, row.paid_on = str(InvoiceState.PAID), paid_on
        _event(s, actor, row, "invoice.paid", now, paid_on=paid_on.isoformat())
        return invoice_public(s, row)


def get_invoice(p: Platform, *, viewer: Actor, invoice_id: int) -> InvoicePublic:
    """An invoice, to its developer, its CMO and the administration."""
    with p.db.transaction() as s:
        row = get_or_404(s, InvoiceRecord, invoice_id, "invoice")
        allow(viewer, row.developer_id, row.cmo_id, kind="invoice", ident=invoice_id)
        return invoice_public(s, row)


def list_invoices(
    p: Platform,
    *,
    viewer: Actor,
    state: InvoiceState | None = None,
    usage_report_id: int | None = None,
) -> list[InvoicePublic]:
    """The invoices a viewer may see: a developer's or CMO's own; all for the administration."""
    with p.db.transaction() as s:
        stmt = select(InvoiceRecord).order_by(InvoiceRecord.id)
        if viewer.kind == PartyKind.DEVELOPER:
            stmt = stmt.where(InvoiceRecord.developer_id == viewer.party_id)
        elif viewer.kind == PartyKind.CMO:
            stmt = stmt.where(InvoiceRecord.cmo_id == viewer.party_id)
        elif not is_admin(viewer):
            return []
        if state is not None:
            stmt = stmt.where(InvoiceRecord.state == state)
        if usage_report_id is not None:
            stmt = stmt.where(InvoiceRecord.usage_report_id == usage_report_id)
        return [invoice_public(s, row) for row in s.scalars(stmt)]


def invoice_public(s: Session, row: InvoiceRecord) -> InvoicePublic:
    lines = s.scalars(
        select(InvoiceLineRecord)
        .where(InvoiceLineRecord.invoice_id == row.id)
        .order_by(InvoiceLineRecord.work_id)
    )
    code = s.scalar(select(TariffVersion.code).where(TariffVersion.id == row.tariff_id))
    assert code is not None
    return InvoicePublic.model_validate(
        {
            "id": row.id,
            "key": row.key,
            "usage_report_id": row.usage_report_id,
            "developer_id": row.developer_id,
            "cmo_id": row.cmo_id,
            "tariff_id": row.tariff_id,
            "tariff_code": code,
            "period": str(period_of(row.period_start, row.period_end)),
            "currency": row.currency,
            "total": row.total,
            "state": row.state,
            "paid_on": row.paid_on,
            "issued_at": row.issued_at,
            "charges": row.charges,
            "lines": [
                InvoiceLinePublic.model_validate(line, from_attributes=True) for line in lines
            ],
        }
    )


def charge_data(charge: TypeCharge) -> dict[str, object]:
    """How one work type was priced, as exact plain data (:class:`TypeChargePublic`)."""
    price = charge.price
    return TypeChargePublic(
        work_type=charge.work_type,
        unit=charge.unit,
        quantity=decimal_text(price.quantity),
        tiers=[PriceTier(quantity=decimal_text(q), amount=decimal_text(a)) for q, a in price.tiers],
        exact=decimal_text(price.exact),
        rounded=price.rounded,
        top_up=price.top_up,
        amount=price.amount,
    ).model_dump(mode="json")


def _event(
    s: Session, actor: Actor, row: InvoiceRecord, kind: str, now: datetime, **extra: object
) -> None:
    record_event(
        s,
        at=now,
        kind=kind,
        subject=f"invoice:{row.id}",
        actor=actor,
        payload={
            "usage_report_id": row.usage_report_id,
            "developer_id": row.developer_id,
            "cmo_id": row.cmo_id,
            "total": row.total,
            "currency": row.currency,
            "key": row.key,
            **extra,
        },
    )
