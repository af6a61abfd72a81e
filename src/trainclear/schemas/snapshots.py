"""Snapshots and runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from trainclear.domain import Purpose


class SnapshotExport(BaseModel):
    notice_id: int | None = None
    purpose: Purpose | None = None
    """For a registry snapshot (default: generative AI training); a notice uses its own."""
    strict: bool = False
    """Build the denser text index that finds excerpts of 300+ characters."""


class SnapshotPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    scope: str
    notice_id: int | None
    purpose: Purpose
    as_of: datetime
    created_at: datetime
    works_count: int
    excluded_count: int
    url_rules_count: int
    path: str = ""


class DeltaPublic(BaseModel):
    """A delta written after a base snapshot (picked up by running pipelines)."""

    base: str
    seq: int
    as_of: datetime
    works_changed: int
    url_rules: int
    path: str


class RunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    snapshot_id: str
    actor_id: int
    started_at: datetime
    finished_at: datetime
    output: str
    stats: dict[str, Any]
