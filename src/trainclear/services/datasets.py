"""Dataset versions, the models trained on them, and which contain a given work.

A developer registers each filtered dataset version: trainclear reads the filter
output (checking every shard against the run's manifest), computes the Merkle root over
the records' content hashes, a membership sketch anyone can query without the corpus,
and the difference from the parent version. The works a scan of the version found are
kept as evidence. A reservation recorded after a version was built marks it *affected*;
the next version, filtered with a newer snapshot, leaves the work out.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind, WorkType
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.ledger.manifest import Manifest, content_hash, fingerprint_bytes
from trainclear.ledger.sketch import MembershipSketch, SketchBuilder
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.inputs import sha256_file
from trainclear.pipeline.readers import read_documents
from trainclear.pipeline.report import ScanReport
from trainclear.schemas.datasets import (
    AffectedPublic,
    AffectedVersion,
    DatasetVersionCreate,
    DatasetVersionPublic,
    ModelCreate,
    ModelPublic,
    SketchAnswer,
)
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.store.models import (
    DatasetVersion,
    DatasetWork,
    ModelDataset,
    Objection,
    OptOut,
    TrainedModel,
    Work,
)


def register_version(
    p: Platform, *, actor: Actor, data: DatasetVersionCreate
) -> DatasetVersionPublic:
    """Record a filter run's output as the next version of ``data.name``."""
    require_kind(actor, PartyKind.DEVELOPER)
    folder = Path(data.folder)
    run = _filter_manifest(folder)
    manifest, sketch, characters = _read_version(folder, run)
    found = _scan_works(Path(data.scan_report)) if data.scan_report else {}
    manifest.save(p.settings.home / "datasets")
    _save_sketch(p, sketch)
    now = p.now()
    with p.db.transaction() as s:
        parent = _parent(s, actor, data)
        added, removed = _diff(p, manifest, parent)
        row = DatasetVersion(
            developer_id=actor.party_id,
            name=data.name,
            version=_next_version(s, actor, data.name),
            parent_id=parent.id if parent else None,
            manifest_root=manifest.root.hex(),
            records=len(manifest),
            added=added,
            removed=removed,
            characters=characters,
            snapshot_id=run.get("snapshot_id"),
            sketch_id=sketch.sketch_id,
            created_at=now,
        )
        s.add(row)
        s.flush()
        _add_works(s, row.id, found)
        record_event(
            s,
            at=now,
            kind="dataset.registered",
            subject=f"dataset_version:{row.id}",
            actor=actor,
            payload={
                "name": row.name,
                "version": row.version,
                "manifest_root": row.manifest_root,
                "records": row.records,
                "sketch_id": row.sketch_id,
                "parent_id": row.parent_id,
                "snapshot_id": row.snapshot_id,
                "works_found": sorted(found),
            },
        )
        return DatasetVersionPublic.model_validate(row)


def list_versions(p: Platform, *, name: str | None = None) -> list[DatasetVersionPublic]:
    with p.db.transaction() as s:
        stmt = select(DatasetVersion).order_by(DatasetVersion.id)
        if name is not None:
            stmt = stmt.where(DatasetVersion.name == name)
        return [DatasetVersionPublic.model_validate(r) for r in s.scalars(stmt)]


def get_version(p: Platform, *, version_id: int) -> DatasetVersionPublic:
    with p.db.transaction() as s:
        row = get_or_404(s, DatasetVersion, version_id, "dataset version")
        return DatasetVersionPublic.model_validate(row)


def sketch_bytes(p: Platform, *, version_id: int) -> bytes:
    """The published membership sketch of a version (content-addressed file)."""
    version = get_version(p, version_id=version_id)
    return _sketch_path(p, version.sketch_id).read_bytes()


