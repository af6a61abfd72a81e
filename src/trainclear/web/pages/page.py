"""The page context every page route gets: language, viewer, form token and flash, and the
two ways a page answers (render a template, or redirect after a form with a flash).

The language is ``?lang=`` when given (remembered in the ``lang`` cookie), else the cookie,
else zh-CN. Every HTML response carries a strict Content-Security-Policy: every script,
style and image comes from this server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from trainclear import __version__
from trainclear.domain import Actor
from trainclear.messages import Lang
from trainclear.schemas.accounts import WebSessionInfo
from trainclear.services import accounts
from trainclear.services.platform import Platform
from trainclear.web.pages import i18n
from trainclear.web.pages.money import money
from trainclear.web.pages.nav import nav_for
from trainclear.web.pages.security import (
    FLASH_COOKIE,
    LANG_COOKIE,
    anonymous_token,
    clear_cookie,
    new_nonce,
    nonce_cookie,
    session_cookie,
    set_cookie,
    web_secret,
)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_FLASH = re.compile(r"^(flash\.[a-z_.]+)(?::(\d{1,12}))?$")
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
YEAR = 365 * 24 * 3600


class SignInRequired(Exception):
    """A page that needs a signed-in party was asked for anonymously."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


@dataclass
class Page:
    """What a page route needs to answer one request."""

    request: Request
    platform: Platform
    lang: Lang
    viewer: WebSessionInfo | None
    csrf_token: str
    set_cookies: dict[str, str] = field(default_factory=dict)
    flash: str | None = None

    @property
    def actor(self) -> Actor:
        """The signed-in party (role dependencies guarantee one)."""
        if self.viewer is None:
            raise SignInRequired(self.here)
        return self.viewer.actor

    @property
    def viewer_id(self) -> int | None:
        return self.viewer.actor.party_id if self.viewer else None

    @property
    def here(self) -> str:
        """This page's path and query, for the language switch and sign-in's return."""
        query = self.request.url.query
        return self.request.url.path + (f"?{query}" if query else "")

    def url_with(self, **changes: object) -> str:
        """This page's URL with some query parameters changed (None drops one)."""
        params = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = str(value)
        query = urlencode(params)
        return self.request.url.path + (f"?{query}" if query else "")

    def t(self, key: str, **params: Any) -> str:
        return i18n.t(self.lang, key, **params)

    def render(self, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        """Render a template with the page's helpers, cookies and security headers."""
        html = (
            environment()
            .get_template(template)
            .render(
                page=self,
                t=self.t,
                nav=nav_for(self.viewer.actor if self.viewer else None, self.request.url.path),
                **context,
            )
        )
        response = HTMLResponse(html, status_code=status)
        self._finish(response)
        return response

    def redirect(self, url: str, *, flash: str | None = None, n: int | None = None) -> Response:
        """303 to ``url`` (after a form), with a flash message key shown on the next page."""
        response = RedirectResponse(url, status_code=303)
        self._finish(response)
        if flash is not None:
            value = flash if n is None else f"{flash}:{n}"
            set_cookie(response, self.platform.settings, FLASH_COOKIE, value, max_age=300)
        return response

    def _finish(self, response: Response) -> None:
        settings = self.platform.settings
        for name, value in self.set_cookies.items():
            set_cookie(
                response, settings, name, value, max_age=YEAR if name == LANG_COOKIE else None
            )
        if self.flash is not None:
            clear_cookie(response, settings, FLASH_COOKIE)
        response.headers.update(SECURITY_HEADERS)
        if self.viewer is not None:
            response.headers["Cache-Control"] = "no-store"


def page_context(request: Request) -> Page:
    """Build the page context (the ``PageDep`` dependency); kept on ``request.state``."""
    p: Platform = request.app.state.platform
    settings = p.settings
    lang, cookies = choose_lang(request)
    token = request.cookies.get(session_cookie(settings))
    viewer = accounts.session_for(p, token=token) if token else None
    if viewer is not None:
        csrf = viewer.csrf_secret
    else:
        nonce = request.cookies.get(nonce_cookie(settings), "")
        if not _NONCE.match(nonce):
            nonce = new_nonce()
            cookies[nonce_cookie(settings)] = nonce
        csrf = anonymous_token(web_secret(p), nonce)
    page = Page(request, p, lang, viewer, csrf, cookies, _flash(request, lang))
    request.state.page = page
    return page


def fallback_page(request: Request) -> Page:
    """A page for rendering an error that happened before the context was built."""
    existing = getattr(request.state, "page", None)
    if isinstance(existing, Page):
        return existing
    try:
        return page_context(request)
    except Exception:  # the context itself failed (the database is down): render anyway
        pass
    lang, cookies = choose_lang(request)
    return Page(request, request.app.state.platform, lang, None, "", cookies)


def choose_lang(request: Request) -> tuple[Lang, dict[str, str]]:
    """The page language and, when ``?lang=`` chose it, the cookie that remembers it."""
    asked = i18n.parse_lang(request.query_params.get("lang"))
    if asked is not None:
        return asked, {LANG_COOKIE: asked}
    return i18n.parse_lang(request.cookies.get(LANG_COOKIE)) or i18n.DEFAULT_LANG, {}


def _flash(request: Request, lang: Lang) -> str | None:
    match = _FLASH.match(request.cookies.get(FLASH_COOKIE, ""))
    if match is None or not i18n.has(match.group(1)):
        return None
    n = match.group(2)
    return i18n.t(lang, match.group(1), n=int(n) if n else "")


def safe_next(url: str | None, default: str = "/") -> str:
    """A local path to return to (never another site: no scheme, no ``//``, no backslash)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url


def lang_url(page: Page, lang: str) -> str:
    return "/lang/" + quote(lang) + "?" + urlencode({"next": page.here})


def static_url(name: str) -> str:
    return f"/static/{name}?v={__version__}"


def fmt_dt(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "–"


@cache
def environment() -> Environment:
    """The templates (packaged with trainclear), autoescaped, failing on undefined names."""
    env = Environment(
        loader=PackageLoader("trainclear.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        static=static_url,
        fmt_dt=fmt_dt,
        lang_url=lang_url,
        LANG_NAMES=i18n.LANG_NAMES,
        remaining=i18n.remaining,
        number=i18n.number,
        money=money,
    )
    return env
