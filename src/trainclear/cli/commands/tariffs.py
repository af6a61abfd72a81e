"""``trainclear tariff`` and ``trainclear cmo``: a CMO's tariffs and distribution settings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit
from trainclear.errors import ValidationFailed
from trainclear.royalties import ReservePolicy
from trainclear.schemas.tariffs import CmoSettingsUpdate, FeeBracketIn, TariffCreate, TariffEnd
from trainclear.services import cmo_settings, tariffs
from trainclear.services.remuneration_files import read_model

app = typer.Typer(no_args_is_help=True)
cmo = typer.Typer(no_args_is_help=True)
settings = typer.Typer(no_args_is_help=True)
cmo.add_typer(settings, name="settings", help="A CMO's fee schedule, payout threshold, reserve.")
COLUMNS = ("id", "cmo_id", "code", "title", "currency", "effective_from", "effective_to")


@app.command("create")
def create(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The tariff version as JSON or YAML.")],
) -> None:
    """Publish a version of one of your tariffs (you are the CMO)."""
    st = state(ctx)
    data = read_model(file, TariffCreate)
    emit(ctx, tariffs.create_tariff(st.open(), actor=st.actor(), data=data))


@app.command("list")
def list_(
    ctx: typer.Context,
    cmo_id: Annotated[int | None, typer.Option("--cmo")] = None,
    code: Annotated[str | None, typer.Option()] = None,
    on: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="In force on.")] = None,
) -> None:
    """List published tariffs."""
    day = on.date() if on else None
    found = tariffs.list_tariffs(state(ctx).open(), cmo_id=cmo_id, code=code, on=day)
    emit(ctx, found, columns=COLUMNS)


@app.command("show")
def show(ctx: typer.Context, tariff_id: int) -> None:
    emit(ctx, tariffs.get_tariff(state(ctx).open(), tariff_id=tariff_id))


@app.command("end")
def end(
    ctx: typer.Context,
    tariff_id: int,
    to: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day.")],
) -> None:
    """Set the last day a version of your tariff is in force."""
    st = state(ctx)
    data = TariffEnd(effective_to=to.date())
    emit(ctx, tariffs.end_tariff(st.open(), actor=st.actor(), tariff_id=tariff_id, data=data))


@settings.command("set")
def set_(
    ctx: typer.Context,
    fee: Annotated[
        list[str], typer.Option(help="Bracket UP_TO:RATE in minor units, e.g. 20000:0.12; :0.08")
    ],
    minimum_payout: Annotated[int, typer.Option(help="Minor units.")] = 0,
    claim_years: Annotated[int, typer.Option(help="Reserve claim period.")] = 3,
    policy: Annotated[ReservePolicy, typer.Option()] = ReservePolicy.USE_POOL,
    currency: Annotated[str, typer.Option()] = "CNY",
) -> None:
    """Set your distribution settings (you are the CMO)."""
    st = state(ctx)
    data = CmoSettingsUpdate(
        currency=currency,
        fee_schedule=[_bracket(f) for f in fee],
        minimum_payout=minimum_payout,
        reserve_claim_years=claim_years,
        reserve_policy=policy,
    )
    emit(ctx, cmo_settings.set_cmo_settings(st.open(), actor=st.actor(), data=data))


@settings.command("show")
def show_settings(ctx: typer.Context, cmo_id: int) -> None:
    """A CMO's settings (the defaults when it has set none)."""
    emit(ctx, cmo_settings.get_cmo_settings(state(ctx).open(), cmo_id=cmo_id))


def _bracket(text: str) -> FeeBracketIn:
    up_to, sep, rate = text.partition(":")
    try:
        if not sep or not rate:
            raise ValueError
        return FeeBracketIn(up_to=int(up_to) if up_to.strip() else None, rate=rate.strip())
    except ValueError:
        problem = f"{text!r}: expected UP_TO:RATE, e.g. 20000:0.12 (or :0.08 for the rest)"
        raise ValidationFailed("invalid", field="--fee", problem=problem) from None
