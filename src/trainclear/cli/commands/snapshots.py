"""``trainclear snapshot``: export, list, show and verify exclusion snapshots."""

from __future__ import annotations

from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit, emit_dict
from trainclear.domain import Purpose
from trainclear.schemas.snapshots import SnapshotExport
from trainclear.services import snapshots

app = typer.Typer(no_args_is_help=True)
COLUMNS = ("id", "scope", "notice_id", "purpose", "as_of", "works_count", "excluded_count")


@app.command("export")
def export(
    ctx: typer.Context,
    notice: Annotated[int | None, typer.Option(help="Snapshot for a closed notice.")] = None,
    purpose: Annotated[Purpose | None, typer.Option(help="Use purpose (registry scope).")] = None,
) -> None:
    """Write an immutable, content-addressed exclusion snapshot."""
    st = state(ctx)
    data = SnapshotExport(notice_id=notice, purpose=purpose)
    emit(ctx, snapshots.export_snapshot(st.open(), actor=st.actor(), data=data))


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List exported snapshots."""
    emit(ctx, snapshots.list_snapshots(state(ctx).open()), columns=COLUMNS)


@app.command("show")
def show(ctx: typer.Context, snapshot_id: str) -> None:
    """Show a snapshot's record."""
    emit(ctx, snapshots.get_snapshot(state(ctx).open(), snapshot_id=snapshot_id))


@app.command("verify")
def verify(ctx: typer.Context, snapshot_id: str) -> None:
    """Check that a snapshot file still hashes to its id."""
    snap = snapshots.verify_snapshot(state(ctx).open(), snapshot_id=snapshot_id)
    emit_dict(
        ctx,
        {
            "id": snap.id,
            "ok": True,
            "works": len(snap.works),
            "excluded": len(snap.excluded_works),
            "url_rules": len(snap.url_rules),
        },
    )
