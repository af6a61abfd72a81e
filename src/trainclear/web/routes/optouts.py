"""Opt-outs (选择退出): declared by holders or CMOs, public so anyone can honour them."""

from __future__ import annotations

from fastapi import APIRouter

from trainclear.schemas.optouts import OptOutCreate, OptOutPublic
from trainclear.services import optouts as svc
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["opt-outs"])


@router.post("/opt-outs", status_code=201)
def declare_opt_out(p: PlatformDep, actor: CurrentActor, data: OptOutCreate) -> OptOutPublic:
    """Reserve a work, all of a holder's works, a URL prefix or a domain."""
    return svc.declare_opt_out(p, actor=actor, data=data)


@router.get("/opt-outs")
def list_opt_outs(
    p: PlatformDep,
    declared_by: int | None = None,
    work_id: int | None = None,
    include_withdrawn: bool = False,
) -> list[OptOutPublic]:
    """Opt-outs, newest first; ``source`` tells declarations from late objections."""
    return svc.list_opt_outs(
        p, declared_by=declared_by, work_id=work_id, include_withdrawn=include_withdrawn
    )


@router.post("/opt-outs/{opt_out_id}/withdraw")
def withdraw_opt_out(p: PlatformDep, actor: CurrentActor, opt_out_id: int) -> OptOutPublic:
    """Withdraw an opt-out; it stays on record, stamped with when and by whom."""
    return svc.withdraw_opt_out(p, actor=actor, opt_out_id=opt_out_id)