def query_sketch(p: Platform, *, version_id: int, text: str) -> SketchAnswer:
    """Whether ``text`` (or a long enough excerpt of it) is in the version, by its sketch."""
    sketch = MembershipSketch.from_bytes(sketch_bytes(p, version_id=version_id))
    hit = sketch.query(text)
    return SketchAnswer(
        dataset_version_id=version_id,
        contains=sketch.contains(text),
        longest_chain_chars=hit.longest_chain_chars,
        covered_fraction=round(hit.covered_fraction, 4),
    )


def register_model(p: Platform, *, actor: Actor, data: ModelCreate) -> ModelPublic:
    """Register a model against the (own) dataset versions it was trained on."""
    require_kind(actor, PartyKind.DEVELOPER)
    now = p.now()
    with p.db.transaction() as s:
        for version_id in data.dataset_version_ids:
            version = get_or_404(s, DatasetVersion, version_id, "dataset version")
            if version.developer_id != actor.party_id:
                raise Forbidden("datasets.not_yours", id=version_id)
        exists = s.scalar(
            select(TrainedModel).where(
                TrainedModel.developer_id == actor.party_id, TrainedModel.name == data.name
            )
        )
        if exists is not None:
            raise Conflict("datasets.model_exists", name=data.name)
        model = TrainedModel(developer_id=actor.party_id, name=data.name, registered_at=now)
        s.add(model)
        s.flush()
        ids = sorted(set(data.dataset_version_ids))
        s.add_all(ModelDataset(model_id=model.id, dataset_version_id=i) for i in ids)
        record_event(
            s,
            at=now,
            kind="model.registered",
            subject=f"model:{model.id}",
            actor=actor,
            payload={"name": data.name, "dataset_version_ids": ids},
        )
        return ModelPublic(
            id=model.id,
            developer_id=actor.party_id,
            name=model.name,
            registered_at=now,
            dataset_version_ids=ids,
        )


def affected(p: Platform, *, work_id: int, text: str | None = None) -> AffectedPublic:
    """The dataset versions (and models) that contain a work, with the evidence.

    Evidence: ``manifest`` (the work's fingerprint is one of the version's content
    hashes: an exact copy), ``scan`` (a scan of the version found it), ``sketch`` (the
    given text lights a chain in the version's membership sketch). A version is
    *affected* when a reservation for the work was recorded after it was built.
    """
    with p.db.transaction() as s:
        work = get_or_404(s, Work, work_id, "work")
        scanned = set(
            s.scalars(select(DatasetWork.dataset_version_id).where(DatasetWork.work_id == work_id))
        )
        late = _reservation_times(s, work_id)
        versions = list(s.scalars(select(DatasetVersion).order_by(DatasetVersion.id)))
        trained = _models_by_version(s)
        fingerprint = fingerprint_bytes(work.fingerprint) if work.fingerprint else None
    out = []
    for version in versions:
        evidence = _evidence(p, version, fingerprint, version.id in scanned, text)
        if evidence:
            reasons = [ref for ref, at in late if at > version.created_at]
            out.append(
                AffectedVersion(
                    dataset_version=DatasetVersionPublic.model_validate(version),
                    evidence=evidence,
                    affected=bool(reasons),
                    late_reasons=reasons,
                    models=trained.get(version.id, []),
                )
            )
    return AffectedPublic(work_id=work_id, versions=out)


def _evidence(
    p: Platform, version: DatasetVersion, fingerprint: bytes | None, scanned: bool, text: str | None
) -> list[str]:
    found = []
    if fingerprint is not None:
        manifest = Manifest.load(p.settings.home / "datasets", version.manifest_root)
        if manifest.contains(fingerprint):
            found.append("manifest")
    if scanned:
        found.append("scan")
    if text and query_sketch(p, version_id=version.id, text=text).contains:
        found.append("sketch")
    return found


