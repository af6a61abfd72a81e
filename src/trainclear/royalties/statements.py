"""Statements per rights holder (JSON, CSV): usage → invoice → pool → share → payout.

Each row follows one work a holder owns through the run: the usage invoiced for it (when
the invoices are given), the invoices that collected for it and how much, what the use
pool and the attribution pool allocated to it, the holder's share of it and the amount
that share came to. The account lines then add the balance carried in and any released
reserve, and say what was paid and what is carried forward. The CMO's report of the run
is in :mod:`~trainclear.royalties.report`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from trainclear.errors import NotFound
from trainclear.royalties.distribution import DistributionInput, DistributionResult
from trainclear.royalties.invoice import Invoice, InvoiceLine
from trainclear.royalties.money import decimal_text
from trainclear.royalties.tables import UNIDENTIFIED
from trainclear.royalties.vector import I64


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementRow:
    work_id: int
    usage: str
    invoices: tuple[int, ...]
    collected: int
    use_pool: int
    attribution_pool: int
    work_total: int
    share: Fraction
    amount: int


@dataclass(frozen=True, slots=True, kw_only=True)
class HolderStatement:
    holder_id: int
    cmo_id: int
    period: str
    currency: str
    run: str
    rows: tuple[StatementRow, ...]
    carried_in: int
    shares: int
    released: int
    balance: int
    payout: int
    carried_out: int

    def to_dict(self) -> dict[str, Any]:
        head = {k: getattr(self, k) for k in ("holder_id", "cmo_id", "period", "currency", "run")}
        rows = [
            {
                **{k: getattr(r, k) for k in CSV_COLUMNS[1:] if k not in ("invoices", "share")},
                "invoices": list(r.invoices),
                "share": decimal_text(r.share),
            }
            for r in self.rows
        ]
        account = {k: getattr(self, k) for k in ACCOUNT}
        return {**head, "works": rows, "account": account}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        """One ``work`` line per work, then one line per account item, amounts in ``amount``."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for r in self.rows:
            writer.writerow(
                [
                    "work",
                    r.work_id,
                    r.usage,
                    " ".join(map(str, r.invoices)),
                    r.collected,
                    r.use_pool,
                    r.attribution_pool,
                    r.work_total,
                    decimal_text(r.share),
                    r.amount,
                ]
            )
        for item in ACCOUNT:
            writer.writerow([item, "", "", "", "", "", "", "", "", getattr(self, item)])
        return out.getvalue()


ACCOUNT = ("carried_in", "shares", "released", "balance", "payout", "carried_out")
CSV_COLUMNS = (
    "item",
    "work_id",
    "usage",
    "invoices",
    "collected",
    "use_pool",
    "attribution_pool",
    "work_total",
    "share",
    "amount",
)


def holder_statement(
    result: DistributionResult,
    inp: DistributionInput,
    holder_id: int,
    *,
    invoices: Mapping[int, Invoice] | None = None,
) -> HolderStatement:
    """The statement of one holder for the run ``result`` of ``inp``."""
    accounts = result.holders
    at = int(np.searchsorted(accounts.holder_id, holder_id))
    if holder_id == UNIDENTIFIED or at >= len(accounts) or int(accounts.holder_id[at]) != holder_id:
        raise NotFound("not_found", kind="party", id=holder_id)
    rows = np.flatnonzero(result.shares.holder_id == holder_id)
    return _statement(result, inp, at, rows, usage_index(invoices or {}))


def holder_statements(
    result: DistributionResult,
    inp: DistributionInput,
    *,
    invoices: Mapping[int, Invoice] | None = None,
) -> Iterator[HolderStatement]:
    """Every identified holder's statement, in holder order (one sort, then a slice each)."""
    holder = result.shares.holder_id
    order = np.argsort(holder, kind="stable")
    bounds = np.searchsorted(holder[order], result.holders.holder_id)
    ends = np.searchsorted(holder[order], result.holders.holder_id, side="right")
    usage = usage_index(invoices or {})
    for at in range(len(result.holders)):
        yield _statement(result, inp, at, order[bounds[at] : ends[at]], usage)


UsageIndex = Mapping[tuple[int, int], InvoiceLine]


def usage_index(invoices: Mapping[int, Invoice]) -> UsageIndex:
    """Invoice lines by (invoice id, work id), built once for many statements."""
    return {(i, line.work_id): line for i, inv in invoices.items() for line in inv.lines}


def _statement(
    result: DistributionResult, inp: DistributionInput, at: int, rows: I64, usage: UsageIndex
) -> HolderStatement:
    s, h, shares, works, coll = (
        result.summary,
        result.holders,
        result.shares,
        result.works,
        inp.collections,
    )
    work_ids = shares.work_id[rows]
    w = np.searchsorted(works.work_id, work_ids)
    lo, hi = np.searchsorted(coll.work_id, work_ids), np.searchsorted(coll.work_id, work_ids + 1)
    columns = zip(
        work_ids.tolist(),
        lo.tolist(),
        hi.tolist(),
        works.use_amount[w].tolist(),
        works.attribution_amount[w].tolist(),
        works.total[w].tolist(),
        shares.share_num[rows].tolist(),
        shares.share_den[rows].tolist(),
        shares.amount[rows].tolist(),
        strict=True,
    )
    lines = []
    for work_id, start, end, use, attribution, total, num, den, amount in columns:
        invoice_ids = tuple(coll.invoice_id[start:end].tolist())
        lines.append(
            StatementRow(
                work_id=work_id,
                usage=_usage(work_id, invoice_ids, usage),
                invoices=invoice_ids,
                collected=int(coll.amount[start:end].sum()),
                use_pool=use,
                attribution_pool=attribution,
                work_total=total,
                share=Fraction(num, den),
                amount=amount,
            )
        )
    account = {name: int(getattr(h, name)[at]) for name in ACCOUNT}
    return HolderStatement(
        holder_id=int(h.holder_id[at]),
        cmo_id=s.cmo_id,
        period=str(s.period),
        currency=s.currency,
        run=s.input_hash,
        rows=tuple(lines),
        **account,
    )


def _usage(work_id: int, invoice_ids: tuple[int, ...], usage: UsageIndex) -> str:
    """The invoiced quantity of the work, e.g. ``800 per_1000_chars`` (empty without invoices)."""
    found = [usage[(i, work_id)] for i in invoice_ids if (i, work_id) in usage]
    if not found:
        return ""
    return f"{decimal_text(sum((line.quantity for line in found), Fraction(0)))} {found[0].unit}"
