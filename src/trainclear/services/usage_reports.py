"""Usage reports (使用报告): a developer's per-work usage of a dataset version in a period.

Submitting one is one transaction: the report is held to what the scan of the version
measured (it may state more, never less: an under-statement is refused naming each work,
measure and difference), priced by its tariff, and issued as one invoice per CMO.

The tariff is the one the report names, or else the one named by the notice the version
was filtered under (version → snapshot → notice). The same report submitted again returns
the first (nothing is written twice); another report for an overlapping period of the
same version is refused.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind, WorkType
from trainclear.errors import Conflict, Forbidden, NotFound, ValidationFailed
from trainclear.royalties import (
    Period,
    UsageReport,
    WorkRef,
    WorkUsage,
    build_invoice,
    check_against_measured,
    exact,
    tariff_for_period,
)
from trainclear.royalties.money import decimal_text
from trainclear.schemas.usage import (
    UsageLinePublic,
    UsageReportCreate,
    UsageReportPublic,
)
from trainclear.services import invoices, tariffs
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.services.remuneration import allow, chunks, is_admin, period_of
from trainclear.store.models import (
    DatasetVersion,
    DatasetWork,
    InvoiceRecord,
    Notice,
    SnapshotRecord,
    TariffVersion,
    UsageReportLine,
    UsageReportRecord,
    Work,
)

TEXT_TYPES = (WorkType.TEXT, WorkType.CODE)


def submit_usage_report(p: Platform, *, actor: Actor, data: UsageReportCreate) -> UsageReportPublic:
    """The developer of a dataset version reports its usage; its invoices are issued with it."""
    require_kind(actor, PartyKind.DEVELOPER)
    report = _engine_report(actor, data)
    now = p.now()
    with p.db.transaction() as s:
        version = get_or_404(s, DatasetVersion, data.dataset_version_id, "dataset version")
        if version.developer_id != actor.party_id:
            raise Forbidden("datasets.not_yours", id=version.id)
        tariff = _tariff(s, data, version, report.period)
        content = _content_hash(report, tariff.id)
        earlier = _overlapping(s, version.id, report.period)
        if earlier is not None:
            if earlier.content_hash == content:
                return report_public(s, earlier)
            raise Conflict(
                "remuneration.report_exists",
                id=version.id,
                report=earlier.id,
                period=str(period_of(earlier.period_start, earlier.period_end)),
                asked=str(report.period),
            )
        check_against_measured(report, measured(s, version.id))
        refs = _work_refs(s, [line.work_id for line in report.lines], tariff.cmo_id)
        invoice = build_invoice(report=report, tariff=tariffs.engine_tariff(tariff), works=refs)
        row = _store(s, report, tariff, content, now)
        record_event(
            s,
            at=now,
            kind="usage_report.submitted",
            subject=f"usage_report:{row.id}",
            actor=actor,
            payload={
                "dataset_version_id": row.dataset_version_id,
                "period": str(report.period),
                "model": row.model,
                "epochs": row.epochs,
                "tariff_id": tariff.id,
                "works": len(report.lines),
                "content_hash": content,
                "total": invoice.total,
            },
        )
        invoices.issue_invoices(s, actor=actor, report=row, invoice=invoice, now=now)
        return report_public(s, row)


def get_usage_report(p: Platform, *, viewer: Actor, report_id: int) -> UsageReportPublic:
    """A report, to its developer, to a CMO it invoiced, and to the administration."""
    with p.db.transaction() as s:
        row = get_or_404(s, UsageReportRecord, report_id, "usage report")
        cmos = s.scalars(
            select(InvoiceRecord.cmo_id).where(InvoiceRecord.usage_report_id == row.id)
        )
        allow(viewer, row.developer_id, *cmos, kind="usage report", ident=report_id)
        return report_public(s, row)


def list_usage_reports(p: Platform, *, viewer: Actor) -> list[UsageReportPublic]:
    """A developer's own reports; every report for the administration."""
    with p.db.transaction() as s:
        stmt = select(UsageReportRecord).order_by(UsageReportRecord.id)
        if not is_admin(viewer):
            stmt = stmt.where(UsageReportRecord.developer_id == viewer.party_id)
        return [report_public(s, row) for row in s.scalars(stmt)]


def measured_usage(p: Platform, *, viewer: Actor, version_id: int) -> list[UsageLinePublic]:
    """What the scan of a version measured per work: the least a report must state."""
    with p.db.transaction() as s:
        version = get_or_404(s, DatasetVersion, version_id, "dataset version")
        allow(viewer, version.developer_id, kind="dataset version", ident=version_id)
        return [_line_public(usage) for usage in measured(s, version_id)]


def measured(s: Session, version_id: int) -> list[WorkUsage]:
    """The scan's measurement of a version, per work, in the measures its type is used in:
    records always; characters of text and code; images of image works. (The text of a
    record that matched an image work is its caption, not a use of the image.)"""
    rows = s.execute(
        select(DatasetWork, Work.type)
        .join(Work, Work.id == DatasetWork.work_id)
        .where(DatasetWork.dataset_version_id == version_id)
        .order_by(DatasetWork.work_id)
    )
    return [
        WorkUsage(
            work_id=found.work_id,
            records=found.records,
            characters=found.characters if work_type in TEXT_TYPES else 0,
            images=found.images if work_type == WorkType.IMAGE else 0,
        )
        for found, work_type in rows
    ]


