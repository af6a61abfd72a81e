"""``trainclear work``: register works, list and show them, set CMO mandates."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit
from trainclear.domain import Stance, WorkType
from trainclear.errors import ValidationFailed
from trainclear.schemas.works import HolderShare, Identifier, MandateUpdate, WorkCreate
from trainclear.services import works

app = typer.Typer(no_args_is_help=True)
COLUMNS = ("id", "type", "title", "holders", "cmo_id", "cmo_stance")


@app.command("register")
def register(
    ctx: typer.Context,
    title: Annotated[str, typer.Option()],
    file: Annotated[
        Path | None, typer.Option(help="The work's UTF-8 text, or its image file for --type image.")
    ] = None,
    type_: Annotated[WorkType, typer.Option("--type")] = WorkType.TEXT,
    identifier: Annotated[
        list[str] | None, typer.Option("--id", help="scheme:value, e.g. isbn:978...")
    ] = None,
    holder: Annotated[list[str] | None, typer.Option(help="PARTY_ID=SHARE, e.g. 3=1/2")] = None,
    cmo: Annotated[int | None, typer.Option(help="CMO holding the mandate.")] = None,
    stance: Annotated[Stance | None, typer.Option()] = None,
    holder_unidentified: Annotated[
        bool, typer.Option(help="A CMO's work whose holder is unknown (its share is reserved).")
    ] = False,
) -> None:
    """Register a work you hold (or, as a CMO, one in your repertoire)."""
    is_image = type_ == WorkType.IMAGE
    data = WorkCreate(
        type=type_,
        title=title,
        text=_read(file) if file and not is_image else None,
        image=_read_image(file) if file and is_image else None,
        identifiers=[_identifier(i) for i in identifier or []],
        holders=[_holder(h) for h in holder or []],
        cmo_id=cmo,
        cmo_stance=stance,
        holder_unidentified=holder_unidentified,
    )
    st = state(ctx)
    emit(ctx, works.register_work(st.open(), actor=st.actor(), data=data))


@app.command("list")
def list_(
    ctx: typer.Context,
    holder: Annotated[int | None, typer.Option()] = None,
    cmo: Annotated[int | None, typer.Option()] = None,
    q: Annotated[str, typer.Option(help="Title or identifier contains.")] = "",
) -> None:
    """List registered works."""
    found = works.list_works(state(ctx).open(), holder_id=holder, cmo_id=cmo, query=q)
    emit(ctx, found, columns=COLUMNS)


@app.command("show")
def show(ctx: typer.Context, work_id: int) -> None:
    """Show one work."""
    emit(ctx, works.get_work(state(ctx).open(), work_id=work_id))


@app.command("mandate")
def mandate(
    ctx: typer.Context,
    work_id: int,
    cmo: Annotated[int | None, typer.Option(help="CMO id; omit to end the mandate.")] = None,
    stance: Annotated[Stance | None, typer.Option()] = None,
) -> None:
    """Grant, change or end a work's CMO mandate."""
    st = state(ctx)
    data = MandateUpdate(cmo_id=cmo, cmo_stance=stance)
    emit(ctx, works.set_mandate(st.open(), actor=st.actor(), work_id=work_id, data=data))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed("invalid", field=str(path), problem=str(exc)) from exc


def _read_image(path: Path) -> str:
    try:
        return base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError as exc:
        raise ValidationFailed("invalid", field=str(path), problem=str(exc)) from exc


def _identifier(text: str) -> Identifier:
    scheme, sep, value = text.partition(":")
    if not sep:
        raise ValidationFailed("invalid", field="--id", problem=f"'{text}' is not scheme:value")
    return Identifier.model_validate({"scheme": scheme.lower(), "value": value})


def _holder(text: str) -> HolderShare:
    party, sep, share = text.partition("=")
    if not party.isdigit():
        raise ValidationFailed("invalid", field="--holder", problem=f"'{text}' is not ID=SHARE")
    return HolderShare(holder_id=int(party), share=share if sep else "1")
