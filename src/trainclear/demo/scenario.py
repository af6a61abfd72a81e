"""The demo scenario: parties, works, opt-outs, a notice naming a tariff and its window,
objections in and after the window, a dispute, a snapshot and a filtered corpus, the dataset
version, and its usage report, invoice, distribution and a statement; clock advanced."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainclear.clock import FixedClock
from trainclear.demo.cast import Cast, register_cast
from trainclear.demo.corpus import build_corpus
from trainclear.demo.remuneration import publish_tariff, report_and_distribute
from trainclear.demo.texts import find_texts, load_texts
from trainclear.domain import DisputeState, OptOutScope, Purpose
from trainclear.errors import ValidationFailed
from trainclear.schemas.datasets import DatasetVersionCreate
from trainclear.schemas.notices import (
    DisputeCreate,
    DisputeDecision,
    NoticeCreate,
    NoticePublish,
    ObjectionCreate,
)
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.snapshots import SnapshotExport
from trainclear.services import (
    datasets,
    disputes,
    lifecycle,
    log,
    notices,
    objections,
    optouts,
    runs,
    snapshots,
)
from trainclear.services.platform import Platform
from trainclear.services.scan_reports import works_from_scan_report
from trainclear.settings import Settings
from trainclear.store.db import Database

MARKER = ".trainclear-demo"
DAY = timedelta(days=1)
Echo = Callable[[str], None]


@dataclass(frozen=True)
class DemoSummary:
    folder: Path
    notice_id: int
    works_found: int
    snapshot_id: str
    kept: int
    excluded: int
    filtered: Path
    manifest: Path
    exclusions: Path
    excluded_ids: tuple[str, ...]
    usage_report: int = 0
    distribution_run: int = 0
    paid_out: int = 0
    """Minor units (fen) the CMO's run paid to holders."""


def run_demo(folder: Path, *, texts: Path | None = None, echo: Echo = print) -> DemoSummary:
    """Run the loop in a fresh ``folder`` (a previous demo there is replaced)."""
    corpus_texts = load_texts(find_texts(texts))
    p = _fresh_platform(folder)
    clock = p.clock
    assert isinstance(clock, FixedClock)
    cast = register_cast(p, corpus_texts)
    count = len(cast.works)
    echo(f"1. registered {count} works for 4 holders and 2 CMOs / 登记作品 {count} 件")
    _declare_opt_outs(p, cast)
    echo("2. Chen Mo opted out all works; Samuel Reed opted out samreed.example / 声明选择退出")
    shards = build_corpus(folder / "corpus", corpus_texts)
    notice_id, found = _scan_and_publish(p, cast, shards, folder)
    echo(
        f"3. scanned the corpus: {found} registered works found; notice {notice_id} published, "
        f"window 30 days / 扫描语料并发布公告,公告期 30 日"
    )
    _objections_and_dispute(p, clock, cast, notice_id)
    echo(
        "4. day 3: objection to Dracula inside the window; day 4: contested; day 10: upheld "
        "/ 公告期内异议、争议及裁决"
    )
    clock.advance(21 * DAY)
    lifecycle.advance_notices(p)
    clock.advance(2 * DAY)
    objections.file_objection(
        p,
        actor=cast.samuel,
        notice_id=notice_id,
        data=ObjectionCreate(work_ids=[cast.works["jekyll"]]),
    )
    echo(
        "5. day 33: window closed; late objection to Jekyll recorded as an opt-out "
        "/ 公告期满后的异议转为选择退出"
    )
    return _snapshot_and_filter(p, cast, notice_id, found, shards, folder, echo)


def _fresh_platform(folder: Path) -> Platform:
    if folder.exists():
        if not (folder / MARKER).exists() and any(folder.iterdir()):
            problem = f"{folder} exists and is not a trainclear demo folder"
            raise ValidationFailed("invalid", field="--folder", problem=problem)
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("created by trainclear demo; safe to delete\n")
    settings = Settings(
        home=folder, database_url=f"sqlite:///{(folder / 'trainclear.db').resolve()}"
    )
    db = Database(settings.resolved_database_url)
    db.upgrade()
    start = datetime.now(UTC).replace(microsecond=0)
    return Platform(db=db, settings=settings, clock=FixedClock(start))


def _declare_opt_outs(p: Platform, cast: Cast) -> None:
    optouts.declare_opt_out(
        p,
        actor=cast.chen,
        data=OptOutCreate(scope=OptOutScope.HOLDER, purpose=Purpose.GENERATIVE_AI_TRAINING),
    )
    optouts.declare_opt_out(
        p, actor=cast.samuel, data=OptOutCreate(scope=OptOutScope.DOMAIN, target="samreed.example")
    )


