"""Dependencies of the page routes: the page context, roles, and the form-token check.

Every page router is built by :func:`page_router`, which puts :func:`check_form_token`
on all its routes, so no POST form can be added without the CSRF check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from trainclear.domain import PartyKind
from trainclear.services.platform import require_kind
from trainclear.web.pages import security
from trainclear.web.pages.page import Page, SignInRequired, page_context

PageDep = Annotated[Page, Depends(page_context)]

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


async def check_form_token(request: Request, page: PageDep) -> None:
    """Refuse (403) any unsafe request whose form lacks this browser's token."""
    if request.method not in _UNSAFE:
        return
    content_type = request.headers.get("content-type", "")
    given: Any = None
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        given = (await request.form()).get(security.CSRF_FIELD)
    settings = page.platform.settings
    security.check_form_token(
        given,
        viewer=page.viewer,
        nonce=request.cookies.get(security.nonce_cookie(settings)),
        secret=security.web_secret(page.platform),
    )


def page_router() -> APIRouter:
    """A router for HTML pages: out of the OpenAPI schema, every form token-checked."""
    return APIRouter(include_in_schema=False, dependencies=[Depends(check_form_token)])


def signed_in(page: PageDep) -> Page:
    if page.viewer is None:
        raise SignInRequired(page.here)
    return page


def role(*kinds: PartyKind) -> Callable[[Page], Page]:
    """A dependency admitting only signed-in parties of ``kinds`` (403 for others)."""

    def dependency(page: PageDep) -> Page:
        if page.viewer is None:
            raise SignInRequired(page.here)
        require_kind(page.viewer.actor, *kinds)
        return page

    return dependency


SignedInPage = Annotated[Page, Depends(signed_in)]
HolderPage = Annotated[Page, Depends(role(PartyKind.RIGHTS_HOLDER))]
ObjectorPage = Annotated[Page, Depends(role(PartyKind.RIGHTS_HOLDER, PartyKind.CMO))]
DeveloperPage = Annotated[Page, Depends(role(PartyKind.DEVELOPER))]
AdminPage = Annotated[Page, Depends(role(PartyKind.ADMINISTRATION))]
CmoPage = Annotated[Page, Depends(role(PartyKind.CMO))]
