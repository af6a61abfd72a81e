"""Reservation signals: the bulk check for crawlers and the site-policy captures.

``POST /v1/check`` is a read (no token needed) answering up to 10,000 URLs and
fingerprints per request from the registry and the stored captures; the server never
fetches anything on a caller's behalf. Recording captures is a write: a developer's or
the administration's token.
"""

from __future__ import annotations

from fastapi import APIRouter

from trainclear.schemas.signals import (
    CapturePublic,
    CapturesCreate,
    CapturesRecorded,
    CheckRequest,
    CheckResult,
)
from trainclear.services import checks, site_policies
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["signals"])


@router.post("/check")
def check(p: PlatformDep, data: CheckRequest) -> CheckResult:
    """May each URL / fingerprint be used for the purpose? Registry plus signals."""
    return checks.check(p, data=data)


@router.post("/site-policies", status_code=201)
def record_captures(p: PlatformDep, actor: CurrentActor, data: CapturesCreate) -> CapturesRecorded:
    """Record captured robots.txt / tdmrep.json / ai.txt / RSL licence files (all or none)."""
    return site_policies.record_capture_dicts(p, actor=actor, items=data.captures)


@router.get("/site-policies")
def list_captures(
    p: PlatformDep, origin: str | None = None, limit: int = 100
) -> list[CapturePublic]:
    """Stored captures, newest first."""
    return site_policies.list_captures(p, origin=origin, limit=min(max(limit, 1), 1000))
