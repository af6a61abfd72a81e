"""Server-rendered pages over the same services as the JSON API (issue 7).

``install_pages`` mounts, beside ``/v1``: the public board (``/``, ``/notices/{id}``),
accounts (``/sign-up``, ``/sign-in``, ``/account``), the rights holder's portal
(``/holder/…``, statements included), the developer's (``/developer/…``), the
administration's console (``/admin/…``), the CMO console (``/cmo/…``), and ``/static``.
Templates are Jinja2 in ``web/templates``, one small CSS and one small script in
``web/static`` (every page works without the script); charts are inline SVG drawn on the
server (:mod:`~trainclear.web.pages.charts`).

To add a portal or a page: write a router with :func:`~trainclear.web.pages.deps.page_router`
(it checks every form's CSRF token), add it to :data:`PAGE_ROUTERS`, add its navigation
entries to :data:`trainclear.web.pages.nav.NAV` and its strings, in both languages, to
:mod:`trainclear.web.pages.i18n`.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from trainclear.web.pages.errors import install_page_errors
from trainclear.web.pages.routes import (
    account,
    admin,
    admin_reports,
    board,
    cmo,
    cmo_runs,
    developer,
    holder,
    statements,
    usage,
)
from trainclear.web.pages.security import web_secret

PAGE_ROUTERS: list[APIRouter] = [
    board.router,
    account.router,
    holder.router,
    developer.router,
    usage.router,
    admin.router,
    admin_reports.router,
    cmo.router,
    cmo_runs.router,
    statements.router,
]


def install_pages(app: FastAPI) -> None:
    """Mount the pages and static files on ``app`` (made by ``create_app``)."""
    web_secret(app.state.platform)  # fail at start, not at the first form, without a secret
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("trainclear.web", "static")]), name="static")
    install_page_errors(app)
