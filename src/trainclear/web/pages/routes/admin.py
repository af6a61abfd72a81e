"""The administration's console: every notice, and the dispute queue with its decision.

Usage reports received and the compliance overview per developer join this console
when the remuneration services land (routes here, entries in the navigation).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Query
from starlette.responses import Response

from trainclear.domain import DisputeState, NoticeState, Purpose
from trainclear.schemas.board import BoardQuery
from trainclear.schemas.notices import DisputeDecision
from trainclear.services import board, disputes, portal_views
from trainclear.web.pages.deps import AdminPage, page_router
from trainclear.web.pages.forms import build

router = page_router()

Text = Annotated[str, Query(max_length=200)]


@router.get("/admin/notices")
def all_notices(
    page: AdminPage,
    q: Text = "",
    state: str = "",
    n: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    query = build(BoardQuery, text=q, state=state or None, page=n)
    results = board.search_board(page.platform, query=query, scope="all", viewer=page.actor)
    return page.render(
        "admin/notices.html",
        results=results,
        query=query,
        states=[s for s in NoticeState if s != NoticeState.DRAFT],
        purposes=list(Purpose),
    )


@router.get("/admin/disputes")
def dispute_queue(page: AdminPage, state: str = DisputeState.PENDING.value) -> Response:
    chosen = DisputeState(state) if state in set(DisputeState) else None
    rows = portal_views.dispute_queue(page.platform, actor=page.actor, state=chosen)
    return page.render(
        "admin/disputes.html",
        disputes=rows,
        state=chosen,
        states=list(DisputeState),
        outcomes=[DisputeState.OBJECTION_UPHELD, DisputeState.OBJECTION_DISMISSED],
        as_of=page.platform.now(),
    )


@router.post("/admin/disputes/{dispute_id}/decide")
def decide_dispute(
    page: AdminPage,
    dispute_id: int,
    outcome: Annotated[str, Form()] = "",
    decision: Annotated[str, Form()] = "",
) -> Response:
    data = build(DisputeDecision, outcome=outcome, decision=decision.strip())
    disputes.decide_dispute(page.platform, actor=page.actor, dispute_id=dispute_id, data=data)
    return page.redirect("/admin/disputes", flash="flash.dispute_decided", n=dispute_id)
