"""Opt-outs (rights reservations)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from trainclear.domain import OptOutScope, Purpose


class OptOutCreate(BaseModel):
    scope: OptOutScope
    work_id: int | None = None
    holder_id: int | None = None
    target: str | None = Field(default=None, description="URL prefix or domain", max_length=1000)
    purpose: Purpose = Purpose.AI_TRAINING
    effective_from: datetime | None = Field(default=None, description="default: now")


class OptOutPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    scope: OptOutScope
    work_id: int | None
    holder_id: int | None
    target: str | None
    purpose: Purpose
    source: str
    objection_id: int | None
    declared_by: int
    effective_from: datetime
    created_at: datetime
    withdrawn_at: datetime | None
    withdrawn_by: int | None
