"""Read models of usage reports for the portals: a page of reports with their invoice
totals, one report with a page of its lines, and what the report form needs (a
developer's dataset versions, what the scan of one measured).

Each list is one SQL query with the invoice figures aggregated per report (a page of
rows, however many reports there are). A developer sees only its own reports, whatever
the query asks; the administration sees every report and may filter by developer.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Row, Select, case, func, select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind
from trainclear.royalties import InvoiceState
from trainclear.schemas.reports import (
    MeasuredLine,
    ReportLineRow,
    ReportPage,
    ReportQuery,
    ReportRow,
    ReportState,
    ReportView,
    VersionStanding,
)
from trainclear.services import usage_reports
from trainclear.services.invoice_views import invoice_rows
from trainclear.services.platform import Platform, get_or_404, require_kind
from trainclear.services.remuneration import allow, is_admin, period_of
from trainclear.store.models import (
    DatasetVersion,
    DatasetWork,
    InvoiceRecord,
    Party,
    TariffVersion,
    UsageReportLine,
    UsageReportRecord,
    Work,
)

LINES_PER_PAGE = 100

_billed = (
    select(
        InvoiceRecord.usage_report_id.label("report_id"),
        func.count().label("invoices"),
        func.sum(case((InvoiceRecord.state == InvoiceState.PAID, 1), else_=0)).label("paid"),
        func.min(InvoiceRecord.currency).label("currency"),
        func.sum(InvoiceRecord.total).label("total"),
        func.sum(
            case((InvoiceRecord.state == InvoiceState.UNPAID, InvoiceRecord.total), else_=0)
        ).label("outstanding"),
    )
    .group_by(InvoiceRecord.usage_report_id)
    .subquery()
)


def report_page(p: Platform, *, viewer: Actor, query: ReportQuery) -> ReportPage:
    """A page of usage reports, newest first: a developer's own, or all for the administration."""
    require_kind(viewer, PartyKind.DEVELOPER, PartyKind.ADMINISTRATION)
    with p.db.transaction() as s:
        where = _filters(viewer, query)
        total = s.scalar(_report_rows().with_only_columns(func.count()).where(*where)) or 0
        stmt = (
            _report_rows()
            .where(*where)
            .order_by(UsageReportRecord.submitted_at.desc(), UsageReportRecord.id.desc())
            .limit(query.per_page)
            .offset((query.page - 1) * query.per_page)
        )
        items = [_row(r) for r in s.execute(stmt)]
        return ReportPage(items=items, total=total, page=query.page, per_page=query.per_page)


def report_view(p: Platform, *, viewer: Actor, report_id: int, page: int = 1) -> ReportView:
    """One report, to its developer and the administration: a page of lines, its invoices."""
    with p.db.transaction() as s:
        record = get_or_404(s, UsageReportRecord, report_id, "usage report")
        allow(viewer, record.developer_id, kind="usage report", ident=report_id)
        row = _row(s.execute(_report_rows().where(UsageReportRecord.id == report_id)).one())
        count = select(func.count()).where(UsageReportLine.report_id == report_id)
        lines = s.execute(
            select(UsageReportLine, Work.title)
            .join(Work, Work.id == UsageReportLine.work_id)
            .where(UsageReportLine.report_id == report_id)
            .order_by(UsageReportLine.work_id)
            .limit(LINES_PER_PAGE)
            .offset((page - 1) * LINES_PER_PAGE)
        )
        return ReportView(
            report=row,
            lines=[_line(line, title) for line, title in lines],
            invoices=invoice_rows(s, InvoiceRecord.usage_report_id == report_id),
            total=s.scalar(count) or 0,
            page=page,
            per_page=LINES_PER_PAGE,
        )


def versions_of(p: Platform, *, actor: Actor) -> list[VersionStanding]:
    """A developer's dataset versions, newest first, with how many reports each has."""
    require_kind(actor, PartyKind.DEVELOPER)
    with p.db.transaction() as s:
        return version_standings(s, actor.party_id)


