"""The administration's reports and compliance: every usage report received (filtered by
developer, period and state), a report and an invoice, and per developer how far each
step of the clearing loop has gone (the compliance overview and a page per developer).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from starlette.responses import Response

from trainclear.schemas.reports import ComplianceQuery, ReportQuery, ReportState
from trainclear.services import compliance, invoice_views, usage_views
from trainclear.web.pages.deps import AdminPage, page_router
from trainclear.web.pages.forms import build, optional_int

router = page_router()

Text = Annotated[str, Query(max_length=200)]
PageNumber = Annotated[int, Query(alias="page", ge=1)]


@router.get("/admin/usage-reports")
def reports_received(
    page: AdminPage,
    developer: Text = "",
    start: Text = "",
    end: Text = "",
    state: Text = "",
    n: PageNumber = 1,
) -> Response:
    """Every usage report, newest first, filtered by developer number, period, state."""
    query = build(
        ReportQuery,
        developer_id=optional_int(developer, field="developer"),
        start=start.strip() or None,
        end=end.strip() or None,
        state=state or None,
        page=n,
    )
    results = usage_views.report_page(page.platform, viewer=page.actor, query=query)
    return page.render(
        "admin/usage_reports.html", results=results, query=query, states=list(ReportState)
    )


@router.get("/admin/usage-reports/{report_id}")
def report_received(page: AdminPage, report_id: int, n: PageNumber = 1) -> Response:
    view = usage_views.report_view(page.platform, viewer=page.actor, report_id=report_id, page=n)
    return page.render("reports/report.html", view=view, base="/admin")


@router.get("/admin/invoices/{invoice_id}")
def invoice(page: AdminPage, invoice_id: int, n: PageNumber = 1) -> Response:
    view = invoice_views.invoice_view(
        page.platform, viewer=page.actor, invoice_id=invoice_id, page=n
    )
    return page.render("reports/invoice.html", view=view, base="/admin")


@router.get("/admin/compliance")
def compliance_overview(page: AdminPage, q: Text = "", n: PageNumber = 1) -> Response:
    query = build(ComplianceQuery, text=q, page=n)
    results = compliance.compliance_page(page.platform, actor=page.actor, query=query)
    return page.render("admin/compliance.html", results=results, query=query)


@router.get("/admin/compliance/{developer_id}")
def developer_compliance(page: AdminPage, developer_id: int) -> Response:
    """One developer: its figures, notices, dataset versions, latest reports and invoices."""
    p, actor = page.platform, page.actor
    detail = compliance.developer_compliance(p, actor=actor, developer_id=developer_id)
    query = build(ReportQuery, developer_id=developer_id)
    reports = usage_views.report_page(p, viewer=actor, query=query)
    invoices = invoice_views.invoice_page(p, viewer=actor, developer_id=developer_id)
    return page.render("admin/developer.html", detail=detail, reports=reports, invoices=invoices)
