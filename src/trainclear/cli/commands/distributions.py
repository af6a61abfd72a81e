"""``trainclear distribution``, ``statement`` and ``reserve``: what CMOs pay out, and to whom."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit
from trainclear.schemas.distributions import (
    DistributionRunCreate,
    ReserveClaimCreate,
    ReserveState,
)
from trainclear.services import distributions, reserve, statements

app = typer.Typer(no_args_is_help=True)
statement = typer.Typer(no_args_is_help=True)
reserve_app = typer.Typer(no_args_is_help=True)
RUN_COLUMNS = ("id", "cmo_id", "period", "currency", "digest", "created_at")
ACCOUNT_COLUMNS = ("run_id", "cmo_id", "period", "holder_id", "balance", "payout", "carried_out")
ENTRY_COLUMNS = ("id", "run_id", "work_id", "period", "amount", "expires_on", "state")
Format = Annotated[str, typer.Option("--format", help="json or csv")]
Lang = Literal["en", "zh-CN", "both"]


@app.command("run")
def run(
    ctx: typer.Context, period: Annotated[str, typer.Argument(help="YYYY-MM-DD/YYYY-MM-DD")]
) -> None:
    """Distribute a period of your collections (the same input again returns that run)."""
    st = state(ctx)
    data = DistributionRunCreate(period=period)
    emit(ctx, distributions.run_distribution(st.open(), actor=st.actor(), data=data))


@app.command("list")
def list_(ctx: typer.Context) -> None:
    st = state(ctx)
    emit(ctx, distributions.list_runs(st.open(), viewer=st.actor()), columns=RUN_COLUMNS)


@app.command("show")
def show(ctx: typer.Context, run_id: int) -> None:
    st = state(ctx)
    emit(ctx, distributions.get_run(st.open(), viewer=st.actor(), run_id=run_id))


@app.command("verify")
def verify(ctx: typer.Context, run_id: int) -> None:
    """Check every stored row of a run against its digest."""
    st = state(ctx)
    emit(ctx, distributions.verify_run(st.open(), viewer=st.actor(), run_id=run_id))


@app.command("report")
def report(
    ctx: typer.Context,
    run_id: int,
    format_: Format = "json",
    lang: Annotated[str, typer.Option(help="en, zh-CN or both (CSV labels)")] = "both",
) -> None:
    """The CMO's report of a run: collections, fee, distributed and undistributed."""
    st = state(ctx)
    found = statements.get_report(st.open(), viewer=st.actor(), run_id=run_id)
    typer.echo(found.to_csv(lang=_lang(lang)) if format_ == "csv" else found.to_json(), nl=False)


@statement.command("show")
def show_statement(
    ctx: typer.Context,
    run_id: int,
    holder_id: Annotated[int | None, typer.Argument(help="Default: you.")] = None,
    format_: Format = "json",
) -> None:
    """A holder's statement of a run: usage → invoice → pool → share → payout."""
    st = state(ctx)
    actor = st.actor()
    found = statements.get_statement(
        st.open(), viewer=actor, run_id=run_id, holder_id=holder_id or actor.party_id
    )
    typer.echo(found.to_csv() if format_ == "csv" else found.to_json(), nl=False)


@statement.command("list")
def list_statements(
    ctx: typer.Context, holder: Annotated[int | None, typer.Option()] = None
) -> None:
    """Your accounts in every run (a holder), or those of your runs (a CMO)."""
    st = state(ctx)
    found = statements.list_statements(st.open(), viewer=st.actor(), holder_id=holder)
    emit(ctx, found, columns=ACCOUNT_COLUMNS)


@reserve_app.command("list")
def list_reserve(
    ctx: typer.Context, state_: Annotated[ReserveState | None, typer.Option("--state")] = None
) -> None:
    st = state(ctx)
    found = reserve.list_reserve(st.open(), viewer=st.actor(), state=state_)
    emit(ctx, found, columns=ENTRY_COLUMNS)


@reserve_app.command("claim")
def claim(
    ctx: typer.Context,
    entry_id: int,
    holder: Annotated[int, typer.Option(help="The holder whose title you verified.")],
) -> None:
    """Pay an open reserve entry to the holder who proved title (you are the CMO)."""
    st = state(ctx)
    data = ReserveClaimCreate(holder_id=holder)
    emit(ctx, reserve.claim_reserve(st.open(), actor=st.actor(), entry_id=entry_id, data=data))


@reserve_app.command("release")
def release(ctx: typer.Context) -> None:
    """Release your expired reserve entries; your next run redistributes them."""
    st = state(ctx)
    emit(ctx, reserve.release_reserve(st.open(), actor=st.actor()))


def _lang(value: str) -> Lang:
    if value == "en":
        return "en"
    return "zh-CN" if value == "zh-CN" else "both"
