"""The administration's compliance overview: per developer, how far each step of the
clearing loop has gone (notices, objections, dataset versions, usage reports, invoices).

Every figure is aggregated in SQL, grouped by developer, for one page of developers at a
time: a handful of grouped queries per page, however many rows lie behind them.

Definitions (the tests hold them):
- notices published: notice series with a published version; windows open / closed:
  current published versions (not superseded or withdrawn) whose window ends after /
  at or before now (the clock, not the lifecycle job, decides);
- objections received: objections to the developer's notices; excluded: those that
  exclude their work (effective, or disputed and awaiting decision);
- dataset versions built, and those without any usage report;
- invoices issued / paid, and per currency the amounts invoiced, paid and outstanding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind
from trainclear.errors import NotFound
from trainclear.royalties import InvoiceState
from trainclear.schemas.reports import (
    AmountLine,
    CompliancePage,
    ComplianceQuery,
    ComplianceRow,
    DeveloperCompliance,
)
from trainclear.services.board import summaries
from trainclear.services.notice_views import EXCLUDING
from trainclear.services.notices import PUBLISHED
from trainclear.services.platform import Platform, require_kind
from trainclear.services.usage_views import version_standings
from trainclear.store.models import (
    DatasetVersion,
    InvoiceRecord,
    Notice,
    Objection,
    Party,
    UsageReportRecord,
)

NOTICES_SHOWN = 100

Figures = Select[*tuple[int, ...]]
"""A grouped query: the developer id, then whole-number figures."""


def compliance_page(p: Platform, *, actor: Actor, query: ComplianceQuery) -> CompliancePage:
    """One page of developers (by name) with their figures; the administration only."""
    require_kind(actor, PartyKind.ADMINISTRATION)
    now = p.now()
    with p.db.transaction() as s:
        developers = select(Party.id, Party.name).where(Party.kind == PartyKind.DEVELOPER)
        if query.text.strip():
            developers = developers.where(Party.name.ilike(f"%{_escaped(query.text)}%", "\\"))
        total = s.scalar(select(func.count()).select_from(developers.subquery())) or 0
        chosen = s.execute(
            developers.order_by(Party.name, Party.id)
            .limit(query.per_page)
            .offset((query.page - 1) * query.per_page)
        )
        items = standings(s, [(r.id, r.name) for r in chosen], now)
        return CompliancePage(
            items=items, total=total, page=query.page, per_page=query.per_page, as_of=now
        )


def developer_compliance(p: Platform, *, actor: Actor, developer_id: int) -> DeveloperCompliance:
    """One developer's figures, its current notices and its dataset versions."""
    require_kind(actor, PartyKind.ADMINISTRATION)
    now = p.now()
    with p.db.transaction() as s:
        party = s.get(Party, developer_id)
        if party is None or party.kind != PartyKind.DEVELOPER:
            raise NotFound("not_found", kind="developer", id=developer_id)
        [row] = standings(s, [(party.id, party.name)], now)
        notice_ids = s.scalars(
            select(Notice.id)
            .where(_current(), Notice.developer_id == developer_id)
            .order_by(Notice.id.desc())
            .limit(NOTICES_SHOWN)
        )
        return DeveloperCompliance(
            row=row,
            notices=summaries(s, list(notice_ids)),
            versions=version_standings(s, developer_id),
            as_of=now,
        )


def standings(
    s: Session, developers: Sequence[tuple[int, str]], now: datetime
) -> list[ComplianceRow]:
    """The figures of ``developers`` (id, name), in that order."""
    rows = {i: ComplianceRow(developer_id=i, developer_name=name) for i, name in developers}
    ids = list(rows)
    if not ids:
        return []
    for stmt, fields in _figures(ids, now):
        for developer_id, *values in s.execute(stmt):
            row = rows[developer_id]
            for field, value in zip(fields, values, strict=True):
                setattr(row, field, int(value or 0))
    for developer_id, currency, invoiced, paid in s.execute(_amounts(ids)):
        rows[developer_id].amounts.append(
            AmountLine(
                currency=currency,
                invoiced=invoiced or 0,
                paid=paid or 0,
                outstanding=(invoiced or 0) - (paid or 0),
            )
        )
    return list(rows.values())


def _figures(ids: list[int], now: datetime) -> list[tuple[Figures, list[str]]]:
    """Each grouped query with the row fields its columns fill (after the developer id)."""
    return [
        (_notices(ids, now), ["notices_published", "windows_open", "windows_closed"]),
        (_objections(ids), ["objections_received", "objections_excluded"]),
        (_versions(ids), ["versions_built", "versions_unreported"]),
        (_reports(ids), ["reports_submitted"]),
        (_invoices(ids), ["invoices_issued", "invoices_paid"]),
    ]


def _notices(ids: list[int], now: datetime) -> Figures:
    published = case((Notice.published_at.is_not(None), Notice.series_id))
    live = and_(_current(), Notice.window_end.is_not(None))
    return (
        select(
            Notice.developer_id,
            func.count(func.distinct(published)),
            _tally(and_(live, Notice.window_end > now)),
            _tally(and_(live, Notice.window_end <= now)),
        )
        .where(Notice.developer_id.in_(ids))
        .group_by(Notice.developer_id)
    )


def _objections(ids: list[int]) -> Figures:
    return (
        select(
            Notice.developer_id,
            func.count(Objection.id),
            _tally(Objection.state.in_(EXCLUDING)),
        )
        .join(Notice, Notice.id == Objection.notice_id)
        .where(Notice.developer_id.in_(ids))
        .group_by(Notice.developer_id)
    )


def _versions(ids: list[int]) -> Figures:
    reported = select(UsageReportRecord.dataset_version_id).distinct().subquery()
    return (
        select(
            DatasetVersion.developer_id,
            func.count(DatasetVersion.id),
            _tally(reported.c.dataset_version_id.is_(None)),
        )
        .outerjoin(reported, reported.c.dataset_version_id == DatasetVersion.id)
        .where(DatasetVersion.developer_id.in_(ids))
        .group_by(DatasetVersion.developer_id)
    )


def _reports(ids: list[int]) -> Figures:
    return (
        select(UsageReportRecord.developer_id, func.count())
        .where(UsageReportRecord.developer_id.in_(ids))
        .group_by(UsageReportRecord.developer_id)
    )


def _invoices(ids: list[int]) -> Figures:
    return (
        select(
            InvoiceRecord.developer_id,
            func.count(),
            _tally(InvoiceRecord.state == InvoiceState.PAID),
        )
        .where(InvoiceRecord.developer_id.in_(ids))
        .group_by(InvoiceRecord.developer_id)
    )


def _amounts(ids: list[int]) -> Select[int, str, int, int]:
    """Invoiced and paid amounts per developer and currency."""
    paid = case((InvoiceRecord.state == InvoiceState.PAID, InvoiceRecord.total), else_=0)
    return (
        select(
            InvoiceRecord.developer_id,
            InvoiceRecord.currency,
            func.sum(InvoiceRecord.total),
            func.sum(paid),
        )
        .where(InvoiceRecord.developer_id.in_(ids))
        .group_by(InvoiceRecord.developer_id, InvoiceRecord.currency)
        .order_by(InvoiceRecord.developer_id, InvoiceRecord.currency)
    )


def _current() -> ColumnElement[bool]:
    """Current published versions: not superseded, not withdrawn, not drafts."""
    return and_(Notice.superseded_by.is_(None), Notice.state.in_(PUBLISHED))


def _tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet ``condition`` (0, not NULL, for none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _escaped(text: str) -> str:
    return text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
