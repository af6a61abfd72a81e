"""The public board: search notices, read one notice; and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from starlette.responses import Response

from trainclear.domain import NoticeState, PartyKind, Purpose
from trainclear.schemas.board import BoardQuery
from trainclear.services import board, notice_charts, portal_views, tariff_views
from trainclear.web.pages import chart_views, i18n
from trainclear.web.pages.deps import PageDep, page_router
from trainclear.web.pages.forms import build
from trainclear.web.pages.page import safe_next
from trainclear.web.pages.security import LANG_COOKIE

router = page_router()

Text = Annotated[str, Query(max_length=200)]


@router.get("/")
def board_page(
    page: PageDep,
    q: Text = "",
    developer: Text = "",
    work: Text = "",
    holder: Text = "",
    purpose: str = "",
    state: str = "",
    n: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    """The notice board: every published notice, searchable, newest first."""
    query = build(
        BoardQuery,
        text=q,
        developer=developer,
        work=work,
        holder=holder,
        purpose=purpose or None,
        state=state or None,
        page=n,
    )
    results = board.search_board(page.platform, query=query)
    return page.render(
        "board.html",
        results=results,
        query=query,
        purposes=list(Purpose),
        states=[NoticeState.OPEN, NoticeState.CLOSED, NoticeState.EFFECTIVE],
    )


@router.get("/notices/{notice_id}")
def notice_page(
    page: PageDep,
    notice_id: int,
    work: Text = "",
    n: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    """One notice: its works (a page at a time), window, remuneration, objections, log."""
    viewer = page.viewer.actor if page.viewer else None
    view = board.notice_view(
        page.platform, notice_id=notice_id, viewer=viewer, work_query=work, page=n
    )
    snapshots = portal_views.notice_snapshots(
        page.platform, notice_id=notice_id, viewer_id=page.viewer_id
    )
    owner = viewer is not None and viewer.party_id == view.notice.developer_id
    may_object = viewer is not None and viewer.kind in (PartyKind.RIGHTS_HOLDER, PartyKind.CMO)
    tariff = tariff_views.notice_tariff(
        page.platform, notice_id=notice_id, viewer_id=page.viewer_id
    )
    drafting = owner and view.notice.state == NoticeState.DRAFT
    charts = notice_charts.notice_charts(
        page.platform, notice_id=notice_id, viewer_id=page.viewer_id
    )
    return page.render(
        "notice.html",
        view=view,
        notice=view.notice,
        snapshots=snapshots,
        owner=owner,
        may_object=may_object and view.yours > 0,
        tariff=tariff,
        tariffs=tariff_views.tariff_choices(page.platform) if drafting else [],
        charts=charts,
        usage_chart=chart_views.usage_chart(page, charts),
        objection_chart=chart_views.objection_chart(page, charts),
    )


@router.get("/lang/{lang}")
def switch_language(page: PageDep, lang: str, next: str = "/") -> Response:
    """Remember the language in a cookie and return to the page the switch was on."""
    chosen = i18n.parse_lang(lang) or i18n.DEFAULT_LANG
    page.set_cookies[LANG_COOKIE] = chosen
    return page.redirect(safe_next(next))
