"""Statements per rights holder and the CMO's report of a run, from the stored run.

A holder's statement traces each work it owns in the run from the usage invoiced for it,
through the invoices that collected for it and the two pools, to the holder's share and
the payout (the engine's :func:`~trainclear.royalties.holder_statement`). A holder sees
only its own statements; the run's CMO and the administration see every statement of the
run. The CMO's report (collections, fee, distributed and undistributed amounts) is for
the CMO and the administration.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind, WorkType
from trainclear.royalties import (
    CmoReport,
    Collections,
    HolderStatement,
    Invoice,
    InvoiceLine,
    Unit,
    cmo_report,
    exact,
    holder_statement,
)
from trainclear.schemas.distributions import StatementSummary
from trainclear.services.bulk import AnySelect
from trainclear.services.distribution_store import load_partial, load_result, report_input
from trainclear.services.distributions import visible_run
from trainclear.services.platform import Platform
from trainclear.services.remuneration import chunks, is_admin, period_of
from trainclear.store.models import (
    DistributionHolder,
    DistributionRun,
    DistributionShare,
    InvoiceLineRecord,
    InvoiceRecord,
    TariffVersion,
    UsageReportRecord,
)


def get_statement(p: Platform, *, viewer: Actor, run_id: int, holder_id: int) -> HolderStatement:
    """One holder's statement of one run (``to_json()`` / ``to_csv()`` for the formats)."""
    with p.db.transaction() as s:
        run = visible_run(s, viewer, run_id, holder_id)
        result = load_partial(s, run, holder_id)
        owned = select(DistributionShare.work_id).where(
            DistributionShare.run_id == run.id, DistributionShare.holder_id == holder_id
        )
        inp = report_input(s, run, owned)
        invoices = _invoices(s, inp.collections, owned)
        return holder_statement(result, inp, holder_id, invoices=invoices)


def get_report(p: Platform, *, viewer: Actor, run_id: int) -> CmoReport:
    """The CMO's report of a run (``to_json()`` / ``to_csv(lang)``), checked against its digest."""
    with p.db.transaction() as s:
        run = visible_run(s, viewer, run_id)
        return cmo_report(load_result(s, run), report_input(s, run))


def list_statements(
    p: Platform, *, viewer: Actor, holder_id: int | None = None
) -> list[StatementSummary]:
    """The accounts a viewer may see: a holder's own, a CMO's runs'; all for the administration."""
    with p.db.transaction() as s:
        stmt = (
            select(DistributionHolder, DistributionRun)
            .join(DistributionRun, DistributionRun.id == DistributionHolder.run_id)
            .order_by(
                DistributionRun.period_start, DistributionRun.id, DistributionHolder.holder_id
            )
        )
        if viewer.kind == PartyKind.CMO:
            stmt = stmt.where(DistributionRun.cmo_id == viewer.party_id)
        elif not is_admin(viewer):
            holder_id = viewer.party_id
        if holder_id is not None:
            stmt = stmt.where(DistributionHolder.holder_id == holder_id)
        return [_summary(h, r) for h, r in s.execute(stmt)]


def _summary(account: DistributionHolder, run: DistributionRun) -> StatementSummary:
    return StatementSummary(
        run_id=run.id,
        cmo_id=run.cmo_id,
        period=str(period_of(run.period_start, run.period_end)),
        currency=run.currency,
        holder_id=account.holder_id,
        carried_in=account.carried_in,
        shares=account.shares,
        released=account.released,
        balance=account.balance,
        payout=account.payout,
        carried_out=account.carried_out,
    )


def _invoices(s: Session, collections: Collections, owned: AnySelect) -> dict[int, Invoice]:
    """The invoices that collected for the statement's works, with those works' lines."""
    out: dict[int, Invoice] = {}
    for ids in chunks(collections.invoice_id.tolist()):
        heads = s.execute(
            select(InvoiceRecord, UsageReportRecord.dataset_version_id, TariffVersion)
            .join(UsageReportRecord, UsageReportRecord.id == InvoiceRecord.usage_report_id)
            .join(TariffVersion, TariffVersion.id == InvoiceRecord.tariff_id)
            .where(InvoiceRecord.id.in_(ids))
        ).all()
        cmo = {invoice.id: invoice.cmo_id for invoice, _, _ in heads}
        lines: dict[int, list[InvoiceLine]] = {}
        for line in s.scalars(
            select(InvoiceLineRecord)
            .where(InvoiceLineRecord.invoice_id.in_(ids), InvoiceLineRecord.work_id.in_(owned))
            .order_by(InvoiceLineRecord.invoice_id, InvoiceLineRecord.work_id)
        ):
            lines.setdefault(line.invoice_id, []).append(_line(line, cmo[line.invoice_id]))
        for invoice, version_id, tariff in heads:
            out[invoice.id] = Invoice(
                developer_id=invoice.developer_id,
                dataset_version_id=version_id,
                period=period_of(invoice.period_start, invoice.period_end),
                tariff_code=tariff.code,
                tariff_from=tariff.effective_from,
                currency=invoice.currency,
                charges=(),  # a statement reads only the lines of the holder's works
                lines=tuple(lines.get(invoice.id, [])),
                total=invoice.total,
            )
    return out


def _line(line: InvoiceLineRecord, cmo_id: int) -> InvoiceLine:
    return InvoiceLine(
        work_id=line.work_id,
        work_type=WorkType(line.work_type),
        cmo_id=cmo_id,
        unit=Unit(line.unit),
        quantity=exact(line.quantity, "quantity"),
        amount=line.amount,
    )
