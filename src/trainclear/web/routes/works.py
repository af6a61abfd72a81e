"""Works: registration by holders or CMOs, public search, CMO mandates."""

from __future__ import annotations

from fastapi import APIRouter

from trainclear.schemas.works import MandateUpdate, WorkCreate, WorkPublic
from trainclear.services import works as svc
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["works"])


@router.post("/works", status_code=201)
def register_work(p: PlatformDep, actor: CurrentActor, data: WorkCreate) -> WorkPublic:
    """Register a work; the text, if given, is fingerprinted and not stored."""
    return svc.register_work(p, actor=actor, data=data)


@router.get("/works")
def list_works(
    p: PlatformDep, holder_id: int | None = None, cmo_id: int | None = None, q: str = ""
) -> list[WorkPublic]:
    """Works by holder, by CMO repertoire, or by title / identifier text."""
    return svc.list_works(p, holder_id=holder_id, cmo_id=cmo_id, query=q)


@router.get("/works/{work_id}")
def get_work(p: PlatformDep, work_id: int) -> WorkPublic:
    return svc.get_work(p, work_id=work_id)


@router.put("/works/{work_id}/mandate")
def set_mandate(
    p: PlatformDep, actor: CurrentActor, work_id: int, data: MandateUpdate
) -> WorkPublic:
    """Grant, change or end a CMO mandate (a holder), or change its stance (the CMO)."""
    return svc.set_mandate(p, actor=actor, work_id=work_id, data=data)
