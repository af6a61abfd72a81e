"""The worked example of docs/remuneration*.md: loaded from YAML, run, and rendered as tables.

``python -m tests.royalties.example en|zh-CN`` prints the tables the documents show; the
test asserts that each one appears in the document verbatim, so no figure in the docs
can drift from what the engine computes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from datetime import timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from trainclear.domain import WorkType
from trainclear.errors import TrainclearError
from trainclear.royalties import (
    Balances,
    Collections,
    DistributionInput,
    DistributionResult,
    FeeSchedule,
    Invoice,
    Owner,
    Period,
    ReservePolicy,
    Tariff,
    UsageReport,
    WorkRef,
    WorkUsage,
    build_invoice,
    check_against_measured,
    cmo_report,
    holder_statement,
    owners_of,
    release_expired,
    run_distribution,
    scores_of,
    tariff_from_dict,
)
from trainclear.royalties.statements import decimal_text

ONE_DAY = timedelta(days=1)
HERE = Path(__file__).parent
SOURCE = HERE / "worked_example.yaml"
DOCS = {
    "en": HERE.parents[1] / "docs/remuneration.md",
    "zh-CN": HERE.parents[1] / "docs/remuneration.zh-CN.md",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Example:
    data: dict[str, Any]
    tariff: Tariff
    report: UsageReport
    invoice: Invoice
    refusal: TrainclearError
    inp: DistributionInput
    result: DistributionResult
    release: DistributionResult


def load(path: Path = SOURCE) -> Example:
    data = yaml.safe_load(path.read_text())
    tariff = tariff_from_dict(data["tariff"])
    r = data["usage_report"]
    report = UsageReport(
        developer_id=r["developer_id"],
        dataset_version_id=r["dataset_version_id"],
        period=Period.parse(r["period"]),
        model=r["model"],
        epochs=r["epochs"],
        lines=tuple(WorkUsage(**line) for line in r["lines"]),
    )
    measured = [WorkUsage(**m) for m in data["measured"]]
    check_against_measured(report, measured)
    refusal = _refusal(report, measured, data["understated"])
    works = [
        WorkRef(work_id=w["work_id"], work_type=WorkType(w["work_type"]), cmo_id=w["cmo_id"])
        for w in data["works"]
    ]
    invoice = build_invoice(report=report, tariff=tariff, works=works)
    d = data["distribution"]
    paid = [
        (x.work_id, data["invoice_id"], x.amount) for x in invoice.lines if x.cmo_id == d["cmo_id"]
    ]
    inp = DistributionInput(
        cmo_id=d["cmo_id"],
        period=Period.parse(d["period"]),
        currency=tariff.currency,
        collections=Collections.of(paid),
        owners=owners_of(Owner(**o) for o in d["owners"]),
        fee_schedule=FeeSchedule.of(d["fee_schedule"]),
        minimum_payout=d["minimum_payout"],
        attribution_amount=d["attribution"]["amount"],
        scores=scores_of(d["attribution"]["scores"].items()),
        carried_in=Balances.of(d["carried_in"].items()),
    )
    result = run_distribution(inp)
    expired = release_expired(
        result.reserve_entries(), on=result.summary.reserve_expires_on + ONE_DAY
    )
    policy = ReservePolicy(d["release"]["policy"])
    replay = replace(inp, released_reserve=expired.amount, reserve_policy=policy)
    return Example(
        data=data,
        tariff=tariff,
        report=report,
        invoice=invoice,
        refusal=refusal,
        inp=inp,
        result=result,
        release=run_distribution(replay),
    )


def _refusal(
    report: UsageReport, measured: list[WorkUsage], change: dict[str, Any]
) -> TrainclearError:
    lines = tuple(
        WorkUsage(**{**_fields(line), **change}) if line.work_id == change["work_id"] else line
        for line in report.lines
    )
    short = UsageReport(
        developer_id=report.developer_id,
        dataset_version_id=report.dataset_version_id,
        period=report.period,
        model=report.model,
        epochs=report.epochs,
        lines=lines,
    )
    try:
        check_against_measured(short, measured)
    except TrainclearError as error:
        return error
    raise AssertionError("the under-stated report was accepted")


def _fields(line: WorkUsage) -> dict[str, Any]:
    return {k: getattr(line, k) for k in ("work_id", "records", "characters", "images", "minutes")}


HEADERS = {
    "en": {
        "tariff": ("work type", "unit", "tier (units)", "rate (fen per unit)", "minimum fee (fen)"),
        "pricing": ("work type", "quantity", "tier", "quantity in tier", "amount (exact)"),
        "charges": ("work type", "exact", "rounded (half up)", "top-up to minimum", "charged"),
        "lines": ("work", "CMO", "quantity", "amount"),
        "cmos": ("CMO", "works", "amount"),
        "works": (
            "work",
            "use weight",
            "use pool",
            "score",
            "attribution pool",
            "total",
            "to reserve",
        ),
        "shares": ("work", "holder", "share", "amount"),
        "holders": ("holder", "carried in", "shares", "balance", "paid", "carried forward"),
        "reserve": ("work", "amount", "claimable until"),
        "report": ("item", "amount"),
        "release": ("holder", "shares", "released reserve", "balance", "paid", "carried forward"),
    },
    "zh-CN": {
        "tariff": ("作品类型", "计费单位", "档位(单位数)", "费率(分/单位)", "最低收费(分)"),
        "pricing": ("作品类型", "用量", "档位", "本档用量", "金额(精确值)"),
        "charges": ("作品类型", "精确值", "四舍五入", "补足至最低收费", "应收"),
        "lines": ("作品", "集体管理组织", "用量", "金额"),
        "cmos": ("集体管理组织", "作品数", "金额"),
        "works": (
            "作品",
            "使用量权重",
            "使用量分配池",
            "归因得分",
            "归因分配池",
            "合计",
            "转入保留款",
        ),
        "shares": ("作品", "权利人", "份额", "金额"),
        "holders": ("权利人", "上期结转", "本期份额", "余额", "支付", "结转下期"),
        "reserve": ("作品", "金额", "认领截止日"),
        "report": ("项目", "金额"),
        "release": ("权利人", "本期份额", "释放的保留款", "余额", "支付", "结转下期"),
    },
}
UNKNOWN = {"en": "unidentified", "zh-CN": "未确认"}
OPEN = {"en": "and above", "zh-CN": "以上"}


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def tables(ex: Example, lang: str) -> dict[str, str]:
    """Every table the document in ``lang`` shows, by name."""
    h, res = HEADERS[lang], ex.result
    out = {"tariff": _table(h["tariff"], _tariff_rows(ex.tariff, lang))}
    pricing, charges = [], []
    for c in ex.invoice.charges:
        lower = Fraction(0)
        for index, (qty, amount) in enumerate(c.price.tiers):
            upper = lower + qty
            pricing.append(
                (
                    c.work_type,
                    decimal_text(c.price.quantity),
                    index + 1,
                    decimal_text(qty),
                    decimal_text(amount),
                )
            )
            lower = upper
        p = c.price
        charges.append((c.work_type, decimal_text(p.exact), p.rounded, p.top_up, p.amount))
    out["pricing"] = _table(h["pricing"], pricing)
    out["charges"] = _table(h["charges"], charges)
    out["lines"] = _table(
        h["lines"],
        [
            (x.work_id, x.cmo_id, f"{decimal_text(x.quantity)} {x.unit}", x.amount)
            for x in ex.invoice.lines
        ],
    )
    out["cmos"] = _table(h["cmos"], [(c.cmo_id, c.works, c.amount) for c in ex.invoice.by_cmo()])
    out["works"] = _table(h["works"], list(res.works.rows()))
    shares = [
        (w, UNKNOWN[lang] if holder < 0 else holder, f"{n}/{d}", a)
        for w, holder, n, d, a in res.shares.rows()
    ]
    out["shares"] = _table(h["shares"], shares)
    out["holders"] = _table(
        h["holders"], [(i, c, s, b, p, o) for i, c, s, _, b, p, o in res.holders.rows()]
    )
    out["reserve"] = _table(
        h["reserve"], [(e.work_id, e.amount, e.expires_on) for e in res.reserve_entries()]
    )
    report = cmo_report(res, ex.inp)
    released = [(i, s, r, b, p, o) for i, _, s, r, b, p, o in ex.release.holders.rows()]
    out["release"] = _table(h["release"], released)
    out["report"] = report.to_csv(lang="en" if lang == "en" else "zh-CN")
    for holder in ex.data["distribution"]["statement_holders"]:
        out[f"statement {holder}"] = holder_statement(
            res, ex.inp, holder, invoices={ex.data["invoice_id"]: ex.invoice}
        ).to_csv()
    out["refusal"] = ex.refusal.message("en" if lang == "en" else "zh-CN")
    return out


def _tariff_rows(tariff: Tariff, lang: str) -> list[tuple[Any, ...]]:
    rows = []
    for s in tariff.schedules:
        lower = Fraction(0)
        for b in s.tiers:
            band = f"{lower}–{b.up_to}" if b.up_to is not None else f"{lower} {OPEN[lang]}"
            rows.append((s.work_type, s.unit, band, decimal_text(b.rate), s.minimum_fee))
            lower = b.up_to or lower
    return rows


if __name__ == "__main__":
    for name, table in tables(load(), sys.argv[1] if len(sys.argv) > 1 else "en").items():
        print(f"--- {name}\n{table}\n")
