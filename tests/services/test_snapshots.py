"""Snapshot export: what a registry or notice snapshot excludes, and its immutability."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from tests.services.conftest import World
from trainclear.clock import FixedClock
from trainclear.domain import OptOutScope, Purpose, Stance
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.schemas.notices import DisputeCreate, NoticePublish, ObjectionCreate
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.snapshots import SnapshotExport
from trainclear.schemas.works import MandateUpdate
from trainclear.services.disputes import contest_objection
from trainclear.services.notices import publish_notice
from trainclear.services.objections import file_objection
from trainclear.services.optouts import declare_opt_out, withdraw_opt_out
from trainclear.services.platform import Platform
from trainclear.services.snapshots import export_snapshot, verify_snapshot
from trainclear.services.works import set_mandate
from trainclear.snapshot.model import Snapshot

DAY = timedelta(days=1)


def _export(platform: Platform, world: World, **kw: object) -> Snapshot:
    public = export_snapshot(platform, actor=world.dev.actor, data=SnapshotExport(**kw))
    return verify_snapshot(platform, snapshot_id=public.id)


def _reasons(snapshot: Snapshot) -> dict[int, set[str]]:
    return {w.work_id: {r.code for r in w.reasons} for w in snapshot.excluded_works}


def test_registry_snapshot_lists_every_work_and_excludes_opt_outs(
    platform: Platform, world: World
) -> None:
    declare_opt_out(
        platform,
        actor=world.alice.actor,
        data=OptOutCreate(scope=OptOutScope.WORK, work_id=world.work_a),
    )
    declare_opt_out(
        platform,
        actor=world.bob.actor,
        data=OptOutCreate(scope=OptOutScope.DOMAIN, target="bob.example"),
    )
    snapshot = _export(platform, world)
    assert {w.work_id for w in snapshot.works} == {world.work_a, world.work_b, world.work_shared}
    assert _reasons(snapshot) == {world.work_a: {"opt_out"}}
    assert [(r.kind, r.value) for r in snapshot.url_rules] == [("domain", "bob.example")]


def test_holder_opt_out_covers_co_owned_works(platform: Platform, world: World) -> None:
    declare_opt_out(platform, actor=world.bob.actor, data=OptOutCreate(scope=OptOutScope.HOLDER))
    assert set(_reasons(_export(platform, world))) == {world.work_b, world.work_shared}


def test_purpose_decides_whether_a_reservation_applies(platform: Platform, world: World) -> None:
    declare_opt_out(
        platform,
        actor=world.alice.actor,
        data=OptOutCreate(
            scope=OptOutScope.WORK, work_id=world.work_a, purpose=Purpose.GENERATIVE_AI_TRAINING
        ),
    )
    assert world.work_a in _reasons(_export(platform, world))
    assert _reasons(_export(platform, world, purpose=Purpose.AI_TRAINING)) == {}


def test_withdrawn_opt_out_no_longer_excludes(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    opt = declare_opt_out(
        platform,
        actor=world.alice.actor,
        data=OptOutCreate(scope=OptOutScope.WORK, work_id=world.work_a),
    )
    clock.advance(DAY)
    withdraw_opt_out(platform, actor=world.alice.actor, opt_out_id=opt.id)
    assert _reasons(_export(platform, world)) == {}


def test_cmo_opted_out_stance_excludes(platform: Platform, world: World) -> None:
    set_mandate(
        platform,
        actor=world.cmo.actor,
        work_id=world.work_b,
        data=MandateUpdate(cmo_id=world.cmo.id, cmo_stance=Stance.OPTED_OUT),
    )
    assert _reasons(_export(platform, world)) == {world.work_b: {"cmo_opted_out"}}


def test_notice_snapshot_waits_for_the_window_and_keeps_disputed_works_out(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    draft = world.draft(platform, world.work_a, world.work_b)
    notice = publish_notice(
        platform, actor=world.dev.actor, notice_id=draft.id, data=NoticePublish()
    )
    [obj] = file_objection(
        platform, actor=world.alice.actor, notice_id=notice.id, data=ObjectionCreate()
    )
    contest_objection(
        platform, actor=world.dev.actor, data=DisputeCreate(objection_id=obj.id, grounds="g")
    )
    with pytest.raises(Conflict) as err:
        _export(platform, world, notice_id=notice.id)
    assert err.value.key == "notice.window_open"
    clock.advance(30 * DAY)
    snapshot = _export(platform, world, notice_id=notice.id)
    assert snapshot.scope == "notice"
    assert snapshot.notice_id == notice.id
    assert _reasons(snapshot) == {world.work_a: {"disputed"}}
    assert _reasons(_export(platform, world)) == {}  # in-window objections bind one notice


def test_same_state_gives_the_same_id(platform: Platform, world: World) -> None:
    first = export_snapshot(platform, actor=world.dev.actor, data=SnapshotExport())
    second = export_snapshot(platform, actor=world.dev.actor, data=SnapshotExport())
    assert first.id == second.id
    assert Path(first.path).name == first.id


def test_tampered_snapshot_file_is_rejected(platform: Platform, world: World) -> None:
    public = export_snapshot(platform, actor=world.dev.actor, data=SnapshotExport())
    path = Path(public.path) / "snapshot.json"
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes().replace(b'"Alpha"', b'"Alpha!"'))
    with pytest.raises(ValidationFailed) as err:
        verify_snapshot(platform, snapshot_id=public.id)
    assert err.value.key == "snapshot.corrupt"


def test_tampered_index_file_is_rejected(platform: Platform, world: World) -> None:
    public = export_snapshot(platform, actor=world.dev.actor, data=SnapshotExport())
    [keys] = Path(public.path).glob("text-*-keys.npy")
    os.chmod(keys, 0o644)
    data = bytearray(keys.read_bytes())
    data[-1] ^= 0xFF
    keys.write_bytes(bytes(data))
    with pytest.raises(ValidationFailed) as err:
        verify_snapshot(platform, snapshot_id=public.id)
    assert err.value.key == "snapshot.corrupt"


def test_cmo_holder_opt_out_covers_only_its_mandated_works(
    platform: Platform, world: World
) -> None:
    data = OptOutCreate(scope=OptOutScope.HOLDER, holder_id=world.bob.id)
    declare_opt_out(platform, actor=world.cmo.actor, data=data)
    assert set(_reasons(_export(platform, world))) == {world.work_b}  # not the co-owned one
    with pytest.raises(Forbidden):  # the CMO holds no mandate for Alice's works
        declare_opt_out(
            platform,
            actor=world.cmo.actor,
            data=OptOutCreate(scope=OptOutScope.HOLDER, holder_id=world.alice.id),
        )


def test_snapshot_carries_the_text_index(platform: Platform, world: World) -> None:
    from trainclear.pipeline.loading import open_index

    public = export_snapshot(platform, actor=world.dev.actor, data=SnapshotExport())
    index = open_index(public.path)
    assert index.snapshot_id == public.id
    assert index.works[world.work_a].length == len("alpha text")


def test_delta_reaches_a_loaded_index_without_a_rebuild(
    platform: Platform, world: World, clock: FixedClock, shared_dir: Path
) -> None:
    from dataclasses import dataclass

    from trainclear.pipeline.loading import open_index
    from trainclear.schemas.works import WorkCreate
    from trainclear.services.snapshots import export_delta
    from trainclear.services.works import register_work

    @dataclass
    class Doc:
        text: str
        url: str | None = None
        identifiers: tuple[tuple[str, str], ...] = ()

    base = export_snapshot(platform, actor=world.dev.actor, data=SnapshotExport())
    index = open_index(base.path)
    assert not any(m.excluded for m in index.match(Doc("alpha text")))
    clock.advance(DAY)
    declare_opt_out(
        platform,
        actor=world.alice.actor,
        data=OptOutCreate(scope=OptOutScope.WORK, work_id=world.work_a),
    )
    novel = (shared_dir / "data/texts/dev/en/dracula.txt").read_text(encoding="utf-8")[:30_000]
    late = register_work(platform, actor=world.bob.actor, data=WorkCreate(title="D", text=novel))
    declare_opt_out(
        platform, actor=world.bob.actor, data=OptOutCreate(scope=OptOutScope.WORK, work_id=late.id)
    )
    delta = export_delta(platform, actor=world.dev.actor, base_id=base.id)
    assert (delta.seq, delta.works_changed) == (1, 2)
    assert index.refresh() == [1]
    assert index.refresh() == []
    assert [m.work_id for m in index.match(Doc("alpha text")) if m.excluded] == [world.work_a]
    excerpt = Doc("unrelated lead-in. " + novel[12_000:13_500] + " unrelated tail.")
    [hit] = [m for m in index.match(excerpt) if m.kind == "text"]
    assert (hit.work_id, hit.excluded) == (late.id, True)
    assert open_index(base.path).applied == [1]  # a fresh load applies existing deltas


def test_image_records_match_registered_images(
    platform: Platform, world: World, tmp_path: Path, shared_dir: Path
) -> None:
    import base64
    import io
    import json

    from PIL import Image

    from trainclear.domain import WorkType
    from trainclear.pipeline import run_filter
    from trainclear.pipeline.loading import open_index
    from trainclear.schemas.works import WorkCreate
    from trainclear.services.works import register_work

    photos = sorted((shared_dir / "data/signals/c2pa").glob("*.jpg"))
    original = photos[0].read_bytes()
    data = WorkCreate(type=WorkType.IMAGE, title="Photo", image=base64.b64encode(original).decode())
    work = register_work(platform, actor=world.alice.actor, data=data)
    declare_opt_out(
        platform,
        actor=world.alice.actor,
        data=OptOutCreate(scope=OptOutScope.WORK, work_id=work.id),
    )
    public = export_snapshot(platform, actor=world.dev.actor, data=SnapshotExport())
    smaller = io.BytesIO()
    with Image.open(io.BytesIO(original)) as image:
        image.convert("RGB").resize((image.width // 2, image.height // 2)).save(
            smaller, "JPEG", quality=60
        )
    other = next(p for p in (shared_dir / "data/signals/spec_examples/iptc").glob("*.jpg"))

    def record(rid: str, raw: bytes | None) -> str:
        body = {
            "id": rid,
            "text": "caption",
            "image": base64.b64encode(raw).decode() if raw else None,
        }
        return json.dumps(body) + "\n"

    shard = tmp_path / "images.jsonl"
    shard.write_text(
        record("copy", smaller.getvalue())
        + record("other", other.read_bytes())
        + record("none", None)
    )
    result = run_filter([shard], tmp_path / "out", open_index(public.path))
    report = [json.loads(line) for line in result.exclusions.read_text().splitlines()]
    assert [(r["id"], r["match"], r["work_id"]) for r in report] == [("copy", "image", work.id)]
