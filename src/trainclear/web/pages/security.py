"""Cookies and form tokens for the pages.

* The session cookie holds a random value whose SHA-256 the database keeps
  (:mod:`trainclear.services.accounts`). It is HttpOnly and SameSite=Lax everywhere, and
  Secure with the ``__Host-`` prefix outside local mode.
* Every POST form carries ``csrf_token``. A signed-in browser sends its session's CSRF
  secret. An anonymous one (sign-in, sign-up) sends a signed double-submit token: the
  HMAC, under the installation's web secret, of a random nonce held in its own HttpOnly
  cookie, so a token forged for another cookie, or a cookie tossed in by another site,
  does not verify.
* The web secret is a file: made on first use in local mode only; elsewhere
  ``TRAINCLEAR_WEB_SECRET_FILE`` must name one, so production never signs with a default.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path
from typing import Any

from starlette.responses import Response

from trainclear.errors import TrainclearError
from trainclear.schemas.accounts import WebSessionInfo
from trainclear.services.platform import Platform
from trainclear.settings import Settings

CSRF_FIELD = "csrf_token"
LANG_COOKIE = "lang"
FLASH_COOKIE = "tc_flash"
_SESSION = "tc_session"
_FORM_NONCE = "tc_form"
_lock = threading.Lock()


class WebSecretMissing(TrainclearError):
    status = 500
    code = "web_secret_missing"


class CsrfRefused(TrainclearError):
    """A POST form without a valid token (403, bilingual message)."""

    status = 403
    code = "csrf"


def secure(settings: Settings) -> bool:
    """Whether cookies are Secure (everywhere but local mode)."""
    return settings.mode != "local"


def session_cookie(settings: Settings) -> str:
    return f"__Host-{_SESSION}" if secure(settings) else _SESSION


def nonce_cookie(settings: Settings) -> str:
    return f"__Host-{_FORM_NONCE}" if secure(settings) else _FORM_NONCE


def set_cookie(
    response: Response,
    settings: Settings,
    name: str,
    value: str,
    *,
    max_age: int | None = None,
    http_only: bool = True,
) -> None:
    """Set a cookie with the flags every cookie of the pages gets."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=secure(settings),
        httponly=http_only,
        samesite="lax",
    )


def clear_cookie(response: Response, settings: Settings, name: str) -> None:
    response.delete_cookie(name, path="/", secure=secure(settings), httponly=True, samesite="lax")


def web_secret(p: Platform) -> bytes:
    """The installation's web secret (cached on the platform)."""
    cached: Any = p.caches.get("web_secret")
    if isinstance(cached, bytes):
        return cached
    secret = _load_secret(p.settings)
    p.caches["web_secret"] = secret
    return secret


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def anonymous_token(secret: bytes, nonce: str) -> str:
    """The form token of an anonymous browser holding ``nonce`` in its cookie."""
    return hmac.new(secret, b"form:" + nonce.encode("utf-8"), hashlib.sha256).hexdigest()


def check_form_token(
    given: object, *, viewer: WebSessionInfo | None, nonce: str | None, secret: bytes
) -> None:
    """Refuse a form whose token matches neither the session nor the signed nonce."""
    if not isinstance(given, str) or not given:
        raise CsrfRefused("web.csrf")
    if viewer is not None and hmac.compare_digest(given, viewer.csrf_secret):
        return
    if nonce and hmac.compare_digest(given, anonymous_token(secret, nonce)):
        return
    raise CsrfRefused("web.csrf")


def _load_secret(settings: Settings) -> bytes:
    path = settings.web_secret_file
    if path is None:
        if settings.mode != "local":
            raise WebSecretMissing("web.secret_missing")
        path = settings.home / "web-secret"
    with _lock:
        if not path.exists():
            if settings.web_secret_file is not None:
                raise WebSecretMissing("web.secret_missing")
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_new_secret(path)
    secret = path.read_bytes().strip()
    if len(secret) < 32:
        raise WebSecretMissing("web.secret_missing")
    return secret


def _write_new_secret(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
