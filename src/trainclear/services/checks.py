"""The bulk reservation check for crawlers: registry plus signals, per URL or fingerprint.

A crawler asks, before fetching or training, whether thousands of URLs (and content
fingerprints) may be used for a purpose. Each answer combines the registry (URL,
prefix and domain opt-outs; works by URL or fingerprint) with the captured site
policies as of the moment asked about. The service never fetches on the server's
side (no request forgery through the API); an origin whose files were never captured
is answered ``complete: false``, and an answer that is not complete is never
``allow``: it falls back to ``unknown``.
"""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import func, select

from trainclear.clock import as_utc
from trainclear.domain import Purpose
from trainclear.schemas.signals import CheckItem, CheckRequest, CheckResult
from trainclear.services.platform import Platform
from trainclear.services.snapshots import build_snapshot
from trainclear.signals.model import Judgement, Verdict, combine
from trainclear.signals.site import PolicyBook
from trainclear.signals.sources import DatabaseSource
from trainclear.snapshot.index import Match, SnapshotIndex
from trainclear.store.models import Event, SitePolicyCapture

_lock = threading.Lock()
"""Guards the caches kept in ``Platform.caches`` (they live as long as the platform)."""


def check(p: Platform, *, data: CheckRequest) -> CheckResult:
    """Answer every URL and fingerprint of ``data``, in the order given."""
    at = as_utc(data.at) if data.at is not None else p.now()
    index = _registry(p, data.purpose, at, exact=data.at is not None)
    book = _book(p)
    items = [_url_item(url, at, data, index, book) for url in data.urls]
    items += [_fingerprint_item(fp, index) for fp in data.fingerprints]
    return CheckResult(purpose=data.purpose, at=at, items=items)


def _url_item(
    url: str, at: datetime, data: CheckRequest, index: SnapshotIndex, book: PolicyBook
) -> CheckItem:
    """One URL: its registry matches, then its site's captured policies as of ``at``."""
    registry = [m for m in index.match_url(url) if m.excluded]
    found, absent = book.judge(url, at)
    judgement = combine(found)
    missing = [k.value for k in absent]
    verdict = _verdict(registry, judgement, data.purpose, complete=not missing)
    deciding = judgement.deciding(data.purpose)
    # built from values this module made, so validation is skipped (it costs a third)
    return CheckItem.model_construct(
        subject=url,
        verdict=verdict.value,
        complete=not missing,
        missing=missing,
        registry=_reasons(registry),
        deciding=deciding.to_dict() if deciding and not registry else None,
        findings=[f.to_dict() for f in judgement.findings] if data.findings else None,
    )


def _fingerprint_item(fingerprint: str, index: SnapshotIndex) -> CheckItem:
    registry = [m for m in index.match_fingerprint(fingerprint) if m.excluded]
    verdict = Verdict.DISALLOW if registry else Verdict.UNKNOWN
    return CheckItem(
        subject=fingerprint, verdict=verdict.value, complete=True, registry=_reasons(registry)
    )


def _verdict(
    registry: list[Match], judgement: Judgement, purpose: Purpose, *, complete: bool
) -> Verdict:
    if registry:
        return Verdict.DISALLOW
    verdict = judgement.verdict(purpose)
    if verdict == Verdict.ALLOW and not complete:
        return Verdict.UNKNOWN
    return verdict


def _reasons(matches: list[Match]) -> list[dict[str, object]]:
    return [
        {"code": r.code, "ref": r.ref, "match": m.kind, "work_id": m.work_id, "rule": m.title}
        for m in matches
        for r in m.reasons
    ]


def _registry(p: Platform, purpose: Purpose, at: datetime, *, exact: bool) -> SnapshotIndex:
    """The registry's exclusion index, rebuilt when an event was recorded since.

    A check "as of now" reuses the index until the registry changes; one as of a
    given moment is built for that moment.
    """
    url = p.settings.resolved_database_url
    with p.db.transaction() as s:
        last = int(s.scalar(select(func.max(Event.id))) or 0)
        key = (url, last, purpose.value, at.isoformat() if exact else "now")
        with _lock:
            cached = p.caches.get("check.index")
        if cached is not None and cached[0] == key:
            return cached[1]  # type: ignore[no-any-return]
        index = SnapshotIndex(build_snapshot(s, at=at, purpose=purpose))
        with _lock:
            p.caches["check.index"] = (key, index)
    return index


def _book(p: Platform) -> PolicyBook:
    """The compiled captures of this database, dropped when captures were added."""
    url = p.settings.resolved_database_url
    with p.db.transaction() as s:
        last = int(s.scalar(select(func.max(SitePolicyCapture.id))) or 0)
    with _lock:
        cached = p.caches.get("check.book")
        if cached is None or cached[0] != last:
            cached = (last, PolicyBook(DatabaseSource(url, p.db.engine)))
            p.caches["check.book"] = cached
    return cached[1]
