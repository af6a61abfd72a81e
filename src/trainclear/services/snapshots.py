"""Exporting exclusion snapshots from the registry (snapshot format v0).

A registry snapshot holds every opt-out in force now and the CMO mandates whose
stance is opted out. A notice snapshot adds the notice series' objections (effective
or still disputed). Both apply the use's purpose: a generative-only reservation does
not exclude a non-generative use. A notice snapshot can only be taken once the window
has closed, and includes every opt-out filed since, so late objections reach every
future dataset version (fail closed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from trainclear.domain import Actor, NoticeState, OptOutScope, Purpose, Stance, reservation_applies
from trainclear.errors import Conflict
from trainclear.fingerprint.textindex import DEFAULT
from trainclear.pipeline.loading import open_index as open_snapshot_index
from trainclear.schemas.snapshots import DeltaPublic, SnapshotExport, SnapshotPublic
from trainclear.services.lifecycle import advance
from trainclear.services.notice_views import EXCLUDING
from trainclear.services.notices import latest_version
from trainclear.services.optouts import opt_outs_in_force
from trainclear.services.platform import Platform, get_or_404, record_event
from trainclear.snapshot.delta import changed_works, write_delta
from trainclear.snapshot.files import load_snapshot, resolve_snapshot_path, write_snapshot
from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork, UrlRule, UrlRuleKind
from trainclear.store.models import Notice, Objection, OptOut, SnapshotRecord, Work, WorkText

Reasons = dict[int, list[Reason]]


def export_snapshot(p: Platform, *, actor: Actor, data: SnapshotExport) -> SnapshotPublic:
    """Build, write and record a snapshot of the registry or of one notice."""
    now = p.now()
    with p.db.transaction() as s:
        notice = _closed_notice(s, p, data.notice_id) if data.notice_id is not None else None
        purpose = (
            Purpose(notice.purpose) if notice else data.purpose or Purpose.GENERATIVE_AI_TRAINING
        )
        snapshot = build_snapshot(s, at=now, purpose=purpose, notice=notice)
        params = DEFAULT.strict() if data.strict else DEFAULT
        samples = text_samples(s, params.sample_bits)
        path = write_snapshot(snapshot, p.settings.snapshot_dir, samples, params)
        record = s.get(SnapshotRecord, path.name) or _record(s, path.name, snapshot, actor, now)
        record_event(
            s,
            at=now,
            kind="snapshot.exported",
            subject=f"snapshot:{path.name}",
            actor=actor,
            payload={
                "scope": snapshot.scope,
                "notice_id": snapshot.notice_id,
                "purpose": purpose,
                "excluded": record.excluded_count,
            },
        )
        return _public(record, str(path))


def export_delta(p: Platform, *, actor: Actor, base_id: str) -> DeltaPublic:
    """Record what changed since snapshot ``base_id`` (and its earlier deltas) as a delta."""
    now = p.now()
    base_path = resolve_snapshot_path(base_id, p.settings.snapshot_dir)
    previous = open_snapshot_index(base_path)
    with p.db.transaction() as s:
        base = load_snapshot(str(base_path), p.settings.snapshot_dir, verify=False)
        notice = s.get(Notice, base.notice_id) if base.notice_id is not None else None
        current = build_snapshot(s, at=now, purpose=Purpose(base.purpose), notice=notice)
        before = Snapshot(base.scope, base.purpose, base.as_of, tuple(previous.works.values()))
        new_ids = {w.work_id for w in current.works} - {w.work_id for w in base.works}
        bits = previous.params.sample_bits
        text = {w: (k, pos) for w, k, pos in text_samples(s, bits, new_ids)}
        path = write_delta(base_path, base_path.name, current, before, text)
        seq = int(path.stem)
        changed = len(changed_works(before, current))
        record_event(
            s,
            at=now,
            kind="snapshot.delta",
            subject=f"snapshot:{base_path.name}",
            actor=actor,
            payload={"seq": seq, "works_changed": changed},
        )
    return DeltaPublic(
        base=base_path.name,
        seq=seq,
        as_of=now,
        works_changed=changed,
        url_rules=len(current.url_rules),
        path=str(path),
    )


def get_snapshot(p: Platform, *, snapshot_id: str) -> SnapshotPublic:
    with p.db.transaction() as s:
        record = get_or_404(s, SnapshotRecord, snapshot_id, "snapshot")
        return _public(record, str(p.settings.snapshot_dir / record.id))


def list_snapshots(p: Platform) -> list[SnapshotPublic]:
    with p.db.transaction() as s:
        rows = s.scalars(select(SnapshotRecord).order_by(SnapshotRecord.created_at.desc()))
        return [_public(r, str(p.settings.snapshot_dir / r.id)) for r in rows]


def verify_snapshot(p: Platform, *, snapshot_id: str) -> Snapshot:
    """Reload a snapshot file and check its content still hashes to its id."""
    return load_snapshot(snapshot_id, p.settings.snapshot_dir)


def build_snapshot(
    s: Session, *, at: datetime, purpose: Purpose, notice: Notice | None = None
) -> Snapshot:
    """The exclusion state of the registry at ``at`` for a use with ``purpose``."""
    reasons: Reasons = defaultdict(list)
    works = s.scalars(
        select(Work)
        .options(selectinload(Work.identifiers), selectinload(Work.holders))
        .order_by(Work.id)
    ).all()
    texts = {
        row.work_id: row
        for row in s.execute(select(WorkText.work_id, WorkText.length, WorkText.folded_length))
    }
    rules = _apply_opt_outs(s, at, purpose, works, reasons)
    for work in works:
        if work.cmo_stance == Stance.OPTED_OUT:
            reasons[work.id].append(Reason("cmo_opted_out", f"work:{work.id}"))
    if notice is not None:
        _apply_objections(s, notice, reasons)
    meta: dict[str, object] = {}
    if notice is not None:
        meta = {
            "series_id": notice.series_id,
            "version": notice.version,
            "window_end": notice.window_end.isoformat() if notice.window_end else None,
        }
    return Snapshot(
        scope="notice" if notice else "registry",
        purpose=str(purpose),
        as_of=at.isoformat(),
        notice_id=notice.id if notice else None,
        url_rules=tuple(rules),
        meta=meta,
        works=tuple(
            SnapshotWork(
                work_id=w.id,
                title=w.title,
                fingerprint=w.fingerprint,
                identifiers=tuple((i.scheme, i.value) for i in w.identifiers),
                reasons=tuple(dict.fromkeys(reasons.get(w.id, []))),
                length=texts[w.id].length if w.id in texts else None,
                folded_length=texts[w.id].folded_length if w.id in texts else None,
                image_hash=w.image_hash,
            )
            for w in works
        ),
    )


def text_samples(
    s: Session, sample_bits: int, work_ids: set[int] | None = None
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Registered text works' sampled n-grams at ``sample_bits`` (all works, or
    ``work_ids``), streamed from the registry."""
    query = select(WorkText).order_by(WorkText.work_id)
    if work_ids is not None:
        query = query.where(WorkText.work_id.in_(sorted(work_ids)))
    for row in s.scalars(query.execution_options(yield_per=1000)):
        keys = np.frombuffer(row.keys, "<u4")
        levels = np.frombuffer(row.levels, np.uint8)
        keep = (levels >> np.uint8(8 - sample_bits)) == 0
        yield row.work_id, keys[keep], np.frombuffer(row.positions, "<u4")[keep]


