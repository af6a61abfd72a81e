"""Scan and filter runs over a corpus, each recorded with the snapshot it used.

The corpus engine (:mod:`trainclear.pipeline`) does the work without a database; these
services verify the snapshot, run the engine, and record the run and its event so a
rights holder can later prove which exclusion set a dataset was built with.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from trainclear.domain import Actor
from trainclear.pipeline import FieldMap, FilterResult, OnError, Progress, ScanReport, SnapshotIndex
from trainclear.pipeline import run_filter as filter_engine
from trainclear.pipeline import scan as scan_engine
from trainclear.schemas.snapshots import RunPublic
from trainclear.services.platform import Platform, get_or_404, record_event
from trainclear.snapshot.files import load_snapshot
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
) -> ScanOutcome:
    """Scan shards for registered works; optionally write the report (for a notice)."""
    started = p.now()
    index, snapshot_id = _index(p, snapshot)
    report = scan_engine(inputs, index, fields, on_error, progress=progress, now=started)
    if report_path is not None:
        _write_atomic(report_path, report.to_json())
    stats = {"works_found": len(report.works), "records": report.totals.records}
    run = _record(p, actor, "scan", snapshot_id, started, str(report_path or ""), stats)
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
) -> FilterOutcome:
    """Write filtered shards, the exclusion report and the manifest; record the run."""
    started = p.now()
    index, snapshot_id = _index(p, snapshot)
    result = filter_engine(
        inputs,
        out_dir,
        index,
        snapshot_id=snapshot_id,
        fields=fields,
        on_error=on_error,
        now=started,
        progress=progress,
    )
    stats = {"kept": result.kept, "excluded": result.excluded, "skipped": result.skipped}
    run = _record(p, actor, "filter", snapshot_id, started, str(out_dir), stats)
    return FilterOutcome(result, run)


def list_runs(p: Platform, *, snapshot_id: str | None = None) -> list[RunPublic]:
    """Recorded runs, newest first."""
    with p.db.transaction() as s:
        stmt = select(Run).order_by(Run.id.desc())
        if snapshot_id is not None:
            stmt = stmt.where(Run.snapshot_id == snapshot_id)
        return [RunPublic.model_validate(r) for r in s.scalars(stmt)]


def _index(p: Platform, ref: str) -> tuple[SnapshotIndex, str]:
    snapshot = load_snapshot(ref, p.settings.snapshot_dir)
    with p.db.transaction() as s:
        get_or_404(s, SnapshotRecord, snapshot.id, "snapshot")
    return SnapshotIndex(snapshot), snapshot.id


def _record(
    p: Platform,
    actor: Actor,
    kind: str,
    snapshot_id: str,
    started: datetime,
    output: str,
    stats: dict[str, Any],
) -> RunPublic:
    finished = p.now()
    with p.db.transaction() as s:
        run = Run(
            kind=kind,
            snapshot_id=snapshot_id,
            actor_id=actor.party_id,
            started_at=started,
            finished_at=finished,
            output=output,
            stats=stats,
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
