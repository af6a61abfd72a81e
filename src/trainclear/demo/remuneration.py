"""The demo's remuneration step: a tariff named by the notice, then the filtered dataset's
usage report, its invoice paid, the CMO's distribution run and one holder's statement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from trainclear.demo.cast import Cast
from trainclear.schemas.distributions import DistributionRunCreate
from trainclear.schemas.tariffs import CmoSettingsUpdate, TariffCreate
from trainclear.schemas.usage import InvoicePay, UsageLineIn, UsageReportCreate
from trainclear.services import (
    cmo_settings,
    distributions,
    invoices,
    statements,
    tariffs,
    usage_reports,
    works,
)
from trainclear.services.platform import Platform

TARIFF_CODE = "CN-TEXT-AI"
Echo = Callable[[str], None]


@dataclass(frozen=True)
class Remuneration:
    usage_report: int
    invoice_total: int
    run: int
    paid_out: int


def publish_tariff(p: Platform, cast: Cast) -> str:
    """The Chinese CMO's text tariff (0.30 yuan per 1,000 characters, 0.125 above 10^6 units),
    in force from the start of the demo's year; its fee falls from 12 % to 8 % above 1,000 yuan."""
    year = p.now().date().replace(month=1, day=1)
    data = TariffCreate.model_validate(
        {
            "code": TARIFF_CODE,
            "title": "文字作品 AI 训练付酬标准(示例) / text works, AI training (demo)",
            "effective_from": year.isoformat(),
            "schedules": [
                {
                    "work_type": "text",
                    "unit": "per_1000_chars",
                    "minimum_fee": 100,
                    "tiers": [{"up_to": 1_000_000, "rate": "30"}, {"rate": "12.5"}],
                }
            ],
        }
    )
    tariffs.create_tariff(p, actor=cast.cmo_zh, data=data)
    fees = [{"up_to": 100_000, "rate": "0.12"}, {"rate": "0.08"}]
    settings = CmoSettingsUpdate(fee_schedule=fees, minimum_payout=100)
    cmo_settings.set_cmo_settings(p, actor=cast.cmo_zh, data=settings)
    return TARIFF_CODE


def report_and_distribute(p: Platform, cast: Cast, version_id: int, echo: Echo) -> Remuneration:
    """Report the version's measured usage for this month, pay, distribute, show a statement."""
    dev, cmo = cast.developer, cast.cmo_zh
    today = p.now().date()
    period = period_of_month(today)
    measured = usage_reports.measured_usage(p, viewer=dev, version_id=version_id)
    report = usage_reports.submit_usage_report(
        p,
        actor=dev,
        data=UsageReportCreate(
            dataset_version_id=version_id,
            period=period,
            model="Aurora-7B 极光大模型",
            epochs=2,
            lines=[UsageLineIn.model_validate(m.model_dump()) for m in measured],
        ),
    )
    [invoice] = [i for i in report.invoices if i.cmo_id == cmo.party_id]
    invoices.pay_invoice(p, actor=cmo, invoice_id=invoice.id, data=InvoicePay())
    run = distributions.run_distribution(p, actor=cmo, data=DistributionRunCreate(period=period))
    lin = statements.get_statement(p, viewer=cast.lin, run_id=run.id, holder_id=cast.lin.party_id)
    first = lin.rows[0]
    title = works.get_work(p, work_id=first.work_id).title
    s = run.summary
    echo(
        f"8. usage report {report.id}: {len(measured)} works, {_yuan(report.total)} invoiced; "
        f"the CMO's invoice of {_yuan(invoice.total)} paid; run {run.id}: fee "
        f"{_yuan(s['fee'])}, {_yuan(s['paid_out'])} paid to {s['payees']} of {s['holders']} "
        f"holders; Lin Wenjing's statement: {title} {first.usage} → {_yuan(first.amount)} "
        "/ 使用报告、付费与分配"
    )
    return Remuneration(
        usage_report=report.id, invoice_total=invoice.total, run=run.id, paid_out=s["paid_out"]
    )


def _yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


def period_of_month(day: date) -> str:
    """From the first of ``day``'s month to ``day``."""
    return f"{day.replace(day=1).isoformat()}/{day.isoformat()}"