def report_public(s: Session, row: UsageReportRecord) -> UsageReportPublic:
    tariff = s.get(TariffVersion, row.tariff_id)
    assert tariff is not None
    lines = s.scalars(
        select(UsageReportLine)
        .where(UsageReportLine.report_id == row.id)
        .order_by(UsageReportLine.work_id)
    )
    issued = s.scalars(
        select(InvoiceRecord)
        .where(InvoiceRecord.usage_report_id == row.id)
        .order_by(InvoiceRecord.cmo_id)
    )
    bills = [invoices.invoice_public(s, invoice) for invoice in issued]
    return UsageReportPublic(
        id=row.id,
        developer_id=row.developer_id,
        dataset_version_id=row.dataset_version_id,
        period=str(period_of(row.period_start, row.period_end)),
        model=row.model,
        epochs=row.epochs,
        tariff_id=tariff.id,
        tariff_code=tariff.code,
        tariff_cmo_id=tariff.cmo_id,
        submitted_at=row.submitted_at,
        lines=[UsageLinePublic.model_validate(line, from_attributes=True) for line in lines],
        invoices=bills,
        total=sum(b.total for b in bills),
    )


def _engine_report(actor: Actor, data: UsageReportCreate) -> UsageReport:
    return UsageReport(
        developer_id=actor.party_id,
        dataset_version_id=data.dataset_version_id,
        period=Period.parse(data.period),
        model=data.model,
        epochs=data.epochs,
        lines=tuple(
            WorkUsage(
                work_id=line.work_id,
                records=line.records,
                characters=line.characters,
                images=line.images,
                minutes=exact(line.minutes, f"work {line.work_id}.minutes"),
            )
            for line in data.lines
        ),
    )


def _tariff(
    s: Session, data: UsageReportCreate, version: DatasetVersion, period: Period
) -> TariffVersion:
    """The version of the report's tariff in force over its whole period."""
    if data.tariff_code is not None:
        code = data.tariff_code
        cmo_id = tariffs.tariff_cmo(s, code=code, cmo_id=data.tariff_cmo_id)
    else:
        notice = _notice_of(s, version)
        if notice is None or notice.tariff_code is None or notice.tariff_cmo_id is None:
            raise ValidationFailed("remuneration.no_tariff", id=version.id)
        code, cmo_id = notice.tariff_code, notice.tariff_cmo_id
    versions = tariffs.versions_of(s, cmo_id=cmo_id, code=code)
    if not versions:
        raise NotFound("not_found", kind="tariff", id=code)
    chosen = tariff_for_period([t for _, t in versions], code=code, period=period)
    return next(row for row, t in versions if t is chosen)


def _notice_of(s: Session, version: DatasetVersion) -> Notice | None:
    """The notice the version was filtered under (its snapshot's), if any."""
    if version.snapshot_id is None:
        return None
    snapshot = s.get(SnapshotRecord, version.snapshot_id)
    if snapshot is None or snapshot.notice_id is None:
        return None
    return s.get(Notice, snapshot.notice_id)


def _overlapping(s: Session, version_id: int, period: Period) -> UsageReportRecord | None:
    return s.scalars(
        select(UsageReportRecord)
        .where(
            UsageReportRecord.dataset_version_id == version_id,
            UsageReportRecord.period_start <= period.end,
            UsageReportRecord.period_end >= period.start,
        )
        .order_by(UsageReportRecord.period_start)
    ).first()


def _work_refs(s: Session, work_ids: list[int], tariff_cmo: int) -> list[WorkRef]:
    """The registry's facts on the reported works; a work under no mandate goes to the
    tariff's CMO (see :mod:`trainclear.services.invoices`)."""
    refs = []
    for ids in chunks(work_ids):
        rows = s.execute(select(Work.id, Work.type, Work.cmo_id).where(Work.id.in_(ids)))
        refs += [
            WorkRef(work_id=r.id, work_type=WorkType(r.type), cmo_id=r.cmo_id or tariff_cmo)
            for r in rows
        ]
    return refs


def _store(
    s: Session, report: UsageReport, tariff: TariffVersion, content: str, now: datetime
) -> UsageReportRecord:
    row = UsageReportRecord(
        developer_id=report.developer_id,
        dataset_version_id=report.dataset_version_id,
        period_start=report.period.start,
        period_end=report.period.end,
        model=report.model,
        epochs=report.epochs,
        tariff_id=tariff.id,
        content_hash=content,
        submitted_at=now,
    )
    s.add(row)
    s.flush()
    s.add_all(
        UsageReportLine(
            report_id=row.id,
            work_id=line.work_id,
            records=line.records,
            characters=line.characters,
            images=line.images,
            minutes=decimal_text(line.minutes),
        )
        for line in report.lines
    )
    return row


def _content_hash(report: UsageReport, tariff_id: int) -> str:
    body = {
        "developer": report.developer_id,
        "dataset_version": report.dataset_version_id,
        "period": str(report.period),
        "model": report.model,
        "epochs": report.epochs,
        "tariff": tariff_id,
        "lines": [
            [x.work_id, x.records, x.characters, x.images, decimal_text(x.minutes)]
            for x in report.lines
        ],
    }
    return hashlib.sha256(json.dumps(body, separators=(",", ":")).encode()).hexdigest()


def _line_public(usage: WorkUsage) -> UsageLinePublic:
    return UsageLinePublic(
        work_id=usage.work_id,
        records=usage.records,
        characters=usage.characters,
        images=usage.images,
        minutes=decimal_text(usage.minutes),
    )
