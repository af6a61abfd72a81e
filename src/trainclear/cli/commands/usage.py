"""``trainclear usage``, ``invoice`` and ``attribution``: what developers report and pay."""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit
from trainclear.royalties import InvoiceState
from trainclear.schemas.usage import AttributionCreate, InvoicePay
from trainclear.services import attributions, invoices, usage_reports
from trainclear.services.remuneration_files import USAGE_COLUMNS, scores_file, usage_report_file

app = typer.Typer(no_args_is_help=True)
invoice = typer.Typer(no_args_is_help=True)
attribution = typer.Typer(no_args_is_help=True)
REPORT_COLUMNS = ("id", "dataset_version_id", "period", "model", "epochs", "tariff_code", "total")
INVOICE_COLUMNS = ("id", "usage_report_id", "developer_id", "cmo_id", "period", "total", "state")


@app.command("submit")
def submit(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The report as JSON/YAML, or its lines as CSV.")],
    dataset_version: Annotated[int | None, typer.Option()] = None,
    period: Annotated[str | None, typer.Option(help="YYYY-MM-DD/YYYY-MM-DD")] = None,
    model: Annotated[str | None, typer.Option()] = None,
    epochs: Annotated[int | None, typer.Option()] = None,
    tariff: Annotated[str | None, typer.Option(help="Tariff code (default: the notice's).")] = None,
    tariff_cmo: Annotated[int | None, typer.Option(help="The tariff's CMO.")] = None,
) -> None:
    """Report a dataset version's usage for a period; its invoices are issued with it."""
    data = usage_report_file(
        file,
        dataset_version_id=dataset_version,
        period=period,
        model=model,
        epochs=epochs,
        tariff_code=tariff,
        tariff_cmo_id=tariff_cmo,
    )
    st = state(ctx)
    emit(ctx, usage_reports.submit_usage_report(st.open(), actor=st.actor(), data=data))


@app.command("measured")
def measured(
    ctx: typer.Context,
    version_id: int,
    as_csv: Annotated[bool, typer.Option("--csv", help="As a CSV to start a report from.")] = False,
) -> None:
    """What the scan of your dataset version measured per work (the least to report)."""
    st = state(ctx)
    lines = usage_reports.measured_usage(st.open(), viewer=st.actor(), version_id=version_id)
    if not as_csv:
        emit(ctx, lines, columns=USAGE_COLUMNS)
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(USAGE_COLUMNS)
    writer.writerows([getattr(line, c) for c in USAGE_COLUMNS] for line in lines)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """Your usage reports (all of them, for the administration)."""
    st = state(ctx)
    emit(
        ctx, usage_reports.list_usage_reports(st.open(), viewer=st.actor()), columns=REPORT_COLUMNS
    )


@app.command("show")
def show(ctx: typer.Context, report_id: int) -> None:
    st = state(ctx)
    emit(ctx, usage_reports.get_usage_report(st.open(), viewer=st.actor(), report_id=report_id))


@invoice.command("list")
def list_invoices(
    ctx: typer.Context, state_: Annotated[InvoiceState | None, typer.Option("--state")] = None
) -> None:
    """Your invoices: a developer's to pay, a CMO's to collect."""
    st = state(ctx)
    found = invoices.list_invoices(st.open(), viewer=st.actor(), state=state_)
    emit(ctx, found, columns=INVOICE_COLUMNS)


@invoice.command("show")
def show_invoice(ctx: typer.Context, invoice_id: int) -> None:
    st = state(ctx)
    emit(ctx, invoices.get_invoice(st.open(), viewer=st.actor(), invoice_id=invoice_id))


@invoice.command("pay")
def pay(
    ctx: typer.Context,
    invoice_id: int,
    on: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Paid on (default today).")
    ] = None,
) -> None:
    """Record that an invoice to you was paid (you are its CMO)."""
    st = state(ctx)
    data = InvoicePay(paid_on=on.date() if on else None)
    emit(ctx, invoices.pay_invoice(st.open(), actor=st.actor(), invoice_id=invoice_id, data=data))


@attribution.command("submit")
def submit_attribution(
    ctx: typer.Context,
    cmo: Annotated[int, typer.Option(help="The CMO whose works the scores are for.")],
    period: Annotated[str, typer.Option(help="YYYY-MM-DD/YYYY-MM-DD")],
    amount: Annotated[int, typer.Option(help="The attribution pool, in minor units.")],
    file: Annotated[
        Path | None, typer.Argument(help="Scores: CSV work_id,score or JSON/YAML.")
    ] = None,
    score: Annotated[list[str] | None, typer.Option(help="WORK_ID=SCORE (repeatable)")] = None,
) -> None:
    """Supply output-attribution scores to a CMO for a period (you are its licensee)."""
    scores: dict[int, str] = scores_file(file) if file else {}
    for item in score or []:
        work_id, _, value = item.partition("=")
        scores[int(work_id)] = value
    data = AttributionCreate(cmo_id=cmo, period=period, amount=amount, scores=scores)
    st = state(ctx)
    emit(ctx, attributions.submit_attribution(st.open(), actor=st.actor(), data=data))


@attribution.command("list")
def list_attributions(ctx: typer.Context) -> None:
    st = state(ctx)
    emit(
        ctx,
        attributions.list_attributions(st.open(), viewer=st.actor()),
        columns=("id", "developer_id", "cmo_id", "period", "amount", "scores"),
    )
