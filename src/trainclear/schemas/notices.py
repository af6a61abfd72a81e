"""Notices (公告), their works, objections and disputes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from trainclear.domain import DisputeState, NoticeState, ObjectionState, Purpose


class NoticeWorkIn(BaseModel):
    work_id: int
    records: int = Field(default=0, ge=0)
    characters: int = Field(default=0, ge=0)


class NoticeCreate(BaseModel):
    purpose: Purpose = Purpose.GENERATIVE_AI_TRAINING
    model: str = Field(min_length=1, max_length=500)
    works: list[NoticeWorkIn] = Field(default_factory=list)
    other_sources: str = ""
    remuneration: str = ""
    scan_snapshot_id: str | None = None


class NoticePublish(BaseModel):
    window_start: datetime | None = Field(default=None, description="default: now")
    window_end: datetime | None = Field(default=None, description="default: start + minimum")
    tariff_code: str | None = Field(
        default=None, max_length=64, description="the tariff named as remuneration standard"
    )
    tariff_cmo_id: int | None = Field(
        default=None, description="the tariff's CMO; needed only when CMOs share the code"
    )


class NoticeAmend(BaseModel):
    add_works: list[NoticeWorkIn] = Field(default_factory=list)
    remove_works: list[int] = Field(default_factory=list)
    model: str | None = None
    other_sources: str | None = None
    remuneration: str | None = None
    window_end: datetime | None = Field(default=None, description="window end for added works")


class NoticeWorkPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    work_id: int
    title: str
    added_in_version: int
    window_start: datetime | None
    window_end: datetime | None
    records: int
    characters: int
    excluded: bool
    """Excluded from this notice by an objection (effective or disputed)."""


class NoticePublic(BaseModel):
    id: int
    series_id: int
    version: int
    developer_id: int
    state: NoticeState
    purpose: Purpose
    model: str
    other_sources: str
    remuneration: str
    scan_snapshot_id: str | None
    window_start: datetime | None
    window_end: datetime | None
    created_at: datetime
    published_at: datetime | None
    closed_at: datetime | None
    effective_at: datetime | None
    withdrawn_at: datetime | None
    superseded_by: int | None
    works: list[NoticeWorkPublic]
    objections: int
    tariff_code: str | None = None
    """The tariff (付酬标准) the notice names: a code of the CMO ``tariff_cmo_id``."""
    tariff_cmo_id: int | None = None


class ObjectionCreate(BaseModel):
    work_ids: list[int] | None = Field(
        default=None, description="works to object to; omitted = every work you hold in it"
    )
    reason: str = ""


class ObjectionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    notice_id: int
    series_id: int
    work_id: int
    objector_id: int
    filed_at: datetime
    in_window: bool
    reason: str
    state: ObjectionState
    opt_out_id: int | None


class DisputeCreate(BaseModel):
    objection_id: int
    grounds: str = Field(min_length=1)


class DisputeDecision(BaseModel):
    outcome: DisputeState
    decision: str = Field(min_length=1)


class DisputePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    objection_id: int
    developer_id: int
    grounds: str
    filed_at: datetime
    decide_by: datetime
    state: DisputeState
    decided_at: datetime | None
    decided_by: int | None
    decision: str
