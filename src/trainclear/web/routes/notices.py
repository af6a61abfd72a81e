"""The notice board (公告): developers draft, publish, amend and withdraw notices.

Open, closed and effective notices, with their work lists, are public; a draft or a
withdrawn notice is shown only to its developer (pass its token). ``advance`` needs no
token: it only applies transitions already due (window closed, disputes settled), so
anyone, or a scheduler, may trigger it, and repeating it changes nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from trainclear.domain import NoticeState
from trainclear.schemas.notices import NoticeAmend, NoticeCreate, NoticePublic, NoticePublish
from trainclear.services import lifecycle, notice_views
from trainclear.services import notices as svc
from trainclear.web.deps import CurrentActor, OptionalActor, PlatformDep, party_id_of

router = APIRouter(prefix="/v1", tags=["notices"])


@router.post("/notices", status_code=201)
def create_notice(p: PlatformDep, actor: CurrentActor, data: NoticeCreate) -> NoticePublic:
    """Draft a notice: purpose, model, the works it will use, other sources, remuneration."""
    return svc.create_notice(p, actor=actor, data=data)


@router.post("/notices/{notice_id}/publish")
def publish_notice(
    p: PlatformDep,
    actor: CurrentActor,
    notice_id: int,
    data: Annotated[NoticePublish | None, Body()] = None,
) -> NoticePublic:
    """Open the objection window (default: now, for the legal minimum); body optional."""
    return svc.publish_notice(p, actor=actor, notice_id=notice_id, data=data or NoticePublish())


@router.post("/notices/{notice_id}/amend", status_code=201)
def amend_notice(
    p: PlatformDep, actor: CurrentActor, notice_id: int, data: NoticeAmend
) -> NoticePublic:
    """Publish the next version of a notice; added works get a full window of their own."""
    return svc.amend_notice(p, actor=actor, notice_id=notice_id, data=data)


@router.post("/notices/{notice_id}/withdraw")
def withdraw_notice(p: PlatformDep, actor: CurrentActor, notice_id: int) -> NoticePublic:
    return svc.withdraw_notice(p, actor=actor, notice_id=notice_id)


@router.post("/notices/{notice_id}/advance")
def advance_notice(p: PlatformDep, notice_id: int) -> NoticePublic:
    """Apply the transitions due now (open → closed → effective); idempotent."""
    return lifecycle.advance_notice(p, notice_id=notice_id)


@router.get("/notices")
def list_notices(
    p: PlatformDep,
    viewer: OptionalActor,
    q: str = "",
    developer_id: int | None = None,
    holder_id: int | None = None,
    state: NoticeState | None = None,
    include_superseded: bool = False,
) -> list[NoticePublic]:
    """Search the board by text, developer, a holder's works, or state."""
    return notice_views.list_notices(
        p,
        query=q,
        developer_id=developer_id,
        holder_id=holder_id,
        state=state,
        viewer_id=party_id_of(viewer),
        include_superseded=include_superseded,
    )


@router.get("/notices/{notice_id}")
def get_notice(p: PlatformDep, viewer: OptionalActor, notice_id: int) -> NoticePublic:
    """One notice version with each work's window and exclusion state."""
    return notice_views.get_notice(p, notice_id=notice_id, viewer_id=party_id_of(viewer))
