"""Errors on pages are pages; errors on the JSON API keep the one JSON shape.

One handler serves both: requests under ``/v1`` (and the OpenAPI pages) go to
:func:`trainclear.web.errors.handle`; everything else is mapped onto the same domain
hierarchy and rendered as an HTML page in the page's language, with the message in
the other language beneath it. A page that needs a signed-in party redirects to the
sign-in page, which returns to it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from trainclear.errors import TrainclearError
from trainclear.messages import Lang
from trainclear.web import errors as api_errors
from trainclear.web.pages.page import SignInRequired, fallback_page

API_PREFIXES = ("/v1/", "/docs", "/redoc", "/openapi.json")


def install_page_errors(app: FastAPI) -> None:
    """Replace the app's handlers with one that tells pages from the API."""
    kinds = (TrainclearError, RequestValidationError, StarletteHTTPException, Exception)
    for kind in (*kinds, SignInRequired):
        app.add_exception_handler(kind, handle)


def is_api(path: str) -> bool:
    return path == "/v1" or path.startswith(API_PREFIXES)


async def handle(request: Request, exc: Exception) -> Response:
    if is_api(request.url.path):
        return await api_errors.handle(request, exc)
    page = fallback_page(request)
    if isinstance(exc, SignInRequired):
        query = urlencode({"next": exc.next_url})
        return page.redirect(f"/sign-in?{query}", flash="flash.sign_in_required")
    error = api_errors.as_trainclear_error(exc, request)
    if isinstance(error, api_errors.InternalError):
        api_errors.log.error(
            "unhandled error on %s %s", request.method, request.url.path, exc_info=exc
        )
    other: Lang = "en" if page.lang == "zh-CN" else "zh-CN"
    response = page.render(
        "error.html",
        status=error.status,
        error=error,
        message=error.message(page.lang),
        other_lang=other,
        other_message=error.message(other),
    )
    if error.status == 405 and isinstance(exc, StarletteHTTPException) and exc.headers:
        response.headers.update(exc.headers)
    return response
