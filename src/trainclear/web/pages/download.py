"""Files a page offers to download (statements, reports): JSON or CSV, as an attachment.

The same security headers as every page; ``no-store``, since the file is one party's.
"""

from __future__ import annotations

from starlette.responses import Response

from trainclear.web.pages.page import SECURITY_HEADERS

MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8"}


def download(body: str, filename: str) -> Response:
    """``body`` as an attachment named ``filename`` (its extension picks the media type)."""
    media = MEDIA[filename.rsplit(".", 1)[-1]]
    response = Response(body, media_type=media)
    response.headers.update(SECURITY_HEADERS)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