def _apply_opt_outs(
    s: Session, at: datetime, purpose: Purpose, works: Sequence[Work], reasons: Reasons
) -> list[UrlRule]:
    rules: list[UrlRule] = []
    for opt in opt_outs_in_force(s, at):
        if not reservation_applies(Purpose(opt.purpose), purpose):
            continue
        reason = Reason("opt_out", f"opt_out:{opt.id}")
        if opt.scope == OptOutScope.WORK and opt.work_id is not None:
            reasons[opt.work_id].append(reason)
        elif opt.scope == OptOutScope.HOLDER:
            for work in _holder_scope(opt, works):
                reasons[work.id].append(reason)
        elif opt.target is not None:
            kind: UrlRuleKind = "prefix" if opt.scope == OptOutScope.URL_PREFIX else "domain"
            rules.append(UrlRule(kind, opt.target, reason))
    return rules


def _holder_scope(opt: OptOut, works: Sequence[Work]) -> Iterator[Work]:
    """The works a holder-wide opt-out covers: all the holder's works when the holder
    declared it, only those under the declaring CMO's mandate when a CMO did."""
    by_cmo = opt.declared_by != opt.holder_id
    for work in works:
        held = any(h.holder_id == opt.holder_id for h in work.holders)
        if held and (not by_cmo or work.cmo_id == opt.declared_by):
            yield work


def _apply_objections(s: Session, notice: Notice, reasons: Reasons) -> None:
    objections = s.scalars(
        select(Objection).where(
            Objection.series_id == notice.series_id, Objection.state.in_(EXCLUDING)
        )
    )
    for obj in objections:
        code = "disputed" if obj.state == "disputed" else "objection"
        reasons[obj.work_id].append(Reason(code, f"objection:{obj.id}"))


def _closed_notice(s: Session, p: Platform, notice_id: int) -> Notice:
    notice = get_or_404(s, Notice, notice_id, "notice")
    if notice.superseded_by is not None and notice.series_id is not None:
        notice = latest_version(s, notice.series_id)
    advance(s, p, notice)
    if notice.state not in (NoticeState.CLOSED, NoticeState.EFFECTIVE):
        if notice.state == NoticeState.OPEN and notice.window_end is not None:
            raise Conflict("notice.window_open", id=notice_id, until=notice.window_end.isoformat())
        raise Conflict(
            "notice.state", id=notice_id, state=notice.state, expected="closed / effective"
        )
    return notice


def _record(
    s: Session, snapshot_id: str, snapshot: Snapshot, actor: Actor, now: datetime
) -> SnapshotRecord:
    """Record a written snapshot; its id (the folder's name) also covers the index files."""
    record = SnapshotRecord(
        id=snapshot_id,
        scope=snapshot.scope,
        notice_id=snapshot.notice_id,
        purpose=snapshot.purpose,
        as_of=now,
        created_at=now,
        created_by=actor.party_id,
        works_count=len(snapshot.works),
        excluded_count=len(snapshot.excluded_works),
        url_rules_count=len(snapshot.url_rules),
    )
    s.add(record)
    s.flush()
    return record


def _public(record: SnapshotRecord, path: str) -> SnapshotPublic:
    public = SnapshotPublic.model_validate(record)
    public.path = path
    return public
