"""Helpers for the remuneration tests: dataset versions whose scan measured given usage.

A dataset version is registered the real way (a filter run's output folder and a scan
report), but the scan report is written by the test, so a version can "contain" any
measured usage without a corpus that large.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from tests.conftest import MakeParty
from tests.services.conftest import World
from trainclear.domain import Actor, PartyKind
from trainclear.pipeline.report import ScanReport, ScanTotals, WorkHits
from trainclear.schemas.datasets import DatasetVersionCreate
from trainclear.schemas.snapshots import SnapshotExport
from trainclear.schemas.tariffs import TariffCreate
from trainclear.schemas.usage import UsageLineIn, UsageReportCreate
from trainclear.services import datasets, runs, tariffs
from trainclear.services.platform import Platform
from trainclear.services.snapshots import export_snapshot
from trainclear.store.models import Event

Measured = dict[int, tuple[int, int]]
"""work id → (records, characters) the scan found (an image work's records are its images)."""


def dataset_version(
    platform: Platform,
    developer: Actor,
    measured: Measured,
    folder: Path,
    *,
    name: str = "corpus",
    notice_id: int | None = None,
) -> int:
    """Register a version filtered with a registry (or notice) snapshot, with ``measured``."""
    folder.mkdir(parents=True, exist_ok=True)
    snapshot = export_snapshot(platform, actor=developer, data=SnapshotExport(notice_id=notice_id))
    corpus = folder / f"{name}.jsonl"
    record = {"id": "r1", "text": f"An unregistered text of the {name} corpus."}
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = folder / f"{name}-filtered"
    runs.run_filter(platform, actor=developer, snapshot=snapshot.id, inputs=[corpus], out_dir=out)
    report = folder / f"{name}-scan.json"
    report.write_text(scan_report(snapshot.id, measured).to_json(), encoding="utf-8")
    data = DatasetVersionCreate(name=name, folder=str(out), scan_report=str(report))
    return datasets.register_version(platform, actor=developer, data=data).id


def scan_report(snapshot_id: str, measured: Measured) -> ScanReport:
    works = tuple(
        WorkHits(
            work_id=work_id,
            title=f"work {work_id}",
            excluded=False,
            records=records,
            characters=characters,
            kinds=("text",),
            domains={},
        )
        for work_id, (records, characters) in sorted(measured.items())
    )
    records = sum(r for r, _ in measured.values())
    totals = ScanTotals(
        shards=1,
        records=records,
        characters=sum(c for _, c in measured.values()),
        matched=records,
        excluded=0,
        skipped=0,
    )
    return ScanReport(
        snapshot_id=snapshot_id,
        created_at="2025-01-01T00:00:00+00:00",
        tool_version="test",
        inputs=(),
        totals=totals,
        works=works,
        url_rules=(),
    )


TARIFF = {
    "code": "TXT-2026",
    "title": "Text for AI training, 2026",
    "currency": "CNY",
    "effective_from": "2026-01-01",
    "effective_to": None,
    "schedules": [
        {"work_type": "text", "unit": "per_1000_chars", "tiers": [{"rate": "10"}]},
    ],
}
"""10 fen per 1,000 characters, no tiers, no minimum: easy to check by hand."""

PERIOD = "2026-01-01/2026-02-28"


@dataclass
class Market:
    """The services' world plus a tariff of its CMO and a dataset version of its developer.

    The version's scan measured work A (Alice, no CMO) 10,000 characters, work B (Bob,
    mandated to the CMO) 5,000 and the shared work (Alice 2/3, Bob 1/3, no CMO) 3,000:
    at 10 fen per 1,000 characters they owe 100, 50 and 30 fen, all to the CMO.
    """

    world: World
    tariff_id: int
    version_id: int
    rival_cmo: Actor
    rival_dev: Actor

    def lines(self, **override: int) -> list[dict[str, int]]:
        w = self.world
        characters = {w.work_a: 10_000, w.work_b: 5_000, w.work_shared: 3_000}
        for key, value in override.items():
            characters[getattr(w, key)] = value
        return [{"work_id": k, "records": 1, "characters": v} for k, v in characters.items()]

    def report_data(self, period: str = PERIOD, **override: int) -> UsageReportCreate:
        return UsageReportCreate(
            dataset_version_id=self.version_id,
            period=period,
            model="m-1",
            epochs=1,
            lines=[UsageLineIn(**line) for line in self.lines(**override)],
            tariff_code=TARIFF["code"],
        )


def open_market(platform: Platform, world: World, make_party: MakeParty, folder: Path) -> Market:
    tariff = tariffs.create_tariff(
        platform, actor=world.cmo.actor, data=TariffCreate.model_validate(TARIFF)
    )
    measured = {world.work_a: (1, 10_000), world.work_b: (1, 5_000), world.work_shared: (1, 3_000)}
    version = dataset_version(platform, world.dev.actor, measured, folder)
    return Market(
        world=world,
        tariff_id=tariff.id,
        version_id=version,
        rival_cmo=make_party(PartyKind.CMO, "Rival CMO").actor,
        rival_dev=make_party(PartyKind.DEVELOPER, "Rival developer").actor,
    )


def events(platform: Platform, kind: str | None = None) -> list[Event]:
    """The recorded events, oldest first (of one kind, if given)."""
    with platform.db.transaction() as s:
        stmt = select(Event).order_by(Event.id)
        if kind is not None:
            stmt = stmt.where(Event.kind == kind)
        return list(s.scalars(stmt))
