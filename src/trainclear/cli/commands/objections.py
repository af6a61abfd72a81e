"""``trainclear objection``: object to works of a notice; list objections."""

from __future__ import annotations

from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit
from trainclear.schemas.notices import ObjectionCreate
from trainclear.services import objections

app = typer.Typer(no_args_is_help=True)
COLUMNS = ("id", "notice_id", "work_id", "objector_id", "in_window", "state", "opt_out_id")


@app.command("file")
def file(
    ctx: typer.Context,
    notice_id: int,
    work: Annotated[list[int] | None, typer.Option(help="Work id; omit for all you hold.")] = None,
    reason: Annotated[str, typer.Option()] = "",
) -> None:
    """Object to works of a notice (after the window it becomes an opt-out)."""
    st = state(ctx)
    data = ObjectionCreate(work_ids=work, reason=reason)
    found = objections.file_objection(st.open(), actor=st.actor(), notice_id=notice_id, data=data)
    emit(ctx, found, columns=COLUMNS)


@app.command("list")
def list_(
    ctx: typer.Context,
    notice: Annotated[int | None, typer.Option()] = None,
    objector: Annotated[int | None, typer.Option()] = None,
    developer: Annotated[int | None, typer.Option()] = None,
) -> None:
    """List objections by notice, objector or developer."""
    found = objections.list_objections(
        state(ctx).open(), notice_id=notice, objector_id=objector, developer_id=developer
    )
    emit(ctx, found, columns=COLUMNS)
