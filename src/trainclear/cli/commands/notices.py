"""``trainclear notice``: draft, publish, amend, withdraw, advance, show and list notices."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit, emit_dict
from trainclear.domain import NoticeState, Purpose
from trainclear.schemas.notices import NoticeAmend, NoticeCreate, NoticePublish, NoticeWorkIn
from trainclear.services import lifecycle, notice_views, notices
from trainclear.services.scan_reports import works_from_scan_report

app = typer.Typer(no_args_is_help=True)
COLUMNS = ("id", "series_id", "version", "developer_id", "state", "purpose", "model", "window_end")
FromScan = Annotated[Path | None, typer.Option(help="Scan report listing the works used.")]
WorkIds = Annotated[list[int] | None, typer.Option("--work", help="Work id (repeatable).")]


@app.command("create")
def create(
    ctx: typer.Context,
    model: Annotated[str, typer.Option(help="Model or product to be trained.")],
    purpose: Annotated[Purpose, typer.Option()] = Purpose.GENERATIVE_AI_TRAINING,
    from_scan: FromScan = None,
    work: WorkIds = None,
    other_sources: Annotated[str, typer.Option(help="Summary of unregistered sources.")] = "",
    remuneration: Annotated[str, typer.Option(help="Remuneration standard offered.")] = "",
) -> None:
    """Draft a notice (publish it with `notice publish`)."""
    snapshot_id, items = works_from_scan_report(from_scan) if from_scan else (None, [])
    items += [NoticeWorkIn(work_id=w) for w in work or []]
    data = NoticeCreate(
        purpose=purpose,
        model=model,
        works=items,
        other_sources=other_sources,
        remuneration=remuneration,
        scan_snapshot_id=snapshot_id,
    )
    st = state(ctx)
    emit(ctx, notices.create_notice(st.open(), actor=st.actor(), data=data))


@app.command("publish")
def publish(
    ctx: typer.Context,
    notice_id: int,
    start: Annotated[datetime | None, typer.Option(help="Window start (UTC); default now.")] = None,
    end: Annotated[
        datetime | None, typer.Option(help="Window end (UTC); default the minimum.")
    ] = None,
    tariff: Annotated[
        str | None, typer.Option(help="Tariff code named as the remuneration standard.")
    ] = None,
    tariff_cmo: Annotated[int | None, typer.Option(help="The tariff's CMO, if ambiguous.")] = None,
) -> None:
    """Publish a draft and open its objection window (at least 30 days)."""
    st = state(ctx)
    data = NoticePublish(
        window_start=start, window_end=end, tariff_code=tariff, tariff_cmo_id=tariff_cmo
    )
    emit(ctx, notices.publish_notice(st.open(), actor=st.actor(), notice_id=notice_id, data=data))


@app.command("amend")
def amend(
    ctx: typer.Context,
    notice_id: int,
    from_scan: FromScan = None,
    add: WorkIds = None,
    remove: Annotated[list[int] | None, typer.Option(help="Work id to drop (repeatable).")] = None,
    remuneration: Annotated[str | None, typer.Option()] = None,
    end: Annotated[datetime | None, typer.Option(help="Window end for added works.")] = None,
) -> None:
    """Publish the next version; added works get a full window of their own."""
    items = works_from_scan_report(from_scan)[1] if from_scan else []
    items += [NoticeWorkIn(work_id=w) for w in add or []]
    data = NoticeAmend(
        add_works=items, remove_works=remove or [], remuneration=remuneration, window_end=end
    )
    st = state(ctx)
    emit(ctx, notices.amend_notice(st.open(), actor=st.actor(), notice_id=notice_id, data=data))


@app.command("withdraw")
def withdraw(ctx: typer.Context, notice_id: int) -> None:
    """Withdraw your notice."""
    st = state(ctx)
    emit(ctx, notices.withdraw_notice(st.open(), actor=st.actor(), notice_id=notice_id))


@app.command("advance")
def advance(ctx: typer.Context, notice_id: Annotated[int | None, typer.Argument()] = None) -> None:
    """Apply due transitions (window closed, effective) to one notice or to all."""
    p = state(ctx).open()
    if notice_id is None:
        emit_dict(ctx, {"changed": lifecycle.advance_notices(p)})
    else:
        emit(ctx, lifecycle.advance_notice(p, notice_id=notice_id))


@app.command("show")
def show(ctx: typer.Context, notice_id: int) -> None:
    """Show a notice with its works and their exclusion state."""
    emit(
        ctx, notice_views.get_notice(state(ctx).open(), notice_id=notice_id, viewer_id=_viewer(ctx))
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    q: Annotated[str, typer.Option(help="Developer, model, work title or identifier.")] = "",
    state_: Annotated[NoticeState | None, typer.Option("--state")] = None,
    developer: Annotated[int | None, typer.Option()] = None,
    holder: Annotated[int | None, typer.Option(help="Notices using works of this holder.")] = None,
) -> None:
    """Search the public notice board."""
    found = notice_views.list_notices(
        state(ctx).open(),
        query=q,
        state=state_,
        developer_id=developer,
        holder_id=holder,
        viewer_id=_viewer(ctx),
    )
    emit(ctx, found, columns=COLUMNS)


def _viewer(ctx: typer.Context) -> int | None:
    st = state(ctx)
    return st.actor().party_id if st.token else None
