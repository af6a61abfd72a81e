"""``trainclear serve`` and ``trainclear db-upgrade``."""

from __future__ import annotations

from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit_dict


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
) -> None:
    """Serve the web pages and the JSON API (OpenAPI at /docs)."""
    import uvicorn

    from trainclear.web.app import create_app

    uvicorn.run(create_app(state(ctx).open()), host=host, port=port)


def db_upgrade(ctx: typer.Context) -> None:
    """Migrate the database to the newest schema."""
    p = state(ctx).open()
    p.db.upgrade()
    emit_dict(ctx, {"database": p.db.engine.url.render_as_string(hide_password=True), "ok": True})
