"""``trainclear snapshot``: export, list, show and verify exclusion snapshots."""

from __future__ import annotations

from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit, emit_dict
from trainclear.domain import Purpose
from trainclear.schemas.snapshots import SnapshotExport
from trainclear.services import snapshot_reports, snapshots

app = typer.Typer(no_args_is_help=True)
COLUMNS = ("id", "scope", "notice_id", "purpose", "as_of", "works_count", "excluded_count")


@app.command("build")
def build(
    ctx: typer.Context,
    notice: Annotated[int | None, typer.Option(help="Snapshot for a closed notice.")] = None,
    purpose: Annotated[Purpose | None, typer.Option(help="Use purpose (registry scope).")] = None,
    base: Annotated[str | None, typer.Option(help="Write a delta against this snapshot.")] = None,
    strict: Annotated[
        bool, typer.Option(help="Denser text index: finds excerpts of 300+ characters.")
    ] = False,
) -> None:
    """Build an immutable, content-addressed snapshot (or, with --base, a delta)."""
    st = state(ctx)
    if base is not None:
        emit(ctx, snapshots.export_delta(st.open(), actor=st.actor(), base_id=base))
        return
    data = SnapshotExport(notice_id=notice, purpose=purpose, strict=strict)
    emit(ctx, snapshots.export_snapshot(st.open(), actor=st.actor(), data=data))


app.command("export", hidden=True, help="Alias of build.")(build)


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


@app.command("info")
def info(ctx: typer.Context, snapshot_id: str) -> None:
    """Scope, counts, index size and settings, and deltas of a snapshot."""
    emit_dict(ctx, snapshot_reports.snapshot_info(state(ctx).open(), snapshot_id=snapshot_id))


@app.command("diff")
def diff(ctx: typer.Context, old: str, new: str) -> None:
    """What changed between two snapshots (works, exclusions, URL rules)."""
    emit_dict(ctx, snapshot_reports.diff_snapshots(state(ctx).open(), old=old, new=new))
