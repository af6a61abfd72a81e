"""``trainclear dispute``: a developer contests an objection; the administration decides."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit
from trainclear.domain import DisputeState
from trainclear.schemas.notices import DisputeCreate, DisputeDecision
from trainclear.services import disputes

app = typer.Typer(no_args_is_help=True)
COLUMNS = ("id", "objection_id", "developer_id", "state", "filed_at", "decide_by", "decided_at")


class Outcome(StrEnum):
    UPHELD = "upheld"
    DISMISSED = "dismissed"


@app.command("file")
def file(ctx: typer.Context, objection_id: int, grounds: Annotated[str, typer.Option()]) -> None:
    """Contest an objection to your notice (e.g. doubtful ownership)."""
    st = state(ctx)
    data = DisputeCreate(objection_id=objection_id, grounds=grounds)
    emit(ctx, disputes.contest_objection(st.open(), actor=st.actor(), data=data))


@app.command("decide")
def decide(
    ctx: typer.Context,
    dispute_id: int,
    outcome: Annotated[Outcome, typer.Option(help="Uphold or dismiss the objection.")],
    decision: Annotated[str, typer.Option(help="Reasons for the decision.")],
) -> None:
    """Decide a dispute (copyright administration only)."""
    state_ = (
        DisputeState.OBJECTION_UPHELD
        if outcome == Outcome.UPHELD
        else DisputeState.OBJECTION_DISMISSED
    )
    st = state(ctx)
    data = DisputeDecision(outcome=state_, decision=decision)
    emit(
        ctx, disputes.decide_dispute(st.open(), actor=st.actor(), dispute_id=dispute_id, data=data)
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    state_: Annotated[DisputeState | None, typer.Option("--state")] = None,
) -> None:
    """The dispute queue, soonest deadline first."""
    emit(ctx, disputes.list_disputes(state(ctx).open(), state=state_), columns=COLUMNS)
