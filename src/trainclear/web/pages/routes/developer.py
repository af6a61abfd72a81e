"""The developer's portal: notices (draft from a scan report, publish), objections as
they arrive (and contesting one), the exclusion snapshot once the window has closed.

Usage reports and invoices join this portal when the remuneration services land
(add their routes here and their entries to :mod:`trainclear.web.pages.nav`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import File, Form, UploadFile
from starlette.responses import Response

from trainclear.domain import Purpose
from trainclear.errors import TrainclearError
from trainclear.schemas.board import BoardQuery
from trainclear.schemas.notices import DisputeCreate, NoticeCreate, NoticePublish, NoticeWorkIn
from trainclear.schemas.snapshots import SnapshotExport
from trainclear.services import board, disputes, notices, portal_views, snapshots
from trainclear.services.scan_reports import works_from_scan_report_bytes
from trainclear.web.pages.deps import DeveloperPage, page_router
from trainclear.web.pages.forms import (
    build,
    int_list,
    optional_int,
    tariff_choice,
    upload_bytes,
)
from trainclear.web.pages.page import Page

router = page_router()

Field = Annotated[str, Form()]
Upload = Annotated[UploadFile | None, File()]


@router.get("/developer/notices")
def my_notices(page: DeveloperPage, n: int = 1) -> Response:
    query = build(BoardQuery, page=n)
    results = board.search_board(page.platform, query=query, scope="mine", viewer=page.actor)
    return page.render("developer/notices.html", results=results)


@router.get("/developer/notices/new")
def new_notice_form(page: DeveloperPage) -> Response:
    return _notice_form(page, None, {})


@router.post("/developer/notices/new")
def draft_notice(
    page: DeveloperPage,
    model: Field = "",
    purpose: Field = Purpose.GENERATIVE_AI_TRAINING.value,
    remuneration: Field = "",
    other_sources: Field = "",
    work_ids: Field = "",
    scan_report: Upload = None,
) -> Response:
    form = {
        "model": model,
        "purpose": purpose,
        "remuneration": remuneration,
        "other_sources": other_sources,
        "work_ids": work_ids,
    }
    try:
        snapshot_id: str | None = None
        items: list[NoticeWorkIn] = []
        report = upload_bytes(scan_report, field="scan_report")
        if report is not None:
            name = scan_report.filename if scan_report and scan_report.filename else "upload"
            snapshot_id, items = works_from_scan_report_bytes(report, name=name)
        listed = {item.work_id for item in items}
        extra = [w for w in int_list(work_ids, field="work_ids") if w not in listed]
        items += [NoticeWorkIn(work_id=w) for w in dict.fromkeys(extra)]
        data = build(
            NoticeCreate,
            model=model.strip(),
            purpose=purpose,
            works=[i.model_dump() for i in items],
            other_sources=other_sources.strip(),
            remuneration=remuneration.strip(),
            scan_snapshot_id=snapshot_id,
        )
        notice = notices.create_notice(page.platform, actor=page.actor, data=data)
    except TrainclearError as exc:
        return _notice_form(page, exc, form)
    return page.redirect(f"/notices/{notice.id}", flash="flash.notice_drafted", n=notice.id)


def _notice_form(page: Page, error: TrainclearError | None, form: dict[str, str]) -> Response:
    return page.render(
        "developer/notice_new.html",
        status=error.status if error else 200,
        error=error.message(page.lang) if error else None,
        form=form,
        purposes=list(Purpose),
    )


@router.post("/developer/notices/{notice_id}/publish")
def publish_notice(
    page: DeveloperPage, notice_id: int, days: Field = "", tariff: Field = ""
) -> Response:
    """Open the window now, for the legal minimum or ``days`` (the service checks it),
    naming the chosen tariff as the notice's remuneration standard."""
    length = optional_int(days, field="days")
    end = page.platform.now() + timedelta(days=length) if length else None
    code, cmo = tariff_choice(tariff)
    data = build(NoticePublish, window_end=end, tariff_code=code, tariff_cmo_id=cmo)
    notices.publish_notice(page.platform, actor=page.actor, notice_id=notice_id, data=data)
    return page.redirect(f"/notices/{notice_id}", flash="flash.notice_published", n=notice_id)


@router.post("/developer/notices/{notice_id}/snapshot")
def export_snapshot(page: DeveloperPage, notice_id: int) -> Response:
    """Take the notice's exclusion snapshot (once its window has closed)."""
    data = SnapshotExport(notice_id=notice_id)
    snapshots.export_snapshot(page.platform, actor=page.actor, data=data)
    return page.redirect(f"/notices/{notice_id}#snapshots", flash="flash.snapshot_exported")


@router.get("/developer/objections")
def objections_received(page: DeveloperPage) -> Response:
    rows = portal_views.objections_against(page.platform, actor=page.actor)
    return page.render("developer/objections.html", objections=rows, as_of=page.platform.now())


@router.post("/developer/objections/{objection_id}/contest")
def contest_objection(page: DeveloperPage, objection_id: int, grounds: Field = "") -> Response:
    data = build(DisputeCreate, objection_id=objection_id, grounds=grounds.strip())
    dispute = disputes.contest_objection(page.platform, actor=page.actor, data=data)
    return page.redirect("/developer/objections", flash="flash.dispute_filed", n=dispute.id)
