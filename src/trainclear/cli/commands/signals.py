"""``trainclear signals``: check URLs for reservations; import, list and export captures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from trainclear.cli.context import state
from trainclear.cli.output import console, emit, emit_dict
from trainclear.domain import Purpose
from trainclear.schemas.signals import CheckRequest, CheckResult
from trainclear.services import checks, site_policies
from trainclear.signals.fetch import PolicyFetcher

app = typer.Typer(no_args_is_help=True)
CAPTURE_COLUMNS = ("id", "origin", "kind", "fetched_at", "status", "error", "captured_by")


@app.command("check")
def check(
    ctx: typer.Context,
    urls: Annotated[list[str] | None, typer.Argument(help="Page URLs to check.")] = None,
    fingerprint: Annotated[
        list[str] | None, typer.Option("--fingerprint", help="Text fingerprint (sha256:...).")
    ] = None,
    purpose: Annotated[Purpose, typer.Option(help="The use asked about.")] = (
        Purpose.GENERATIVE_AI_TRAINING
    ),
    at: Annotated[datetime | None, typer.Option(help="Judge as of (ISO 8601, UTC).")] = None,
    offline: Annotated[bool, typer.Option(help="Use stored captures only; fetch nothing.")] = False,
    findings: Annotated[bool, typer.Option(help="Show every finding.")] = False,
) -> None:
    """Say whether each URL may be used for ``purpose``: registry plus signals.

    Unless --offline, site files never captured for a URL's origin are fetched first
    (robots.txt, /.well-known/tdmrep.json, ai.txt and the RSL licences robots.txt names)
    and recorded in the site-policy store, which needs a developer's or the
    administration's token.
    """
    st = state(ctx)
    p = st.open()
    urls = urls or []
    if urls and not offline:
        with PolicyFetcher(clock=p.now) as fetcher:
            site_policies.capture_missing(p, actor=st.actor(), urls=urls, fetcher=fetcher)
    data = CheckRequest(
        urls=urls, fingerprints=fingerprint or [], purpose=purpose, at=at, findings=findings
    )
    result = checks.check(p, data=data)
    if st.as_json:
        emit_dict(ctx, result.model_dump(mode="json"))
    else:
        _print(result)
    if any(item.verdict == "disallow" for item in result.items):
        raise typer.Exit(3)


@app.command("import")
def import_(ctx: typer.Context, path: Path) -> None:
    """Record the captures of a captures file (JSON Lines); a bad line rejects the file."""
    st = state(ctx)
    emit(ctx, site_policies.import_captures(st.open(), actor=st.actor(), path=path))


@app.command("export")
def export(ctx: typer.Context, path: Path) -> None:
    """Write every stored capture to a captures file (for --site-policies FILE)."""
    count = site_policies.export_captures(state(ctx).open(), path=path)
    emit_dict(ctx, {"exported": count, "path": str(path)})


@app.command("list")
def list_(
    ctx: typer.Context,
    origin: Annotated[str | None, typer.Option(help="Only this origin (https://host).")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
) -> None:
    """List stored captures, newest first."""
    rows = site_policies.list_captures(state(ctx).open(), origin=origin, limit=limit)
    emit(ctx, rows, columns=CAPTURE_COLUMNS)


def _print(result: CheckResult) -> None:
    table = Table("verdict", "subject", "decided by", "complete")
    for item in result.items:
        table.add_row(item.verdict, item.subject, _why(item.registry, item.deciding), _done(item))
    console.print(f"purpose {result.purpose.value} · as of {result.at.isoformat()}")
    console.print(table)


def _why(registry: list[dict[str, object]], deciding: dict[str, object] | None) -> str:
    if registry:
        first = registry[0]
        return f"registry {first['code']} ({first['ref']})"
    if deciding:
        return f"{deciding['scheme']}: {deciding['rule']} — {deciding['source']}"
    return ""


def _done(item: object) -> str:
    missing = getattr(item, "missing", [])
    return "yes" if not missing else "missing " + ", ".join(missing)
