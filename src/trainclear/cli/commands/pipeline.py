"""``trainclear scan`` and ``trainclear filter`` over JSONL, JSONL.zst and Parquet shards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from trainclear.cli.context import state
from trainclear.cli.output import console, emit_dict
from trainclear.pipeline import FieldMap, OnError, ScanReport, SignalConfig
from trainclear.pipeline import Progress as ProgressHook
from trainclear.services import runs

Inputs = Annotated[list[Path], typer.Argument(help="Input shards (.jsonl, .jsonl.zst, .parquet).")]
SnapshotRef = Annotated[str, typer.Option(help="Snapshot id (or a unique 8+ prefix) or file.")]
OnErrorOpt = Annotated[str, typer.Option("--on-error", help="fail | skip malformed records.")]
IdField = Annotated[str, typer.Option(help="Record field holding the id.")]
TextField = Annotated[str, typer.Option(help="Record field holding the text.")]
UrlField = Annotated[str, typer.Option(help="Record field holding the URL.")]
MetaField = Annotated[str, typer.Option(help="Record field holding the metadata object.")]
ExecutorOpt = Annotated[
    str, typer.Option("--executor", help="Where shards run: local (processes) | ray.")
]
WorkersOpt = Annotated[int, typer.Option("--workers", help="Shards processed at once.", min=1)]
SignalsOpt = Annotated[
    bool, typer.Option("--signals/--no-signals", help="Judge machine-readable reservations.")
]
PoliciesOpt = Annotated[
    str,
    typer.Option(
        "--site-policies",
        help="Captured robots.txt/tdmrep.json/ai.txt: db (the store) | none | a captures file.",
    ),
]
HeadersField = Annotated[str, typer.Option(help="Record field holding the HTTP response headers.")]
HtmlField = Annotated[str, typer.Option(help="Record field holding the page's HTML.")]
FetchedField = Annotated[str, typer.Option(help="Record field holding the fetch time (ISO 8601).")]


def scan(
    ctx: typer.Context,
    inputs: Inputs,
    snapshot: SnapshotRef,
    report: Annotated[Path | None, typer.Option(help="Write the scan report JSON here.")] = None,
    on_error: OnErrorOpt = "fail",
    id_field: IdField = "id",
    text_field: TextField = "text",
    url_field: UrlField = "url",
    metadata_field: MetaField = "metadata",
    executor: ExecutorOpt = "local",
    workers: WorkersOpt = 1,
    signals: SignalsOpt = True,
    site_policies: PoliciesOpt = "db",
    headers_field: HeadersField = "headers",
    html_field: HtmlField = "html",
    fetched_at_field: FetchedField = "fetched_at",
) -> None:
    """List the registered works found in a corpus, with counts and sources."""
    st = state(ctx)
    fields = FieldMap(id_field, text_field, url_field, metadata_field)
    with _bar("scan", st.as_json) as hook:
        outcome = runs.run_scan(
            st.open(),
            actor=st.actor(),
            snapshot=snapshot,
            inputs=inputs,
            fields=fields,
            on_error=_policy(on_error),
            report_path=report,
            progress=hook,
            executor=executor,
            workers=workers,
            signals=_signals(signals, site_policies, headers_field, html_field, fetched_at_field),
        )
    if st.as_json:
        emit_dict(ctx, {**outcome.report.to_dict(), "run_id": outcome.run.id})
    else:
        _print_scan(outcome.report, outcome.run.id)


def filter_corpus(
    ctx: typer.Context,
    inputs: Inputs,
    snapshot: SnapshotRef,
    out: Annotated[Path, typer.Option(help="Output directory (absent or empty).")],
    on_error: OnErrorOpt = "fail",
    id_field: IdField = "id",
    text_field: TextField = "text",
    url_field: UrlField = "url",
    metadata_field: MetaField = "metadata",
    executor: ExecutorOpt = "local",
    workers: WorkersOpt = 1,
    signals: SignalsOpt = True,
    site_policies: PoliciesOpt = "db",
    headers_field: HeadersField = "headers",
    html_field: HtmlField = "html",
    fetched_at_field: FetchedField = "fetched_at",
) -> None:
    """Write the corpus without excluded records, plus exclusions.jsonl and manifest.json.

    A killed run resumes: run the same command again.
    """
    st = state(ctx)
    fields = FieldMap(id_field, text_field, url_field, metadata_field)
    with _bar("filter", st.as_json) as hook:
        outcome = runs.run_filter(
            st.open(),
            actor=st.actor(),
            snapshot=snapshot,
            inputs=inputs,
            out_dir=out,
            fields=fields,
            on_error=_policy(on_error),
            progress=hook,
            executor=executor,
            workers=workers,
            signals=_signals(signals, site_policies, headers_field, html_field, fetched_at_field),
        )
    result = outcome.result
    emit_dict(
        ctx,
        {
            "run_id": outcome.run.id,
            "snapshot_id": result.snapshot_id,
            "kept": result.kept,
            "excluded": result.excluded,
            "skipped": result.skipped,
            "resumed_shards": result.resumed,
            "out": str(result.out_dir),
            "manifest": str(result.manifest),
            "exclusions": str(result.exclusions),
        },
    )


def _print_scan(report: ScanReport, run_id: int) -> None:
    """Totals on one line, then one row per registered work found."""
    t = report.totals
    console.print(
        f"run {run_id} · snapshot {report.snapshot_id[:12]}… · {t.records} records in {t.shards} "
        f"shards · {t.matched} matched · {t.excluded} would be excluded · {t.skipped} skipped"
    )
    table = Table("work", "title", "records", "characters", "excluded", "top domains")
    for work in report.works:
        domains = ", ".join(list(work.domains)[:3])
        table.add_row(
            str(work.work_id),
            work.title,
            str(work.records),
            str(work.characters),
            "yes" if work.excluded else "",
            domains,
        )
    console.print(table)


def _signals(
    enabled: bool, site_policies: str, headers: str, html: str, fetched_at: str
) -> SignalConfig | None:
    """The run's signal settings (None when switched off)."""
    if not enabled:
        return None
    where = None if site_policies == "none" else site_policies
    if where not in (None, "db"):
        where = str(Path(where).resolve())
    return SignalConfig(True, where, None, headers, html, fetched_at)


def _policy(value: str) -> OnError:
    """Pass the choice through; the engine refuses anything but fail / skip, naming the field."""
    return cast(OnError, value)


@contextmanager
def _bar(label: str, quiet: bool) -> Iterator[ProgressHook | None]:
    """A records-processed progress bar on stderr (none in JSON mode)."""
    if quiet:
        yield None
        return
    columns = (TextColumn(f"{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)
