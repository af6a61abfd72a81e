"""The FastAPI application factory: the same app object serves production and tests."""

from __future__ import annotations

from fastapi import FastAPI

from trainclear import __version__
from trainclear.services.platform import Platform
from trainclear.web.errors import ERROR_RESPONSES, install_error_handlers
from trainclear.web.pages import install_pages
from trainclear.web.routes import ROUTERS

DESCRIPTION = """\
Copyright clearing for generative-AI training data (生成式人工智能训练数据著作权清算系统):
the registry of works and opt-outs, the public notice board (公告) with its objection
window (异议期), objections, disputes (争议) and exclusion snapshots.

Reads are public; every write needs `Authorization: Bearer <token>`. Every error has
one shape: `{"error": {"code", "status", "key", "message", "messages", "detail"}}`,
with `message` in the language chosen by `Accept-Language` (zh-CN or en).
"""


def create_app(platform: Platform | None = None) -> FastAPI:
    """Build the JSON API over ``platform`` (default: the one configured by settings)."""
    app = FastAPI(title="trainclear", version=__version__, description=DESCRIPTION)
    app.state.platform = platform if platform is not None else Platform.from_settings()
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router, responses=ERROR_RESPONSES)
    install_pages(app)
    return app
