"""Dataset versions, their membership sketches, models, and which contain a work."""

from __future__ import annotations

from fastapi import APIRouter, Response

from trainclear.schemas.datasets import (
    AffectedPublic,
    DatasetVersionCreate,
    DatasetVersionPublic,
    ModelCreate,
    ModelPublic,
    SketchAnswer,
    SketchQuery,
)
from trainclear.services import datasets as svc
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["datasets"])


@router.post("/datasets", status_code=201)
def register_version(
    p: PlatformDep, actor: CurrentActor, data: DatasetVersionCreate
) -> DatasetVersionPublic:
    """Register a filter run's output folder (on the server) as a dataset version."""
    return svc.register_version(p, actor=actor, data=data)


@router.get("/datasets")
def list_versions(p: PlatformDep, name: str | None = None) -> list[DatasetVersionPublic]:
    return svc.list_versions(p, name=name)


@router.get("/datasets/{version_id}")
def get_version(p: PlatformDep, version_id: int) -> DatasetVersionPublic:
    return svc.get_version(p, version_id=version_id)


@router.get(
    "/datasets/{version_id}/sketch",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def sketch(p: PlatformDep, version_id: int) -> Response:
    """The membership sketch, to test texts offline (see docs/provenance.md)."""
    data = svc.sketch_bytes(p, version_id=version_id)
    return Response(data, media_type="application/octet-stream")


@router.post("/datasets/{version_id}/query")
def query(p: PlatformDep, version_id: int, data: SketchQuery) -> SketchAnswer:
    """Is this text (or a 300+ character excerpt of it) in the version?"""
    return svc.query_sketch(p, version_id=version_id, text=data.text)


@router.post("/models", status_code=201)
def register_model(p: PlatformDep, actor: CurrentActor, data: ModelCreate) -> ModelPublic:
    return svc.register_model(p, actor=actor, data=data)


@router.get("/works/{work_id}/affected")
def affected(p: PlatformDep, work_id: int) -> AffectedPublic:
    """Dataset versions and models containing the work (manifest and scan evidence)."""
    return svc.affected(p, work_id=work_id)


@router.post("/works/{work_id}/affected")
def affected_by_text(p: PlatformDep, work_id: int, data: SketchQuery) -> AffectedPublic:
    """As the GET, plus sketch evidence for the work's text (not stored)."""
    return svc.affected(p, work_id=work_id, text=data.text)
