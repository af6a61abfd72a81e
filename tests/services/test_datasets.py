"""Dataset versions, models and the affected query, end to end through real filter runs."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.services.conftest import World
from trainclear.clock import FixedClock
from trainclear.domain import OptOutScope
from trainclear.errors import Forbidden, ValidationFailed
from trainclear.schemas.datasets import DatasetVersionCreate, ModelCreate
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.snapshots import SnapshotExport
from trainclear.schemas.works import WorkCreate
from trainclear.services import datasets, log, runs
from trainclear.services.optouts import declare_opt_out
from trainclear.services.platform import Platform
from trainclear.services.snapshots import export_snapshot
from trainclear.services.works import register_work


@pytest.fixture
def book(shared_dir: Path) -> str:
    return (shared_dir / "data/texts/dev/en/strange-case-of-dr-jekyll-and-mr-hyde.txt").read_text(
        encoding="utf-8"
    )[:20_000]


def _corpus(tmp_path: Path, book: str, shared_dir: Path) -> Path:
    other = (shared_dir / "data/texts/dev/en/pride-and-prejudice.txt").read_text("utf-8")
    records = [{"id": "book", "text": book, "url": "https://books.example/jekyll"}]
    records += [{"id": f"p{i}", "text": other[i * 3000 : (i + 1) * 3000]} for i in range(5)]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _version(
    platform: Platform, world: World, corpus: Path, out: Path, parent: int | None = None
) -> int:
    snapshot = export_snapshot(platform, actor=world.dev.actor, data=SnapshotExport())
    actor = world.dev.actor
    runs.run_filter(platform, actor=actor, snapshot=snapshot.id, inputs=[corpus], out_dir=out)
    report = out.parent / f"{out.name}-scan.json"
    runs.run_scan(
        platform, actor=actor, snapshot=snapshot.id, inputs=[out / corpus.name], report_path=report
    )
    data = DatasetVersionCreate(
        name="web-en", folder=str(out), parent_id=parent, scan_report=str(report)
    )
    return datasets.register_version(platform, actor=actor, data=data).id


def test_versions_chain_and_a_late_opt_out_marks_what_contains_the_work(
    platform: Platform, world: World, clock: FixedClock, tmp_path: Path, book: str, shared_dir: Path
) -> None:
    work = register_work(
        platform, actor=world.alice.actor, data=WorkCreate(title="Jekyll", text=book)
    )
    corpus = _corpus(tmp_path, book, shared_dir)
    first = _version(platform, world, corpus, tmp_path / "v1")
    model = datasets.register_model(
        platform, actor=world.dev.actor, data=ModelCreate(name="m-1", dataset_version_ids=[first])
    )
    found = datasets.affected(platform, work_id=work.id, text=book[5000:7000])
    [entry] = found.versions
    assert entry.dataset_version.id == first
    assert entry.evidence == ["manifest", "scan", "sketch"]
    assert (entry.affected, entry.models) == (False, [model.id])

    clock.advance(timedelta(days=1))
    opt_out = declare_opt_out(
        platform,
        actor=world.alice.actor,
        data=OptOutCreate(scope=OptOutScope.WORK, work_id=work.id),
    )
    [entry] = datasets.affected(platform, work_id=work.id).versions
    assert entry.affected is True
    assert entry.late_reasons == [f"opt_out:{opt_out.id}"]

    clock.advance(timedelta(days=1))
    second = _version(platform, world, corpus, tmp_path / "v2", parent=first)
    v2 = datasets.get_version(platform, version_id=second)
    assert (v2.version, v2.parent_id, v2.records, v2.added, v2.removed) == (2, first, 5, 0, 1)
    assert [
        v.dataset_version.id for v in datasets.affected(platform, work_id=work.id).versions
    ] == [first]
    kinds = [
        r.kind
        for r in log.entries(platform, start=0, end=log.current_head(platform).head.tree_size)
    ]
    assert kinds.count("dataset.registered") == 2
    assert "model.registered" in kinds


def test_anyone_can_test_membership_with_the_sketch_alone(
    platform: Platform, world: World, tmp_path: Path, book: str, shared_dir: Path
) -> None:
    first = _version(platform, world, _corpus(tmp_path, book, shared_dir), tmp_path / "v1")
    assert datasets.query_sketch(platform, version_id=first, text=book[:1500]).contains
    stranger = (shared_dir / "data/texts/dev/en/dracula.txt").read_text("utf-8")[:5000]
    assert not datasets.query_sketch(platform, version_id=first, text=stranger).contains
    size = len(datasets.sketch_bytes(platform, version_id=first))
    assert size < 0.05 * (len(book) + 15_000)


def test_only_the_owner_builds_on_or_trains_from_a_version(
    platform: Platform,
    world: World,
    make_party: object,
    tmp_path: Path,
    book: str,
    shared_dir: Path,
) -> None:
    first = _version(platform, world, _corpus(tmp_path, book, shared_dir), tmp_path / "v1")
    with pytest.raises(Forbidden):
        datasets.register_model(
            platform,
            actor=world.alice.actor,
            data=ModelCreate(name="x", dataset_version_ids=[first]),
        )


def test_a_changed_shard_is_refused(
    platform: Platform, world: World, tmp_path: Path, book: str, shared_dir: Path
) -> None:
    corpus = _corpus(tmp_path, book, shared_dir)
    _version(platform, world, corpus, tmp_path / "v1")
    shard = tmp_path / "v1" / corpus.name
    shard.write_text(shard.read_text("utf-8") + '{"id": "smuggled", "text": "x"}\n', "utf-8")
    data = DatasetVersionCreate(name="web-en", folder=str(tmp_path / "v1"))
    with pytest.raises(ValidationFailed) as caught:
        datasets.register_version(platform, actor=world.dev.actor, data=data)
    assert caught.value.key == "datasets.shard_changed"