def _reservation_times(s: Session, work_id: int) -> list[tuple[str, datetime]]:
    """Opt-outs in force and standing objections for the work, with when they were made."""
    found: list[tuple[str, datetime]] = []
    opt_outs = select(OptOut).where(OptOut.work_id == work_id, OptOut.withdrawn_at.is_(None))
    for opt in s.scalars(opt_outs):
        found.append((f"opt_out:{opt.id}", opt.created_at))
    standing = ("effective", "disputed")
    objections = select(Objection).where(
        Objection.work_id == work_id, Objection.state.in_(standing)
    )
    for objection in s.scalars(objections):
        found.append((f"objection:{objection.id}", objection.filed_at))
    return found


def _models_by_version(s: Session) -> dict[int, list[int]]:
    table: dict[int, list[int]] = {}
    for link in s.scalars(select(ModelDataset).order_by(ModelDataset.model_id)):
        table.setdefault(link.dataset_version_id, []).append(link.model_id)
    return table


def _filter_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    try:
        run: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationFailed("datasets.no_manifest", path=str(path), problem=str(exc)) from None
    if run.get("format") != "trainclear-filter-manifest":
        raise ValidationFailed(
            "datasets.no_manifest", path=str(path), problem="not a filter manifest"
        )
    return run


def _read_version(folder: Path, run: dict[str, Any]) -> tuple[Manifest, MembershipSketch, int]:
    """Content hashes, sketch and characters of every kept record; shards checked first."""
    fields = FieldMap(**run["fields"])
    hashes: list[bytes] = []
    builder = SketchBuilder()
    characters = 0
    for output in run["outputs"]:
        shard = folder / output["path"]
        if sha256_file(shard) != output["sha256"]:
            raise ValidationFailed("datasets.shard_changed", path=str(shard))
        for doc in read_documents(shard, fields):
            hashes.append(content_hash(doc.text, doc.image))
            builder.add(doc.text)
            characters += len(doc.text)
    return Manifest.of(hashes), builder.finish(), characters


def _scan_works(path: Path) -> dict[int, tuple[int, int]]:
    try:
        report = ScanReport.from_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ValidationFailed("datasets.bad_scan", path=str(path), problem=str(exc)) from None
    return {w.work_id: (w.records, w.characters) for w in report.works}


def _add_works(s: Session, version_id: int, found: dict[int, tuple[int, int]]) -> None:
    """The works found, with what the scan measured. A record carries at most one image,
    so the images of an image work used are the records that matched it."""
    types: dict[int, str] = {}
    if found:
        rows = s.execute(select(Work.id, Work.type).where(Work.id.in_(found)))
        types = {r.id: r.type for r in rows}
    s.add_all(
        DatasetWork(
            dataset_version_id=version_id,
            work_id=w,
            records=r,
            characters=c,
            images=r if types[w] == WorkType.IMAGE else 0,
        )
        for w, (r, c) in sorted(found.items())
        if w in types
    )


def _parent(s: Session, actor: Actor, data: DatasetVersionCreate) -> DatasetVersion | None:
    if data.parent_id is None:
        return None
    parent = get_or_404(s, DatasetVersion, data.parent_id, "dataset version")
    if parent.developer_id != actor.party_id:
        raise Forbidden("datasets.not_yours", id=parent.id)
    if parent.name != data.name:
        raise ValidationFailed("datasets.parent_name", parent=parent.name, name=data.name)
    return parent


def _next_version(s: Session, actor: Actor, name: str) -> int:
    latest = s.scalar(
        select(func.max(DatasetVersion.version)).where(
            DatasetVersion.developer_id == actor.party_id, DatasetVersion.name == name
        )
    )
    return int(latest or 0) + 1


def _diff(p: Platform, manifest: Manifest, parent: DatasetVersion | None) -> tuple[int, int]:
    if parent is None:
        return len(manifest), 0
    return manifest.diff(Manifest.load(p.settings.home / "datasets", parent.manifest_root))


def _save_sketch(p: Platform, sketch: MembershipSketch) -> None:
    path = _sketch_path(p, sketch.sketch_id)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(sketch.to_bytes())
        tmp.replace(path)


def _sketch_path(p: Platform, sketch_id: str) -> Path:
    return p.settings.home / "sketches" / f"{sketch_id}.sketch"
