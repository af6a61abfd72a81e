"""Storing a distribution run's result and reading it back for statements and reports.

A run is one row (its summary, input header, input hash and result digest) plus its
tables: the collections it distributed, per work, per (work, owner) share, per holder,
and the reserve entries it opened. Tables go in bulk (:mod:`.bulk`). Reading a run back
rebuilds the engine's values, so statements and reports come from the engine's own
code, and :func:`load_result` checks the stored rows against the digest.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import Any, cast

import numpy as np
from sqlalchemy import Connection, Table, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from trainclear.domain import Actor
from trainclear.royalties import (
    UNIDENTIFIED,
    Collections,
    DistributionInput,
    DistributionResult,
    FeeSchedule,
    HolderAccounts,
    Owners,
    Period,
    ReservePolicy,
    ReserveRows,
    RunSummary,
    ShareRows,
    WorkAllocations,
)
from trainclear.schemas.distributions import ReserveState
from trainclear.services.bulk import insert_rows, int_columns, table_rows
from trainclear.store.models import (
    DistributionCollection,
    DistributionHolder,
    DistributionRun,
    DistributionShare,
    DistributionWork,
    ReserveEntryRecord,
)

WORK_COLUMNS = tuple(f.name for f in fields(WorkAllocations))
SHARE_COLUMNS = tuple(f.name for f in fields(ShareRows))
HOLDER_COLUMNS = tuple(f.name for f in fields(HolderAccounts))
COLLECTION_COLUMNS = tuple(f.name for f in fields(Collections))
RESERVE_COLUMNS = (
    "run_id", "cmo_id", "work_id", "period_start", "period_end", "amount", "currency",
    "expires_on", "state",
)  # fmt: skip


def save_run(
    s: Session,
    *,
    inp: DistributionInput,
    result: DistributionResult,
    released_entries: list[int],
    actor: Actor,
    now: datetime,
) -> DistributionRun:
    """Store ``result`` of ``inp``; mark the released reserve it took as redistributed."""
    summary = result.summary
    row = DistributionRun(
        cmo_id=summary.cmo_id,
        period_start=summary.period.start,
        period_end=summary.period.end,
        currency=summary.currency,
        input_hash=summary.input_hash,
        digest=result.digest,
        header=inp.header(),
        summary=summary.to_dict(),
        run_by=actor.party_id,
        created_at=now,
    )
    s.add(row)
    s.flush()
    conn = s.connection()
    _insert(conn, DistributionCollection, COLLECTION_COLUMNS, row.id, inp.collections)
    _insert(conn, DistributionWork, WORK_COLUMNS, row.id, result.works)
    _insert(conn, DistributionShare, SHARE_COLUMNS, row.id, result.shares)
    _insert(conn, DistributionHolder, HOLDER_COLUMNS, row.id, result.holders)
    start, end = summary.period.start.isoformat(), summary.period.end.isoformat()
    expires = summary.reserve_expires_on.isoformat()
    entries = (
        (row.id, summary.cmo_id, work_id, start, end, amount, summary.currency, expires,
         str(ReserveState.OPEN))
        for work_id, amount in result.reserve.rows()
    )  # fmt: skip
    insert_rows(conn, _table(ReserveEntryRecord), RESERVE_COLUMNS, entries)
    if released_entries:
        s.execute(
            update(ReserveEntryRecord)
            .where(ReserveEntryRecord.id.in_(released_entries))
            .values(released_into=row.id)
        )
    return row


def load_result(s: Session, run: DistributionRun) -> DistributionResult:
    """The stored result of ``run``, checked against its digest."""
    conn = s.connection()
    shares = ShareRows.of_columns(_read(conn, DistributionShare, SHARE_COLUMNS, run.id))
    unknown = shares.holder_id == UNIDENTIFIED
    result = DistributionResult(
        summary=summary_of(run),
        works=WorkAllocations.of_columns(_read(conn, DistributionWork, WORK_COLUMNS, run.id)),
        shares=shares,
        holders=HolderAccounts.of_columns(_read(conn, DistributionHolder, HOLDER_COLUMNS, run.id)),
        reserve=ReserveRows(work_id=shares.work_id[unknown], amount=shares.amount[unknown]),
    )
    if result.digest != run.digest:
        raise AssertionError(f"distribution run {run.id}: stored rows do not match its digest")
    return result


def load_partial(s: Session, run: DistributionRun, holder_id: int) -> DistributionResult:
    """The part of a run one holder's statement reads: its account, its shares, their works.

    The engine's statement code looks rows up by key, so a subset of each table gives the
    same statement as the whole run, without reading a million works for one holder.
    """
    conn = s.connection()
    owned = select(DistributionShare.work_id).where(
        DistributionShare.run_id == run.id, DistributionShare.holder_id == holder_id
    )
    shares = ShareRows.of_columns(
        _read(
            conn, DistributionShare, SHARE_COLUMNS, run.id, DistributionShare.holder_id == holder_id
        )
    )
    works = _read(conn, DistributionWork, WORK_COLUMNS, run.id, DistributionWork.work_id.in_(owned))
    holders = _read(
        conn, DistributionHolder, HOLDER_COLUMNS, run.id, DistributionHolder.holder_id == holder_id
    )
    none = np.zeros(0, np.int64)
    return DistributionResult(
        summary=summary_of(run),
        works=WorkAllocations.of_columns(works),
        shares=shares,
        holders=HolderAccounts.of_columns(holders),
        reserve=ReserveRows(work_id=none, amount=none),
    )


def report_input(s: Session, run: DistributionRun, work_ids: Any = None) -> DistributionInput:
    """The part of a run's input statements and reports read: its header and collections.

    ``work_ids`` (a select of work ids) limits the collections to those works. Owners and
    scores are not kept apart from the result (their shares are the result's share rows).
    """
    conn = s.connection()
    where = [] if work_ids is None else [DistributionCollection.work_id.in_(work_ids)]
    collections = Collections.of_columns(
        _read(conn, DistributionCollection, COLLECTION_COLUMNS, run.id, *where)
    )
    header = run.header
    none = np.zeros(0, np.int64)
    return DistributionInput(
        cmo_id=run.cmo_id,
        period=Period(start=run.period_start, end=run.period_end),
        currency=run.currency,
        collections=collections,
        owners=Owners(work_id=none, holder_id=none, share_num=none, share_den=none),
        fee_schedule=FeeSchedule.of({"up_to": u, "rate": r} for u, r in header["fee_schedule"]),
        minimum_payout=header["minimum_payout"],
        released_reserve=header["released_reserve"],
        reserve_policy=ReservePolicy(header["reserve_policy"]),
        reserve_claim_years=header["reserve_claim_years"],
    )


def summary_of(run: DistributionRun) -> RunSummary:
    data = dict(run.summary)
    data.update(
        period=Period.parse(data["period"]),
        reserve_policy=ReservePolicy(data["reserve_policy"]),
        reserve_expires_on=date.fromisoformat(data["reserve_expires_on"]),
    )
    return RunSummary(**data)


def _insert(conn: Connection, model: type[Any], columns: Any, run_id: int, table: Any) -> None:
    names = ("run_id", *columns)
    values = [getattr(table, name) for name in columns]
    insert_rows(conn, _table(model), names, table_rows(run_id, values))


def _read(conn: Connection, model: type[Any], columns: Any, run_id: int, *where: Any) -> list[Any]:
    attributes: list[InstrumentedAttribute[int]] = [getattr(model, c) for c in columns]
    key = [a for a in attributes if a.key in ("work_id", "holder_id", "invoice_id")]
    stmt = select(*attributes).where(model.run_id == run_id, *where).order_by(*key)
    return int_columns(conn, stmt, len(attributes))


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)
