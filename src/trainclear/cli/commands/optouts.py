"""``trainclear optout``: declare, withdraw and list opt-outs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit
from trainclear.domain import OptOutScope, Purpose
from trainclear.errors import ValidationFailed
from trainclear.schemas.optouts import OptOutCreate
from trainclear.services import optouts

app = typer.Typer(no_args_is_help=True)
COLUMNS = ("id", "scope", "work_id", "holder_id", "target", "purpose", "source", "withdrawn_at")


@app.command("declare")
def declare(
    ctx: typer.Context,
    work: Annotated[int | None, typer.Option(help="One work.")] = None,
    all_my_works: Annotated[bool, typer.Option(help="Every work you hold.")] = False,
    url_prefix: Annotated[str | None, typer.Option()] = None,
    domain: Annotated[str | None, typer.Option()] = None,
    purpose: Annotated[Purpose, typer.Option()] = Purpose.AI_TRAINING,
    effective_from: Annotated[datetime | None, typer.Option()] = None,
) -> None:
    """Reserve rights against AI training for one scope."""
    chosen = {
        OptOutScope.WORK: work is not None,
        OptOutScope.HOLDER: all_my_works,
        OptOutScope.URL_PREFIX: url_prefix is not None,
        OptOutScope.DOMAIN: domain is not None,
    }
    scopes = [scope for scope, on in chosen.items() if on]
    if len(scopes) != 1:
        raise ValidationFailed(
            "invalid",
            field="scope",
            problem="give exactly one of --work, --all-my-works, --url-prefix, --domain",
        )
    data = OptOutCreate(
        scope=scopes[0],
        work_id=work,
        target=url_prefix or domain,
        purpose=purpose,
        effective_from=effective_from,
    )
    st = state(ctx)
    emit(ctx, optouts.declare_opt_out(st.open(), actor=st.actor(), data=data))


@app.command("withdraw")
def withdraw(ctx: typer.Context, opt_out_id: int) -> None:
    """Withdraw an opt-out you declared (its history is kept)."""
    st = state(ctx)
    emit(ctx, optouts.withdraw_opt_out(st.open(), actor=st.actor(), opt_out_id=opt_out_id))


@app.command("list")
def list_(
    ctx: typer.Context,
    work: Annotated[int | None, typer.Option()] = None,
    declared_by: Annotated[int | None, typer.Option()] = None,
    include_withdrawn: Annotated[bool, typer.Option()] = False,
) -> None:
    """List opt-outs (public)."""
    found = optouts.list_opt_outs(
        state(ctx).open(),
        work_id=work,
        declared_by=declared_by,
        include_withdrawn=include_withdrawn,
    )
    emit(ctx, found, columns=COLUMNS)
