"""``trainclear demo``: run the clearance loop in a fresh demo folder and summarise it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trainclear.cli.output import console, emit_dict
from trainclear.demo import run_demo
from trainclear.settings import Settings


def demo(
    ctx: typer.Context,
    folder: Annotated[
        Path | None, typer.Option(help="Demo folder; default $TRAINCLEAR_HOME/demo.")
    ] = None,
    texts: Annotated[Path | None, typer.Option(help="Folder of the demo texts.")] = None,
) -> None:
    """Run the whole loop on the embedded default (SQLite + local files), clock advanced."""
    target = folder or Settings().home / "demo"
    summary = run_demo(target, texts=texts, echo=console.print)
    emit_dict(
        ctx,
        {
            "folder": str(summary.folder),
            "notice": summary.notice_id,
            "works found by scan": summary.works_found,
            "snapshot": summary.snapshot_id,
            "records kept": summary.kept,
            "records excluded": summary.excluded,
            "excluded record ids": list(summary.excluded_ids),
            "filtered corpus": str(summary.filtered),
            "manifest": str(summary.manifest),
            "exclusion report": str(summary.exclusions),
            "usage report": summary.usage_report,
            "distribution run": summary.distribution_run,
            "paid out (fen)": summary.paid_out,
        },
    )
