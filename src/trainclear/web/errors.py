"""One JSON error shape for every error the API returns, produced by one handler.

Domain errors (:class:`~trainclear.errors.TrainclearError`) are rendered as
``exc.to_dict(lang)`` with status ``exc.status``. Everything else that can go wrong in
an HTTP exchange is first mapped onto that hierarchy, so clients parse one shape::

    RequestValidationError (bad JSON, body, query, path) → ValidationFailed  422 invalid
    unknown route                                        → NotFound          404 not_found
    wrong method                                         → MethodNotAllowed  405
    any other HTTPException                              → same status, key web.http_error
    any unhandled exception                              → InternalError     500 (logged; no
                                                           internals in the body)

The message language follows ``Accept-Language``: Chinese (``zh*``) gives zh-CN,
anything else English; both languages are always in ``messages``.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from trainclear.errors import (
    Conflict,
    Forbidden,
    NotFound,
    TrainclearError,
    Unauthenticated,
    ValidationFailed,
)
from trainclear.messages import Lang

log = logging.getLogger("trainclear.web")


class MethodNotAllowed(TrainclearError):
    status = 405
    code = "method_not_allowed"


class InternalError(TrainclearError):
    """A bug or an outage; the body says only that, the log holds the traceback."""

    status = 500
    code = "internal"


class ErrorMessages(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    en: str
    zh_cn: str = Field(alias="zh-CN")


class ErrorBody(BaseModel):
    code: str
    status: int
    key: str = Field(description="stable message key from trainclear.messages")
    message: str = Field(description="in the language chosen by Accept-Language")
    messages: ErrorMessages
    detail: dict[str, Any]


class ErrorResponse(BaseModel):
    """The one error shape (documented in OpenAPI for every route)."""

    error: ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (401, 403, 404, 409, 422)
}


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of failure through :func:`handle`."""
    for kind in (TrainclearError, RequestValidationError, StarletteHTTPException, Exception):
        app.add_exception_handler(kind, handle)


async def handle(request: Request, exc: Exception) -> JSONResponse:
    """Render any exception as the one error shape, in the client's language."""
    error = as_trainclear_error(exc, request)
    if isinstance(error, InternalError):
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    headers = dict(getattr(exc, "headers", None) or {})
    if isinstance(error, Unauthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    lang = choose_lang(request.headers.get("accept-language"))
    return JSONResponse(error.to_dict(lang), status_code=error.status, headers=headers)


def as_trainclear_error(exc: Exception, request: Request) -> TrainclearError:
    """Map any exception onto the domain hierarchy (domain errors pass through)."""
    if isinstance(exc, TrainclearError):
        return exc
    if isinstance(exc, RequestValidationError):
        return _invalid_request(exc)
    if isinstance(exc, StarletteHTTPException):
        return _http_error(exc, request)
    return InternalError("web.internal")


def choose_lang(header: str | None) -> Lang:
    """The preferred language we speak: zh-CN for ``zh*`` tags, else en (the default)."""
    best: Lang = "en"
    best_q = 0.0
    for item in (header or "").split(","):
        tag, _, params = item.strip().lower().partition(";")
        q = _quality(params)
        if tag.startswith("zh") and q > best_q:
            best, best_q = "zh-CN", q
        elif tag.startswith("en") and q > best_q:
            best, best_q = "en", q
    return best


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _invalid_request(exc: RequestValidationError) -> ValidationFailed:
    """Name the first bad field; list every problem (never echoing the input)."""
    problems = [(_location(e.get("loc", ())), str(e.get("msg", ""))) for e in exc.errors()]
    field, problem = problems[0] if problems else ("request", "invalid")
    return ValidationFailed(
        "web.request_invalid",
        field=field,
        problem=problem,
        problems=[f"{where}: {what}" for where, what in problems],
    )


def _location(loc: Any) -> str:
    return ".".join(str(part) for part in loc) or "request"


_BY_STATUS: dict[int, type[TrainclearError]] = {
    401: Unauthenticated,
    403: Forbidden,
    409: Conflict,
    422: ValidationFailed,
    500: InternalError,
}


def _http_error(exc: StarletteHTTPException, request: Request) -> TrainclearError:
    where = {"method": request.method, "path": request.url.path}
    if exc.status_code == 404:
        return NotFound("web.route_not_found", **where)
    if exc.status_code == 405:
        return MethodNotAllowed("web.method_not_allowed", **where)
    kind = _BY_STATUS.get(exc.status_code) or _status_class(exc.status_code)
    return kind("web.http_error", status=exc.status_code, reason=str(exc.detail))


@cache
def _status_class(status: int) -> type[TrainclearError]:
    """An error class for an HTTP status outside the domain hierarchy (e.g. 413)."""
    try:
        code = re.sub(r"[^a-z0-9]+", "_", HTTPStatus(status).phrase.lower()).strip("_")
    except ValueError:
        code = "http_error"
    return type(f"HttpError{status}", (TrainclearError,), {"status": status, "code": code})