def _scan_and_publish(p: Platform, cast: Cast, shards: list[Path], folder: Path) -> tuple[int, int]:
    registry = snapshots.export_snapshot(p, actor=cast.developer, data=SnapshotExport())
    report = folder / "scan-report.json"
    runs.run_scan(p, actor=cast.developer, snapshot=registry.id, inputs=shards, report_path=report)
    snapshot_id, works = works_from_scan_report(report)
    tariff = publish_tariff(p, cast)
    draft = notices.create_notice(
        p,
        actor=cast.developer,
        data=NoticeCreate(
            model="Aurora-7B 极光大模型",
            works=works,
            scan_snapshot_id=snapshot_id,
            other_sources="公开网页抓取(2026 年 1-6 月) / public web crawl, Jan-Jun 2026",
            remuneration="按 CMO 标准费率每千字付酬 / per 1,000 characters at the CMO tariff",
        ),
    )
    published = notices.publish_notice(
        p, actor=cast.developer, notice_id=draft.id, data=NoticePublish(tariff_code=tariff)
    )
    return published.id, len(works)


def _objections_and_dispute(p: Platform, clock: FixedClock, cast: Cast, notice_id: int) -> None:
    clock.advance(3 * DAY)
    [objection] = objections.file_objection(
        p,
        actor=cast.eleanor,
        notice_id=notice_id,
        data=ObjectionCreate(
            work_ids=[cast.works["dracula"]], reason="不同意用于训练 / no consent"
        ),
    )
    clock.advance(DAY)
    dispute = disputes.contest_objection(
        p,
        actor=cast.developer,
        data=DisputeCreate(
            objection_id=objection.id,
            grounds="Doubtful ownership: the edition may be public domain",
        ),
    )
    clock.advance(6 * DAY)
    disputes.decide_dispute(
        p,
        actor=cast.admin,
        dispute_id=dispute.id,
        data=DisputeDecision(
            outcome=DisputeState.OBJECTION_UPHELD, decision="权属证明充分 / ownership shown"
        ),
    )


def _snapshot_and_filter(
    p: Platform,
    cast: Cast,
    notice_id: int,
    found: int,
    shards: list[Path],
    folder: Path,
    echo: Echo,
) -> DemoSummary:
    snap = snapshots.export_snapshot(
        p, actor=cast.developer, data=SnapshotExport(notice_id=notice_id)
    )
    outcome = runs.run_filter(
        p, actor=cast.developer, snapshot=snap.id, inputs=shards, out_dir=folder / "filtered"
    )
    result = outcome.result
    excluded_ids = _excluded_ids(result.exclusions)
    echo(
        f"6. snapshot {snap.id[:12]}… excludes {snap.excluded_count} works; filter kept "
        f"{result.kept} and excluded {result.excluded} records / 快照与过滤完成"
    )
    version_id = _provenance(p, cast, snap.id, result.out_dir, echo)
    paid = report_and_distribute(p, cast, version_id, echo)
    return DemoSummary(
        folder,
        notice_id,
        found,
        snap.id,
        result.kept,
        result.excluded,
        result.out_dir,
        result.manifest,
        result.exclusions,
        excluded_ids,
        usage_report=paid.usage_report,
        distribution_run=paid.run,
        paid_out=paid.paid_out,
    )


def _provenance(p: Platform, cast: Cast, snapshot: str, out_dir: Path, echo: Echo) -> int:
    """Register the filtered corpus, with a scan of it measuring each work's usage, as a
    dataset version, and show the signed log head."""
    outputs = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    shards = [out_dir / output["path"] for output in outputs]
    report = out_dir.parent / "filtered-scan-report.json"
    runs.run_scan(p, actor=cast.developer, snapshot=snapshot, inputs=shards, report_path=report)
    data = DatasetVersionCreate(name="demo-corpus", folder=str(out_dir), scan_report=str(report))
    version = datasets.register_version(p, actor=cast.developer, data=data)
    head = log.current_head(p).head
    echo(
        f"7. dataset version {version.version} (root {version.manifest_root[:12]}…, sketch "
        f"{version.sketch_id[:12]}…); log of {head.tree_size} entries signed, root "
        f"{head.root_hash.hex()[:12]}… / 数据集版本与透明日志"
    )
    return version.id


def _excluded_ids(path: Path) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line)["id"] for line in lines if line.strip())
