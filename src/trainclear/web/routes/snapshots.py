"""Exclusion snapshots: export (registry or one closed notice), list, fetch the file.

Snapshot files are content-addressed and immutable, so the file is served with a
strong ETag and cached forever. The server's file path is left out of the JSON.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from trainclear.schemas.snapshots import SnapshotExport, SnapshotPublic
from trainclear.services import snapshots as svc
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["snapshots"])

_HIDE_PATH = {"path"}


@router.post("/snapshots", status_code=201, response_model_exclude=_HIDE_PATH)
def export_snapshot(p: PlatformDep, actor: CurrentActor, data: SnapshotExport) -> SnapshotPublic:
    """Export the registry's exclusion set now, or a closed notice's (with its objections)."""
    return svc.export_snapshot(p, actor=actor, data=data)


@router.get("/snapshots", response_model_exclude={"__all__": _HIDE_PATH})
def list_snapshots(p: PlatformDep) -> list[SnapshotPublic]:
    return svc.list_snapshots(p)


@router.get("/snapshots/{snapshot_id}", response_model_exclude=_HIDE_PATH)
def get_snapshot(p: PlatformDep, snapshot_id: str) -> SnapshotPublic:
    return svc.get_snapshot(p, snapshot_id=snapshot_id)


@router.get(
    "/snapshots/{snapshot_id}/file",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}, "description": "the snapshot file"}},
)
def snapshot_file(p: PlatformDep, snapshot_id: str) -> Response:
    """The snapshot file, re-verified against its id before it is served.

    The registry record is looked up first so an unknown id is a plain 404 that does
    not name server paths.
    """
    record = svc.get_snapshot(p, snapshot_id=snapshot_id)
    snapshot = svc.verify_snapshot(p, snapshot_id=record.id)
    return Response(
        snapshot.canonical_bytes(),
        media_type="application/json",
        headers={
            "ETag": f'"{record.id}"',
            "Cache-Control": "public, max-age=31536000, immutable",
            "Content-Disposition": f'attachment; filename="{record.id}.json"',
        },
    )
