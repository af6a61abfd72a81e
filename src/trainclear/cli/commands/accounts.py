"""``trainclear account``: web accounts for the portals (operator; local database access).

Rights holders and developers sign up on the web; accounts for a CMO or the copyright
administration are made here, for a new party or for one ``party create`` made.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit
from trainclear.domain import PartyKind
from trainclear.schemas.accounts import AccountCreate
from trainclear.services import accounts

app = typer.Typer(no_args_is_help=True)


@app.command("create")
def create(
    ctx: typer.Context,
    email: str,
    kind: Annotated[PartyKind | None, typer.Option(help="For a new party: its kind.")] = None,
    name: Annotated[str | None, typer.Option(help="For a new party: its public name.")] = None,
    party_id: Annotated[int | None, typer.Option("--party", help="An existing party.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a web account; the password is asked for (or read with --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    data = AccountCreate(email=email, password=password, party_id=party_id, kind=kind, name=name)
    emit(ctx, accounts.create_account(state(ctx).open(), data=data))
