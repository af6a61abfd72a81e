"""Dataset versions, models and the affected query."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class DatasetVersionCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    folder: str
    """A filter run's output folder (with its manifest.json), on the server's disk."""
    parent_id: int | None = None
    scan_report: str | None = None
    """A scan report of the same records, naming the registered works they contain."""


class DatasetVersionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    developer_id: int
    name: str
    version: int
    parent_id: int | None
    manifest_root: str
    records: int
    added: int
    removed: int
    characters: int
    snapshot_id: str | None
    sketch_id: str
    created_at: datetime


class ModelCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    dataset_version_ids: list[int] = Field(min_length=1)


class ModelPublic(BaseModel):
    id: int
    developer_id: int
    name: str
    registered_at: datetime
    dataset_version_ids: list[int]


class SketchQuery(BaseModel):
    text: str = Field(min_length=1, max_length=5_000_000)


class SketchAnswer(BaseModel):
    dataset_version_id: int
    contains: bool
    longest_chain_chars: int
    covered_fraction: float


class AffectedVersion(BaseModel):
    dataset_version: DatasetVersionPublic
    evidence: list[str]
    """``manifest`` (an exact copy's hash), ``scan`` (a scan report) or ``sketch`` (a
    chain of hits for the text given)."""
    affected: bool
    """A reservation for the work was recorded after this version was built."""
    late_reasons: list[str]
    models: list[int]


class AffectedPublic(BaseModel):
    work_id: int
    versions: list[AffectedVersion]
