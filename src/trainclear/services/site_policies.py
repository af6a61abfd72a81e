"""The site-policy store: captured robots.txt, tdmrep.json, ai.txt and RSL licences.

Crawlers (developers) and the administration record what sites served and when;
scan, filter and the bulk check judge records as of their own fetch time from these
captures (see :mod:`trainclear.signals.site`). Captures are only ever added, and one
capturer's captures never replace another's: they combine most-restrictively.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from trainclear.domain import Actor, PartyKind
from trainclear.errors import ValidationFailed
from trainclear.schemas.signals import CapturePublic, CapturesRecorded
from trainclear.services.platform import Platform, record_event, require_kind
from trainclear.signals.capture import MAX_BODY, Capture, PolicyKind, origin_of
from trainclear.signals.fetch import PolicyFetcher
from trainclear.signals.robots import parse_robots
from trainclear.signals.site import PolicyBook
from trainclear.signals.sources import (
    DatabaseSource,
    capture_from_dict,
    capture_of,
    read_captures,
)
from trainclear.store.models import SitePolicyCapture

CAPTURERS = (PartyKind.DEVELOPER, PartyKind.ADMINISTRATION)
"""Who may record captures: crawler operators and the copyright administration."""


def record_captures(
    p: Platform, *, actor: Actor, captures: Sequence[Capture], source: str = "api"
) -> CapturesRecorded:
    """Store ``captures`` in one transaction with one event; all or nothing."""
    require_kind(actor, *CAPTURERS)
    for i, capture in enumerate(captures, start=1):
        if len(capture.body) > MAX_BODY[capture.kind]:
            raise ValidationFailed(
                "signals.capture_too_large", index=i, url=capture.url, limit=MAX_BODY[capture.kind]
            )
    now = p.now()
    with p.db.transaction() as s:
        rows = [_row(c, actor, now) for c in captures]
        s.add_all(rows)
        s.flush()
        ids = [r.id for r in rows]
        record_event(
            s,
            at=now,
            kind="site_policies.captured",
            subject=f"site_policies:{ids[0]}-{ids[-1]}" if ids else "site_policies:none",
            actor=actor,
            payload={"count": len(ids), "source": source, "sha256": [r.sha256 for r in rows]},
        )
    return CapturesRecorded(count=len(ids), ids=ids)


def record_capture_dicts(
    p: Platform, *, actor: Actor, items: Sequence[dict[str, Any]]
) -> CapturesRecorded:
    """Validate captures given as objects (the API's body), then store them all or none;
    a bad one raises RecordError naming its 1-based position and field."""
    require_kind(actor, *CAPTURERS)
    captures = [
        capture_from_dict(item, file="request", line=i) for i, item in enumerate(items, start=1)
    ]
    return record_captures(p, actor=actor, captures=captures)


def import_captures(p: Platform, *, actor: Actor, path: Path) -> CapturesRecorded:
    """Record every capture of a captures file; a bad line rejects the whole file."""
    require_kind(actor, *CAPTURERS)
    captures = list(read_captures(path))
    return record_captures(p, actor=actor, captures=captures, source=path.name)


def list_captures(
    p: Platform, *, origin: str | None = None, limit: int = 100
) -> list[CapturePublic]:
    """The newest captures first (of one origin when given)."""
    with p.db.transaction() as s:
        stmt = select(SitePolicyCapture).order_by(SitePolicyCapture.id.desc()).limit(limit)
        if origin is not None:
            stmt = stmt.where(SitePolicyCapture.origin == origin)
        return [CapturePublic.model_validate(r) for r in s.scalars(stmt)]


def count_captures(p: Platform) -> int:
    with p.db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(SitePolicyCapture)) or 0)


def export_captures(p: Platform, *, path: Path) -> int:
    """Write every capture to a captures file (oldest first); returns how many."""
    import orjson

    n = 0
    with p.db.transaction() as s, open(path, "wb") as out:
        for row in s.scalars(select(SitePolicyCapture).order_by(SitePolicyCapture.id)):
            out.write(orjson.dumps(capture_of(row).to_dict()) + b"\n")
            n += 1
    return n


def _row(capture: Capture, actor: Actor, now: object) -> SitePolicyCapture:
    return SitePolicyCapture(
        origin=capture.origin,
        kind=capture.kind.value,
        url=capture.url,
        fetched_at=capture.fetched_at,
        status=capture.status,
        error=capture.error,
        content_type=capture.content_type,
        body=capture.body,
        sha256=capture.sha256,
        captured_by=actor.party_id,
        recorded_at=now,
    )


def capture_missing(
    p: Platform, *, actor: Actor, urls: Sequence[str], fetcher: PolicyFetcher
) -> CapturesRecorded:
    """Fetch and record the site files of each URL's origin that were never captured,
    and the RSL licences their robots.txt names. Fetch failures are recorded too (an
    unreachable robots.txt is a capture that disallows: never fail open)."""
    require_kind(actor, *CAPTURERS)
    book = PolicyBook(DatabaseSource(p.settings.resolved_database_url, p.db.engine))
    captures: list[Capture] = []
    for url in dict.fromkeys(_origin_or_none(u) for u in urls):
        if url is None:
            continue
        for kind in book.missing(url):
            captures.append(fetcher.fetch(url, kind))
    for capture in list(captures):
        if capture.kind == PolicyKind.ROBOTS and capture.ok:
            robots = parse_robots(capture.body, status=capture.status, source=capture.url)
            for licence in robots.licenses:
                captures.append(fetcher.fetch(capture.url, PolicyKind.RSL_LICENSE, url=licence))
    if not captures:
        return CapturesRecorded(count=0, ids=[])
    plain = [_plain(c) for c in captures]
    return record_captures(p, actor=actor, captures=plain, source="fetch")


def _origin_or_none(url: str) -> str | None:
    try:
        return origin_of(url)
    except ValueError:
        return None


def _plain(capture: Capture) -> Capture:
    """A fetched capture as a plain :class:`Capture` (what the store keeps)."""
    return Capture(**{f.name: getattr(capture, f.name) for f in fields(Capture)})
