"""The developer's usage reports and invoices: list them, submit a report for one of its
dataset versions (prefilled with what the scan measured), read a report and an invoice.

The service refuses a report that states less than the scan measured; the form shows
that error with a table of each work, measure and difference, and keeps what was typed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Query
from starlette.responses import Response

from trainclear.errors import TrainclearError
from trainclear.royalties import InvoiceState
from trainclear.royalties.usage import UsageUnderstated
from trainclear.schemas.reports import ReportQuery
from trainclear.schemas.usage import UsageReportCreate
from trainclear.services import invoice_views, tariff_views, usage_reports, usage_views
from trainclear.web.pages.deps import DeveloperPage, page_router
from trainclear.web.pages.forms import build, optional_int, tariff_choice
from trainclear.web.pages.page import Page

router = page_router()

Field = Annotated[str, Form()]
Column = Annotated[list[str], Form()]
PageNumber = Annotated[int, Query(alias="page", ge=1)]


@router.get("/developer/usage-reports")
def my_reports(page: DeveloperPage, n: PageNumber = 1) -> Response:
    query = build(ReportQuery, page=n)
    results = usage_views.report_page(page.platform, viewer=page.actor, query=query)
    return page.render("developer/usage_reports.html", results=results)


@router.get("/developer/usage-reports/new")
def report_form(page: DeveloperPage, version: str = "") -> Response:
    """The form, for the chosen dataset version (the newest by default)."""
    chosen = optional_int(version, field="version")
    return _form(page, chosen, form={}, error=None)


@router.post("/developer/usage-reports/new")
def submit_report(
    page: DeveloperPage,
    version: Field = "",
    start: Field = "",
    end: Field = "",
    model: Field = "",
    epochs: Field = "1",
    tariff: Field = "",
    work_id: Column = [],  # noqa: B006 - FastAPI copies the default
    records: Column = [],  # noqa: B006
    characters: Column = [],  # noqa: B006
    images: Column = [],  # noqa: B006
    minutes: Column = [],  # noqa: B006
) -> Response:
    columns = {"records": records, "characters": characters, "images": images, "minutes": minutes}
    typed = {"start": start, "end": end, "model": model, "epochs": epochs, "tariff": tariff}
    lines = [
        {"work_id": w, **{name: _cell(column, i) for name, column in columns.items()}}
        for i, w in enumerate(work_id)
    ]
    chosen = optional_int(version, field="version")
    try:
        code, cmo = tariff_choice(tariff)
        data = build(
            UsageReportCreate,
            dataset_version_id=chosen,
            period=f"{start.strip()}/{end.strip()}",
            model=model.strip(),
            epochs=epochs.strip() or "1",
            lines=[{k: v or "0" for k, v in line.items()} for line in lines],
            tariff_code=code,
            tariff_cmo_id=cmo,
        )
        report = usage_reports.submit_usage_report(page.platform, actor=page.actor, data=data)
    except TrainclearError as exc:
        return _form(page, chosen, form=typed | {"lines": lines}, error=exc)
    return page.redirect(
        f"/developer/usage-reports/{report.id}", flash="flash.usage_report_submitted", n=report.id
    )


@router.get("/developer/usage-reports/{report_id}")
def my_report(page: DeveloperPage, report_id: int, n: PageNumber = 1) -> Response:
    view = usage_views.report_view(page.platform, viewer=page.actor, report_id=report_id, page=n)
    return page.render("reports/report.html", view=view, base="/developer")


@router.get("/developer/invoices")
def my_invoices(page: DeveloperPage, state: str = "", n: PageNumber = 1) -> Response:
    chosen = InvoiceState(state) if state in set(InvoiceState) else None
    results = invoice_views.invoice_page(page.platform, viewer=page.actor, state=chosen, page=n)
    return page.render(
        "developer/invoices.html", results=results, state=chosen, states=list(InvoiceState)
    )


@router.get("/developer/invoices/{invoice_id}")
def my_invoice(page: DeveloperPage, invoice_id: int, n: PageNumber = 1) -> Response:
    view = invoice_views.invoice_view(
        page.platform, viewer=page.actor, invoice_id=invoice_id, page=n
    )
    return page.render("reports/invoice.html", view=view, base="/developer")


def _form(
    page: Page, version: int | None, *, form: dict[str, object], error: TrainclearError | None
) -> Response:
    """The report form for ``version`` (the newest when None), with any error and values."""
    versions = usage_views.versions_of(page.platform, actor=page.actor)
    if version is None and versions:
        version = versions[0].id
    measured = (
        usage_views.measured_lines(page.platform, viewer=page.actor, version_id=version)
        if version is not None
        else []
    )
    return page.render(
        "developer/usage_report_new.html",
        status=error.status if error else 200,
        error=error.message(page.lang) if error else None,
        shortfalls=error.shortfalls if isinstance(error, UsageUnderstated) else [],
        titles={line.work_id: line.title for line in measured},
        versions=versions,
        version=version,
        measured=measured,
        typed=_typed_lines(form),
        form=form,
        tariffs=tariff_views.tariff_choices(page.platform),
    )


def _typed_lines(form: dict[str, object]) -> dict[str, dict[str, str]]:
    """What was typed per work (by work id as text), to refill the form after an error."""
    lines = form.get("lines")
    if not isinstance(lines, list):
        return {}
    return {str(line["work_id"]): line for line in lines if isinstance(line, dict)}


def _cell(column: list[str], index: int) -> str:
    """One line's value of a column of the lines table ("" when the browser sent none)."""
    return column[index].strip() if index < len(column) else ""
