"""Read models of invoices for the portals: a page of invoices with the names of their
developer and CMO, and one invoice with how its report was priced and a page of lines.

A developer sees only its own invoices, whatever the query asks; the administration
sees all and may filter by developer. (The CMO's own view belongs to its console.)
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from trainclear.domain import Actor, PartyKind
from trainclear.royalties import InvoiceState
from trainclear.schemas.reports import InvoiceLineRow, InvoicePage, InvoiceRow, InvoiceView
from trainclear.schemas.usage import TypeChargePublic
from trainclear.services.platform import Platform, get_or_404, require_kind
from trainclear.services.remuneration import allow, is_admin, period_of
from trainclear.store.models import (
    InvoiceLineRecord,
    InvoiceRecord,
    Party,
    TariffVersion,
    Work,
)

LINES_PER_PAGE = 100

_Developer = aliased(Party)
_Cmo = aliased(Party)


def invoice_page(
    p: Platform,
    *,
    viewer: Actor,
    state: InvoiceState | None = None,
    developer_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> InvoicePage:
    """A page of invoices, newest first: a developer's own, or all for the administration."""
    require_kind(viewer, PartyKind.DEVELOPER, PartyKind.ADMINISTRATION)
    where: list[ColumnElement[bool]] = []
    developer = developer_id if is_admin(viewer) else viewer.party_id
    if developer is not None:
        where.append(InvoiceRecord.developer_id == developer)
    if state is not None:
        where.append(InvoiceRecord.state == state)
    with p.db.transaction() as s:
        total = s.scalar(select(func.count()).select_from(InvoiceRecord).where(*where)) or 0
        items = invoice_rows(s, *where, limit=per_page, offset=(page - 1) * per_page)
        return InvoicePage(items=items, total=total, page=page, per_page=per_page)


def invoice_view(p: Platform, *, viewer: Actor, invoice_id: int, page: int = 1) -> InvoiceView:
    """One invoice, to its developer, its CMO and the administration."""
    with p.db.transaction() as s:
        record = get_or_404(s, InvoiceRecord, invoice_id, "invoice")
        allow(viewer, record.developer_id, record.cmo_id, kind="invoice", ident=invoice_id)
        [row] = invoice_rows(s, InvoiceRecord.id == invoice_id)
        lines = s.execute(
            select(InvoiceLineRecord, Work.title)
            .join(Work, Work.id == InvoiceLineRecord.work_id)
            .where(InvoiceLineRecord.invoice_id == invoice_id)
            .order_by(InvoiceLineRecord.work_id)
            .limit(LINES_PER_PAGE)
            .offset((page - 1) * LINES_PER_PAGE)
        )
        count = select(func.count()).where(InvoiceLineRecord.invoice_id == invoice_id)
        return InvoiceView(
            invoice=row,
            charges=[TypeChargePublic.model_validate(c) for c in record.charges],
            lines=[
                InvoiceLineRow(
                    work_id=line.work_id,
                    title=title,
                    work_type=line.work_type,
                    unit=line.unit,
                    quantity=line.quantity,
                    amount=line.amount,
                )
                for line, title in lines
            ],
            total=s.scalar(count) or 0,
            page=page,
            per_page=LINES_PER_PAGE,
        )


def invoice_rows(
    s: Session, *where: ColumnElement[bool], limit: int | None = None, offset: int = 0
) -> list[InvoiceRow]:
    """Invoices matching ``where``, newest first, with their parties' names and tariff code."""
    stmt: Select[InvoiceRecord, str, str, str] = (
        select(InvoiceRecord, _Developer.name, _Cmo.name, TariffVersion.code)
        .join(_Developer, _Developer.id == InvoiceRecord.developer_id)
        .join(_Cmo, _Cmo.id == InvoiceRecord.cmo_id)
        .join(TariffVersion, TariffVersion.id == InvoiceRecord.tariff_id)
        .where(*where)
        .order_by(InvoiceRecord.issued_at.desc(), InvoiceRecord.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        InvoiceRow(
            id=r.id,
            usage_report_id=r.usage_report_id,
            developer_id=r.developer_id,
            developer_name=developer,
            cmo_id=r.cmo_id,
            cmo_name=cmo,
            tariff_code=code,
            period=str(period_of(r.period_start, r.period_end)),
            currency=r.currency,
            total=r.total,
            state=InvoiceState(r.state),
            paid_on=r.paid_on,
            issued_at=r.issued_at,
        )
        for r, developer, cmo, code in s.execute(stmt)
    ]
