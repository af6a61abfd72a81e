"""Disputes (争议): a developer contests an objection; the administration decides.

The contested work stays excluded until the decision.
"""

from __future__ import annotations

from fastapi import APIRouter

from trainclear.domain import DisputeState
from trainclear.schemas.notices import DisputeCreate, DisputeDecision, DisputePublic
from trainclear.services import disputes as svc
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["disputes"])


@router.post("/disputes", status_code=201)
def contest_objection(p: PlatformDep, actor: CurrentActor, data: DisputeCreate) -> DisputePublic:
    """Contest an objection to one of your notices, giving grounds."""
    return svc.contest_objection(p, actor=actor, data=data)


@router.post("/disputes/{dispute_id}/decision")
def decide_dispute(
    p: PlatformDep, actor: CurrentActor, dispute_id: int, data: DisputeDecision
) -> DisputePublic:
    """Uphold or dismiss the contested objection (the administration only)."""
    return svc.decide_dispute(p, actor=actor, dispute_id=dispute_id, data=data)


@router.get("/disputes")
def list_disputes(
    p: PlatformDep,
    state: DisputeState | None = None,
    developer_id: int | None = None,
    objector_id: int | None = None,
) -> list[DisputePublic]:
    """The dispute queue, soonest decision deadline first."""
    return svc.list_disputes(p, state=state, developer_id=developer_id, objector_id=objector_id)
