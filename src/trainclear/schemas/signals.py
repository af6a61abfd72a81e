"""Site-policy captures and the bulk reservation check."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from trainclear.domain import Purpose

MAX_CHECK_ITEMS = 10_000
"""URLs plus fingerprints one check request may carry."""


class CapturePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    origin: str
    kind: str
    url: str
    fetched_at: datetime
    status: int | None
    error: str | None
    sha256: str
    captured_by: int
    recorded_at: datetime


class CapturesRecorded(BaseModel):
    count: int
    ids: list[int]


class CapturesCreate(BaseModel):
    """Captures as in a captures file: one object per capture (see the user guide)."""

    captures: list[dict[str, Any]] = Field(max_length=MAX_CHECK_ITEMS)


class CheckRequest(BaseModel):
    urls: list[str] = Field(default_factory=list, max_length=MAX_CHECK_ITEMS)
    fingerprints: list[str] = Field(default_factory=list, max_length=MAX_CHECK_ITEMS)
    """Text fingerprints (``sha256:`` + hex of the folded text, see the user guide)."""
    purpose: Purpose = Purpose.GENERATIVE_AI_TRAINING
    at: datetime | None = None
    """Judge as of this moment (default: now); site policies captured later are ignored."""
    findings: bool = False
    """Return every finding, not only the deciding one."""


class CheckItem(BaseModel):
    subject: str
    """The URL or fingerprint asked about."""
    verdict: str
    """``allow``, ``disallow`` or ``unknown`` for the request's purpose."""
    complete: bool
    """False when a site-level file was never captured for the URL's origin."""
    missing: list[str] = Field(default_factory=list)
    registry: list[dict[str, Any]] = Field(default_factory=list)
    """Registry reasons (opt-outs, objections) behind a disallow."""
    deciding: dict[str, Any] | None = None
    findings: list[dict[str, Any]] | None = None


class CheckResult(BaseModel):
    purpose: Purpose
    at: datetime
    items: list[CheckItem]
