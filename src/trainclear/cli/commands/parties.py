"""``trainclear party``: operator commands (they need local database access, not a token)."""

from __future__ import annotations

from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit, emit_dict
from trainclear.domain import PartyKind
from trainclear.schemas.parties import PartyCreate
from trainclear.services import parties

app = typer.Typer(no_args_is_help=True)


@app.command("create")
def create(
    ctx: typer.Context,
    kind: PartyKind,
    name: str,
    email: Annotated[str | None, typer.Option()] = None,
    token: Annotated[bool, typer.Option(help="Also issue an API token (shown once).")] = True,
) -> None:
    """Register a party; prints its id and (once) its API token."""
    p = state(ctx).open()
    party = parties.create_party(p, data=PartyCreate(kind=kind, name=name, email=email))
    out = party.model_dump(mode="json")
    if token:
        out["token"] = parties.issue_token(p, party_id=party.id, label="cli").token
    emit_dict(ctx, out)


@app.command("list")
def list_(ctx: typer.Context, kind: Annotated[PartyKind | None, typer.Option()] = None) -> None:
    """List parties."""
    emit(ctx, parties.list_parties(state(ctx).open(), kind=kind), columns=("id", "kind", "name"))


@app.command("token")
def token(ctx: typer.Context, party_id: int, label: Annotated[str, typer.Option()] = "cli") -> None:
    """Issue another API token for a party (shown once; only its hash is stored)."""
    emit(ctx, parties.issue_token(state(ctx).open(), party_id=party_id, label=label))


@app.command("revoke")
def revoke(ctx: typer.Context, party_id: int) -> None:
    """Revoke every token of a party."""
    count = parties.revoke_tokens(state(ctx).open(), party_id=party_id)
    emit_dict(ctx, {"party_id": party_id, "revoked": count})