def version_standings(s: Session, developer_id: int) -> list[VersionStanding]:
    """A developer's dataset versions with their report counts (one grouped query)."""
    reports = func.count(UsageReportRecord.id)
    stmt = (
        select(DatasetVersion, reports)
        .outerjoin(UsageReportRecord, UsageReportRecord.dataset_version_id == DatasetVersion.id)
        .where(DatasetVersion.developer_id == developer_id)
        .group_by(DatasetVersion.id)
        .order_by(DatasetVersion.id.desc())
    )
    return [
        VersionStanding(
            id=v.id,
            name=v.name,
            version=v.version,
            records=v.records,
            created_at=v.created_at,
            reports=n,
        )
        for v, n in s.execute(stmt)
    ]


def measured_lines(p: Platform, *, viewer: Actor, version_id: int) -> list[MeasuredLine]:
    """What the scan of a version measured per work (the service's measure: the least a
    report may state), with each work's title and type for the report form."""
    with p.db.transaction() as s:
        version = get_or_404(s, DatasetVersion, version_id, "dataset version")
        allow(viewer, version.developer_id, kind="dataset version", ident=version_id)
        usage = usage_reports.measured(s, version_id)
        works = {
            w.id: w
            for w in s.execute(
                select(Work.id, Work.title, Work.type)
                .join(DatasetWork, DatasetWork.work_id == Work.id)
                .where(DatasetWork.dataset_version_id == version_id)
            )
        }
        return [
            MeasuredLine(
                work_id=u.work_id,
                title=works[u.work_id].title,
                type=works[u.work_id].type,
                records=u.records,
                characters=u.characters,
                images=u.images,
            )
            for u in usage
        ]


_Billed = tuple[int | None, int | None, str | None, int | None, int | None]
"""Invoices, paid, currency, total, outstanding of a report (all None without invoices)."""
_ReportFields = tuple[UsageReportRecord, str, str, int, str, *_Billed]


def _report_rows() -> Select[*_ReportFields]:
    """Reports with their developer, dataset version, tariff code and invoice figures."""
    return (
        select(
            UsageReportRecord,
            Party.name,
            DatasetVersion.name,
            DatasetVersion.version,
            TariffVersion.code,
            _billed.c.invoices,
            _billed.c.paid,
            _billed.c.currency,
            _billed.c.total,
            _billed.c.outstanding,
        )
        .join(Party, Party.id == UsageReportRecord.developer_id)
        .join(DatasetVersion, DatasetVersion.id == UsageReportRecord.dataset_version_id)
        .join(TariffVersion, TariffVersion.id == UsageReportRecord.tariff_id)
        .outerjoin(_billed, _billed.c.report_id == UsageReportRecord.id)
    )


def _filters(viewer: Actor, query: ReportQuery) -> list[ColumnElement[bool]]:
    """The query's conditions; a developer's own reports only, whatever it asked."""
    where: list[ColumnElement[bool]] = []
    developer = query.developer_id if is_admin(viewer) else viewer.party_id
    if developer is not None:
        where.append(UsageReportRecord.developer_id == developer)
    if query.start is not None:
        where.append(UsageReportRecord.period_end >= query.start)
    if query.end is not None:
        where.append(UsageReportRecord.period_start <= query.end)
    unpaid = func.coalesce(_billed.c.invoices, 0) - func.coalesce(_billed.c.paid, 0)
    if query.state == ReportState.PAID:
        where.append(unpaid == 0)
    elif query.state == ReportState.OUTSTANDING:
        where.append(unpaid > 0)
    return where


def _row(r: Row[*_ReportFields]) -> ReportRow:
    """A report row of :func:`_report_rows`; a report without invoices counts zeros."""
    record, developer, dataset, version, code, invoices, paid, currency, total, outstanding = r
    return ReportRow(
        id=record.id,
        developer_id=record.developer_id,
        developer_name=developer,
        dataset_version_id=record.dataset_version_id,
        dataset_name=dataset,
        dataset_version=version,
        period=str(period_of(record.period_start, record.period_end)),
        model=record.model,
        epochs=record.epochs,
        tariff_code=code,
        submitted_at=record.submitted_at,
        invoices=invoices or 0,
        paid=paid or 0,
        currency=currency,
        total=total or 0,
        outstanding=outstanding or 0,
    )


def _line(line: UsageReportLine, title: str) -> ReportLineRow:
    return ReportLineRow(
        work_id=line.work_id,
        title=title,
        records=line.records,
        characters=line.characters,
        images=line.images,
        minutes=line.minutes,
    )
