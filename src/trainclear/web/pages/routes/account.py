"""Signing up, in and out, and one's own account page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form
from starlette.responses import Response

from trainclear.domain import PartyKind
from trainclear.errors import TrainclearError, ValidationFailed
from trainclear.schemas.accounts import SessionIssued, SignUp
from trainclear.services import accounts
from trainclear.web.pages.deps import PageDep, SignedInPage, page_router
from trainclear.web.pages.forms import build
from trainclear.web.pages.nav import home_for
from trainclear.web.pages.page import Page, safe_next
from trainclear.web.pages.security import clear_cookie, session_cookie, set_cookie

router = page_router()

Field = Annotated[str, Form()]
SIGN_UP_KINDS = (PartyKind.RIGHTS_HOLDER, PartyKind.DEVELOPER)


@router.get("/sign-in")
def sign_in_form(page: PageDep, next: str = "") -> Response:
    return page.render("account/sign_in.html", error=None, email="", next=safe_next(next, ""))


@router.post("/sign-in")
def sign_in(page: PageDep, email: Field = "", password: Field = "", next: Field = "") -> Response:
    client = page.request.client.host if page.request.client else "unknown"
    try:
        issued = accounts.sign_in(page.platform, email=email, password=password, client_ip=client)
    except TrainclearError as exc:
        return page.render(
            "account/sign_in.html",
            status=exc.status,
            error=exc.message(page.lang),
            email=email,
            next=safe_next(next, ""),
        )
    return _signed_in(page, issued, safe_next(next, home_for(issued.actor)), "flash.signed_in")


@router.get("/sign-up")
def sign_up_form(page: PageDep) -> Response:
    return page.render("account/sign_up.html", error=None, form={}, kinds=SIGN_UP_KINDS)


@router.post("/sign-up")
def sign_up(
    page: PageDep,
    kind: Field = "",
    name: Field = "",
    email: Field = "",
    password: Field = "",
    password_again: Field = "",
) -> Response:
    form = {"kind": kind, "name": name, "email": email}
    try:
        if password != password_again:
            raise ValidationFailed("account.password_mismatch")
        data = build(SignUp, kind=kind, name=name, email=email, password=password)
        issued = accounts.sign_up(page.platform, data=data)
    except TrainclearError as exc:
        return page.render(
            "account/sign_up.html",
            status=exc.status,
            error=exc.message(page.lang),
            form=form,
            kinds=SIGN_UP_KINDS,
        )
    return _signed_in(page, issued, home_for(issued.actor), "flash.signed_up")


@router.post("/sign-out")
def sign_out(page: PageDep) -> Response:
    settings = page.platform.settings
    token = page.request.cookies.get(session_cookie(settings))
    if token:
        accounts.sign_out(page.platform, token=token)
    response = page.redirect("/", flash="flash.signed_out")
    clear_cookie(response, settings, session_cookie(settings))
    return response


@router.get("/account")
def account_page(page: SignedInPage) -> Response:
    account = accounts.get_account(page.platform, party_id=page.actor.party_id)
    return page.render("account/account.html", account=account)


def _signed_in(page: Page, issued: SessionIssued, to: str, flash: str) -> Response:
    settings = page.platform.settings
    response = page.redirect(to, flash=flash)
    lifetime = int(accounts.SESSION_LIFETIME.total_seconds())
    set_cookie(response, settings, session_cookie(settings), issued.token, max_age=lifetime)
    return response
