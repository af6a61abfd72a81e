"""Distribution runs, holders' statements (JSON or CSV), the CMO's report, the reserve.

A CMO runs and reads its own distributions; a rights holder reads only its own
statements; the administration reads everything.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response

from trainclear.schemas.distributions import (
    DistributionRunCreate,
    DistributionRunPublic,
    ReserveClaimCreate,
    ReserveEntryPublic,
    ReserveReleasePublic,
    ReserveState,
    StatementSummary,
)
from trainclear.services import distributions, reserve, statements
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["remuneration"])
Format = Literal["json", "csv"]
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"application/json": {}, "text/csv": {}}}}


@router.post("/distributions", status_code=201)
def run_distribution(
    p: PlatformDep, actor: CurrentActor, data: DistributionRunCreate, response: Response
) -> DistributionRunPublic:
    """Distribute a period (201); the same period and input again returns that run (200)."""
    run = distributions.run_distribution(p, actor=actor, data=data)
    if run.replayed:
        response.status_code = 200
    return run


@router.get("/distributions")
def list_runs(
    p: PlatformDep, viewer: CurrentActor, cmo_id: int | None = None
) -> list[DistributionRunPublic]:
    return distributions.list_runs(p, viewer=viewer, cmo_id=cmo_id)


@router.get("/distributions/{run_id}")
def get_run(p: PlatformDep, viewer: CurrentActor, run_id: int) -> DistributionRunPublic:
    return distributions.get_run(p, viewer=viewer, run_id=run_id)


@router.post("/distributions/{run_id}/verify")
def verify_run(p: PlatformDep, viewer: CurrentActor, run_id: int) -> DistributionRunPublic:
    """Read every stored row of the run back and check it against the run's digest."""
    return distributions.verify_run(p, viewer=viewer, run_id=run_id)


@router.get("/distributions/{run_id}/report", response_model=None, responses=CSV)
def report(
    p: PlatformDep,
    viewer: CurrentActor,
    run_id: int,
    format: Format = "json",
    lang: Literal["en", "zh-CN", "both"] = "both",
) -> dict[str, Any] | Response:
    """The CMO's report: collections, fee, distributed and undistributed amounts."""
    found = statements.get_report(p, viewer=viewer, run_id=run_id)
    if format == "csv":
        return Response(found.to_csv(lang=lang), media_type="text/csv; charset=utf-8")
    return found.to_dict()


@router.get("/distributions/{run_id}/statements/{holder_id}", response_model=None, responses=CSV)
def statement(
    p: PlatformDep, viewer: CurrentActor, run_id: int, holder_id: int, format: Format = "json"
) -> dict[str, Any] | Response:
    """A holder's statement: usage → invoice → pool → share → payout, per work."""
    found = statements.get_statement(p, viewer=viewer, run_id=run_id, holder_id=holder_id)
    if format == "csv":
        return Response(found.to_csv(), media_type="text/csv; charset=utf-8")
    return found.to_dict()


@router.get("/statements")
def list_statements(
    p: PlatformDep, viewer: CurrentActor, holder_id: int | None = None
) -> list[StatementSummary]:
    """The viewer's own accounts (a holder), its runs' (a CMO), or all (the administration)."""
    return statements.list_statements(p, viewer=viewer, holder_id=holder_id)


@router.get("/reserve")
def list_reserve(
    p: PlatformDep,
    viewer: CurrentActor,
    cmo_id: int | None = None,
    state: ReserveState | None = None,
) -> list[ReserveEntryPublic]:
    return reserve.list_reserve(p, viewer=viewer, cmo_id=cmo_id, state=state)


@router.post("/reserve/{entry_id}/claim")
def claim_reserve(
    p: PlatformDep, actor: CurrentActor, entry_id: int, data: ReserveClaimCreate
) -> ReserveEntryPublic:
    """The CMO pays an open entry to the holder whose title it has verified."""
    return reserve.claim_reserve(p, actor=actor, entry_id=entry_id, data=data)


@router.post("/reserve/release")
def release_reserve(p: PlatformDep, actor: CurrentActor) -> ReserveReleasePublic:
    """The CMO releases its expired entries; its next run redistributes them by its policy."""
    return reserve.release_reserve(p, actor=actor)
