"""Scan and filter runs over a corpus, each recorded with the snapshot it used.

The corpus engine (:mod:`trainclear.pipeline`) does the work without a database; these
services verify the snapshot, run the engine, and record the run and its event so a
rights holder can later prove which exclusion set a dataset was built with.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from trainclear.domain import Actor
from trainclear.pipeline import (
    FieldMap,
    FilterResult,
    OnError,
    Progress,
    ScanReport,
    filter_corpus,
    make_executor,
    scan_corpus,
)
from trainclear.pipeline.loading import cached_index
from trainclear.schemas.snapshots import RunPublic
from trainclear.services.platform import Platform, get_or_404, record_event
from trainclear.signals.records import SignalConfig
from trainclear.snapshot.files import resolve_snapshot_path
from trainclear.store.models import Run, SnapshotRecord


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    report: ScanReport
    run: RunPublic
    report_path: Path | None


@dataclass(frozen=True, slots=True)
class FilterOutcome:
    result: FilterResult
    run: RunPublic


def run_scan(
    p: Platform,
    *,
    actor: Actor,
    snapshot: str,
    inputs: Sequence[Path],
    fields: FieldMap | None = None,
    on_error: OnError = "fail",
    report_path: Path | None = None,
    progress: Progress | None = None,
    executor: str = "local",
    workers: int = 1,
    signals: SignalConfig | None = None,
) -> ScanOutcome:
    """Scan shards for registered works; optionally write the report (for a notice).

    ``executor`` (``local`` or ``ray``) and ``workers`` say where shards are scanned;
    the report is the same whichever runs it.
    """
    started = p.now()
    runner = make_executor(executor, workers)
    path, snapshot_id = _snapshot_file(p, snapshot)
    report = scan_corpus(
        inputs,
        path,
        executor=runner,
        snapshot_id=snapshot_id,
        fields=fields,
        on_error=on_error,
        now=started,
        progress=progress,
        signals=_with_store(p, signals),
    )
    if report_path is not None:
        _write_atomic(report_path, report.to_json())
    stats = {"works_found": len(report.works), "records": report.totals.records}
    stats["signal_reserved"] = sum(r.records for r in report.url_rules if r.kind == "signal")
    how = {"executor": executor, "workers": workers}
    run = _record(p, actor, "scan", snapshot_id, started, str(report_path or ""), stats, how)
    return ScanOutcome(report, run, report_path)


def run_filter(
    p: Platform,
    *,
    actor: Actor,
    snapshot: str,
    inputs: Sequence[Path],
    out_dir: Path,
    fields: FieldMap | None = None,
    on_error: OnError = "fail",
    progress: Progress | None = None,
    executor: str = "local",
    workers: int = 1,
    signals: SignalConfig | None = None,
) -> FilterOutcome:
    """Write filtered shards, the exclusion report and the manifest; record the run.

    A run that was killed resumes when called again with the same arguments (see
    :func:`trainclear.pipeline.filter_corpus`); the output does not depend on
    ``executor`` or ``workers``, which only the run's stats record.
    """
    started = p.now()
    runner = make_executor(executor, workers)
    path, snapshot_id = _snapshot_file(p, snapshot)
    result = filter_corpus(
        inputs,
        out_dir,
        path,
        executor=runner,
        snapshot_id=snapshot_id,
        fields=fields,
        on_error=on_error,
        now=started,
        progress=progress,
        signals=_with_store(p, signals),
    )
    stats = {"kept": result.kept, "excluded": result.excluded, "skipped": result.skipped}
    how = {"executor": executor, "workers": workers, "resumed_shards": result.resumed}
    run = _record(p, actor, "filter", snapshot_id, started, str(out_dir), stats, how)
    return FilterOutcome(result, run)


def list_runs(p: Platform, *, snapshot_id: str | None = None) -> list[RunPublic]:
    """Recorded runs, newest first."""
    with p.db.transaction() as s:
        stmt = select(Run).order_by(Run.id.desc())
        if snapshot_id is not None:
            stmt = stmt.where(Run.snapshot_id == snapshot_id)
        return [RunPublic.model_validate(r) for r in s.scalars(stmt)]


def _with_store(p: Platform, signals: SignalConfig | None) -> SignalConfig | None:
    """``site_policies="db"`` means this platform's site-policy store."""
    if signals is not None and signals.site_policies == "db":
        return replace(signals, database_url=p.settings.resolved_database_url)
    return signals


def _snapshot_file(p: Platform, ref: str) -> tuple[Path, str]:
    """The registered snapshot's file, verified on load (the index stays cached)."""
    path = resolve_snapshot_path(ref, p.settings.snapshot_dir)
    snapshot_id = cached_index(path).snapshot_id
    with p.db.transaction() as s:
        get_or_404(s, SnapshotRecord, snapshot_id, "snapshot")
    return path, snapshot_id


def _record(
    p: Platform,
    actor: Actor,
    kind: str,
    snapshot_id: str,
    started: datetime,
    output: str,
    stats: dict[str, Any],
    how: dict[str, Any],
) -> RunPublic:
    """The run (its stats also say how it ran) and its event (the counts only)."""
    finished = p.now()
    with p.db.transaction() as s:
        run = Run(
            kind=kind,
            snapshot_id=snapshot_id,
            actor_id=actor.party_id,
            started_at=started,
            finished_at=finished,
            output=output,
            stats={**stats, **how},
        )
        s.add(run)
        s.flush()
        record_event(
            s,
            at=finished,
            kind=f"{kind}.run",
            subject=f"run:{run.id}",
            actor=actor,
            payload={"snapshot_id": snapshot_id, **stats},
        )
        return RunPublic.model_validate(run)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
