"""Usage reports (使用报告), the invoices issued from them, and attribution scores.

Every read here needs a token: a developer reads its own reports and invoices, a CMO
the invoices addressed to it, the administration everything.
"""

from __future__ import annotations

from fastapi import APIRouter

from trainclear.royalties import InvoiceState
from trainclear.schemas.usage import (
    AttributionCreate,
    AttributionPublic,
    InvoicePay,
    InvoicePublic,
    UsageLinePublic,
    UsageReportCreate,
    UsageReportPublic,
)
from trainclear.services import attributions, invoices, usage_reports
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["remuneration"])


@router.post("/usage-reports", status_code=201)
def submit_usage_report(
    p: PlatformDep, actor: CurrentActor, data: UsageReportCreate
) -> UsageReportPublic:
    """Report a dataset version's usage for a period; its invoices are issued with it.

    Refused (422 ``royalties.usage_understated``) when it states less than the scan of
    the version measured, naming each work and difference. Submitting the same report
    again returns the first.
    """
    return usage_reports.submit_usage_report(p, actor=actor, data=data)


@router.get("/usage-reports")
def list_usage_reports(p: PlatformDep, viewer: CurrentActor) -> list[UsageReportPublic]:
    return usage_reports.list_usage_reports(p, viewer=viewer)


@router.get("/usage-reports/{report_id}")
def get_usage_report(p: PlatformDep, viewer: CurrentActor, report_id: int) -> UsageReportPublic:
    return usage_reports.get_usage_report(p, viewer=viewer, report_id=report_id)


@router.get("/datasets/{version_id}/measured-usage")
def measured_usage(p: PlatformDep, viewer: CurrentActor, version_id: int) -> list[UsageLinePublic]:
    """What the scan of the version measured per work: the least a usage report states."""
    return usage_reports.measured_usage(p, viewer=viewer, version_id=version_id)


@router.get("/invoices")
def list_invoices(
    p: PlatformDep,
    viewer: CurrentActor,
    state: InvoiceState | None = None,
    usage_report_id: int | None = None,
) -> list[InvoicePublic]:
    return invoices.list_invoices(p, viewer=viewer, state=state, usage_report_id=usage_report_id)


@router.get("/invoices/{invoice_id}")
def get_invoice(p: PlatformDep, viewer: CurrentActor, invoice_id: int) -> InvoicePublic:
    return invoices.get_invoice(p, viewer=viewer, invoice_id=invoice_id)


@router.post("/invoices/{invoice_id}/pay")
def pay_invoice(
    p: PlatformDep, actor: CurrentActor, invoice_id: int, data: InvoicePay | None = None
) -> InvoicePublic:
    """The invoice's CMO records its payment (``paid_on`` defaults to today)."""
    return invoices.pay_invoice(p, actor=actor, invoice_id=invoice_id, data=data or InvoicePay())


@router.post("/attributions", status_code=201)
def submit_attribution(
    p: PlatformDep, actor: CurrentActor, data: AttributionCreate
) -> AttributionPublic:
    """A licensee supplies output-attribution scores and the pool they split, for a period."""
    return attributions.submit_attribution(p, actor=actor, data=data)


@router.get("/attributions")
def list_attributions(p: PlatformDep, viewer: CurrentActor) -> list[AttributionPublic]:
    return attributions.list_attributions(p, viewer=viewer)
