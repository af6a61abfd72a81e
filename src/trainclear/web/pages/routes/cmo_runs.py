"""The CMO console, part two: invoices received (mark paid) and distribution runs.

A run's page shows the CMO's report (collections, fee, distributed and undistributed
amounts), every holder's account, the reserve it opened, and the report to download as
JSON or CSV (the same files as the JSON API's ``/v1/distributions/{id}/report``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Form, Query
from starlette.responses import Response

from trainclear.errors import TrainclearError
from trainclear.royalties import InvoiceState
from trainclear.royalties.report import ITEMS
from trainclear.schemas.distributions import DistributionRunCreate
from trainclear.schemas.usage import InvoicePay
from trainclear.services import (
    attributions,
    cmo_views,
    distributions,
    invoices,
    statement_views,
    statements,
)
from trainclear.web.pages.deps import CmoPage, page_router
from trainclear.web.pages.download import download
from trainclear.web.pages.forms import build
from trainclear.web.pages.page import Page

router = page_router()

Field = Annotated[str, Form()]
COUNTS = frozenset({"invoices", "works", "holders", "payees"})
"""Report figures that are counts, not amounts."""


@router.get("/cmo/invoices")
def invoice_list(page: CmoPage, state: str = "") -> Response:
    chosen = InvoiceState(state) if state in set(InvoiceState) else None
    rows = invoices.list_invoices(page.platform, viewer=page.actor, state=chosen)
    names = statement_views.party_names(page.platform, party_ids={i.developer_id for i in rows})
    return page.render(
        "cmo/invoices.html",
        invoices=rows,
        names=names,
        state=chosen,
        states=list(InvoiceState),
        today=page.platform.now().date(),
    )


@router.post("/cmo/invoices/{invoice_id}/pay")
def mark_paid(page: CmoPage, invoice_id: int, paid_on: Field = "") -> Response:
    data = build(InvoicePay, paid_on=paid_on or None)
    invoices.pay_invoice(page.platform, actor=page.actor, invoice_id=invoice_id, data=data)
    return page.redirect("/cmo/invoices", flash="flash.invoice_paid", n=invoice_id)


@router.get("/cmo/runs")
def run_list(page: CmoPage) -> Response:
    return _runs_page(page, None, {})


@router.post("/cmo/runs")
def start_run(page: CmoPage, start: Field = "", end: Field = "") -> Response:
    try:
        data = build(DistributionRunCreate, period=f"{start}/{end}")
        run = distributions.run_distribution(page.platform, actor=page.actor, data=data)
    except TrainclearError as exc:
        return _runs_page(page, exc, {"start": start, "end": end})
    flash = "flash.run_replayed" if run.replayed else "flash.run_done"
    return page.redirect(f"/cmo/runs/{run.id}", flash=flash, n=run.id)


def _runs_page(page: Page, error: TrainclearError | None, form: dict[str, str]) -> Response:
    submissions = attributions.list_attributions(page.platform, viewer=page.actor)
    developers = {a.developer_id for a in submissions}
    return page.render(
        "cmo/runs.html",
        status=error.status if error else 200,
        error=error.message(page.lang) if error else None,
        form=form,
        runs=distributions.list_runs(page.platform, viewer=page.actor),
        submissions=submissions,
        names=statement_views.party_names(page.platform, party_ids=developers),
    )


@router.get("/cmo/runs/{run_id}")
def run_page(page: CmoPage, run_id: int) -> Response:
    run = distributions.get_run(page.platform, viewer=page.actor, run_id=run_id)
    report = statements.get_report(page.platform, viewer=page.actor, run_id=run_id)
    label = 1 if page.lang == "en" else 2
    return page.render(
        "cmo/run.html",
        run=run,
        report=report,
        figures=[(item[label], report.figure(item[0]), item[0] in COUNTS) for item in ITEMS],
        accounts=cmo_views.run_accounts(page.platform, viewer=page.actor, run_id=run_id),
        reserve=cmo_views.run_reserve(page.platform, viewer=page.actor, run_id=run_id),
    )


@router.get("/cmo/runs/{run_id}/report")
def report_file(
    page: CmoPage, run_id: int, format: Annotated[Literal["json", "csv"], Query()] = "csv"
) -> Response:
    """The CMO's report as a file; the CSV carries both languages' labels."""
    report = statements.get_report(page.platform, viewer=page.actor, run_id=run_id)
    body = report.to_csv() if format == "csv" else report.to_json()
    return download(body, f"run-{run_id}-report.{format}")
