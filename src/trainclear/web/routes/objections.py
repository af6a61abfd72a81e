"""Objections (异议): a holder of a listed work, or the CMO holding its mandate, objects.

Inside the work's window an objection excludes the work from the notice; after it, the
objection is recorded as an opt-out (``source: "objection"``). Objections are public.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from trainclear.schemas.notices import ObjectionCreate, ObjectionPublic
from trainclear.services import objections as svc
from trainclear.web.deps import CurrentActor, OptionalActor, PlatformDep, party_id_of

router = APIRouter(prefix="/v1", tags=["objections"])


@router.post("/notices/{notice_id}/objections", status_code=201)
def file_objection(
    p: PlatformDep,
    actor: CurrentActor,
    notice_id: int,
    data: Annotated[ObjectionCreate | None, Body()] = None,
) -> list[ObjectionPublic]:
    """Object to chosen works, or (no body / no ``work_ids``) to every work you hold in it."""
    return svc.file_objection(p, actor=actor, notice_id=notice_id, data=data or ObjectionCreate())


@router.get("/notices/{notice_id}/objections")
def list_notice_objections(
    p: PlatformDep, viewer: OptionalActor, notice_id: int
) -> list[ObjectionPublic]:
    """Every objection to the notice's series (all its versions); 404 for others' drafts."""
    return svc.list_objections(p, notice_id=notice_id, viewer_id=party_id_of(viewer))


@router.get("/objections")
def list_objections(
    p: PlatformDep, objector_id: int | None = None, developer_id: int | None = None
) -> list[ObjectionPublic]:
    """Objections by an objector, or against a developer's notices."""
    return svc.list_objections(p, objector_id=objector_id, developer_id=developer_id)
