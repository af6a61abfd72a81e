"""A CMO's report of one distribution run: collections, fees, distributed and undistributed.

These are the figures issue 5 asks a Chinese CMO to publish for a period: what it
collected (and from how many invoices), the management fee it kept, what it distributed
(paid to holders), and what it did not distribute — balances below the payout threshold
carried forward to holders' next statements, and shares of unidentified holders kept in
the reserve until their claim period ends. Labels come in English and Chinese.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, Literal

from trainclear.royalties.distribution import DistributionInput, DistributionResult
from trainclear.royalties.vector import sorted_unique

ITEMS: tuple[tuple[str, str, str], ...] = (
    ("collected", "collections", "收取的使用费"),
    ("invoices", "invoices collected on", "收费发票数"),
    ("fee", "management fee", "管理费"),
    ("net", "available for distribution", "可分配金额"),
    ("use_pool", "use pool (by measured use)", "按实测使用量分配池"),
    ("attribution_pool", "attribution pool (by output attribution)", "按输出归因分配池"),
    ("released_reserve", "expired reserve released into this run", "本次释放的逾期保留款"),
    ("carried_in", "balances carried in", "上期结转余额"),
    ("to_holders", "allocated to identified holders", "分配给已确认权利人"),
    ("paid_out", "distributed (paid out)", "已分配(已支付)"),
    ("carried_out", "carried forward (below the minimum payout)", "结转下期(低于最低支付额)"),
    ("reserved", "reserve for unidentified holders", "未确认权利人保留款"),
    ("undistributed", "undistributed (carried forward + reserve)", "未分配合计(结转 + 保留款)"),
    ("works", "works", "作品数"),
    ("holders", "holders with an account", "有账户的权利人数"),
    ("payees", "holders paid", "获得支付的权利人数"),
)
"""Report items: key, English label, Chinese label (in the order they are published)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CmoReport:
    cmo_id: int
    period: str
    currency: str
    run: str
    reserve_expires_on: str
    figures: tuple[tuple[str, int], ...]

    def figure(self, key: str) -> int:
        return dict(self.figures)[key]

    def to_dict(self) -> dict[str, Any]:
        head = {
            k: getattr(self, k)
            for k in ("cmo_id", "period", "currency", "run", "reserve_expires_on")
        }
        return {**head, "figures": dict(self.figures)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_csv(self, lang: Literal["en", "zh-CN", "both"] = "both") -> str:
        """``item, label(s), value`` lines; amounts in minor units of ``currency``."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        labels = {"en": ("label_en",), "zh-CN": ("label_zh",), "both": ("label_en", "label_zh")}[
            lang
        ]
        writer.writerow(("item", *labels, "value"))
        values = dict(self.figures)
        for key, en, zh in ITEMS:
            shown = {"en": (en,), "zh-CN": (zh,), "both": (en, zh)}[lang]
            writer.writerow((key, *shown, values[key]))
        return out.getvalue()


def cmo_report(result: DistributionResult, inp: DistributionInput) -> CmoReport:
    """The CMO's report of the run ``result`` of ``inp``."""
    s = result.summary
    values = {key: getattr(s, key) for key, _, _ in ITEMS if hasattr(s, key)}
    values["invoices"] = int(sorted_unique(inp.collections.invoice_id).size)
    values["undistributed"] = s.carried_out + s.reserved
    return CmoReport(
        cmo_id=s.cmo_id,
        period=str(s.period),
        currency=s.currency,
        run=s.input_hash,
        reserve_expires_on=s.reserve_expires_on.isoformat(),
        figures=tuple((key, values[key]) for key, _, _ in ITEMS),
    )
