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

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from trainclear.clock import as_utc
from trainclear.domain import Purpose
from trainclear.schemas.signals import CheckItem, CheckRequest, CheckResult
from trainclear.services.platform import Platform
from trainclear.services.snapshots import build_snapshot
from trainclear.signals.capture import PolicyKind
from trainclear.signals.model import Finding, Verdict, deciding
from trainclear.signals.site import PolicyBook
from trainclear.signals.sources import DatabaseSource
from trainclear.snapshot.index import Match, SnapshotIndex
from trainclear.store.models import Event, SitePolicyCapture

_lock = threading.Lock()
"""Guards the caches kept in ``Platform.caches`` (they live as long as the platform)."""
_VALUE = {verdict: verdict.value for verdict in Verdict}
"""``Verdict.value`` by lookup: the enum's property costs more, once per URL."""
_gc_pause: list[bool] = []
"""While requests run with the collector paused: whether it was on before the first,
then one entry per request under way (see :func:`_gc_paused`)."""


class _Shared:
    """What the URL items of one request share, read-only.

    Site policies share one finding object between the URLs with the same outcome
    (robots.txt per combination of deciding rules, tdmrep.json per rule), so a request
    of thousands of URLs renders a few hundred findings: each is rendered once (and kept,
    so its id is not reused while the request lasts). Items with nothing missing or no
    registry match share one empty list, and all share their set of fields: a request
    keeps ten thousand items alive, and each container they hold is one more object for
    every garbage collection to visit.
    """

    def __init__(self) -> None:
        self.empty: list[Any] = []
        self.fields = set(CheckItem.model_fields)
        self._dicts: dict[int, tuple[Finding, dict[str, Any]]] = {}
        self._missing: dict[tuple[PolicyKind, ...], list[str]] = {}

    def dict_of(self, finding: Finding) -> dict[str, Any]:
        """``finding.to_dict()``, from the first time it was asked for."""
        made = self._dicts.get(id(finding))
        if made is None:
            made = self._dicts[id(finding)] = (finding, finding.to_dict())
        return made[1]

    def missing(self, absent: list[PolicyKind]) -> list[str]:
        """The names of the site-level files never captured (the same list per set)."""
        if not absent:
            return self.empty
        key = tuple(absent)
        names = self._missing.get(key)
        if names is None:
            names = self._missing[key] = [kind.value for kind in key]
        return names


def check(p: Platform, *, data: CheckRequest) -> CheckResult:
    """Answer every URL and fingerprint of ``data``, in the order given."""
    at = as_utc(data.at) if data.at is not None else p.now()
    index = _registry(p, data.purpose, at, exact=data.at is not None)
    book = _book(p)
    shared = _Shared()
    with _gc_paused():
        items = [_url_item(url, at, data, index, book, shared) for url in data.urls]
        items += [_fingerprint_item(fp, index) for fp in data.fingerprints]
    return CheckResult(purpose=data.purpose, at=at, items=items)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a request's items are built.

    A request of ten thousand URLs allocates tens of thousands of objects that all
    survive until the answer is sent, and every collection they trigger walks them
    again (about a tenth of the request's time). They hold no reference cycles, so
    reference counting frees them. Concurrent requests share one pause: the first
    to start records whether the collector was on, the last to end restores that.
    """
    with _lock:
        if not _gc_pause:
            _gc_pause.append(gc.isenabled())
            gc.disable()
        _gc_pause.append(True)
    try:
        yield
    finally:
        with _lock:
            _gc_pause.pop()
            if len(_gc_pause) == 1 and _gc_pause.pop():
                gc.enable()


def _url_item(
    url: str,
    at: datetime,
    data: CheckRequest,
    index: SnapshotIndex,
    book: PolicyBook,
    shared: _Shared,
) -> CheckItem:
    """One URL: its registry matches, then its site's captured policies as of ``at``."""
    matches = index.match_url(url)
    registry = [m for m in matches if m.excluded] if matches else matches
    found, absent = book.judge(url, at)
    decided = deciding(found, data.purpose)
    signals = decided.verdict(data.purpose) if decided else Verdict.UNKNOWN
    verdict = _verdict(registry, signals, complete=not absent)
    return _construct(
        shared.fields,
        subject=url,
        verdict=_VALUE[verdict],
        complete=not absent,
        missing=shared.missing(absent),
        registry=_reasons(registry) if registry else shared.empty,
        deciding=shared.dict_of(decided) if decided and not registry else None,
        findings=[shared.dict_of(f) for f in found] if data.findings else None,
    )


def _construct(fields: set[str], **values: Any) -> CheckItem:
    """``CheckItem.model_construct(fields, **values)`` with every field given, for about
    half the cost: the values are this module's own, so validation is skipped, and with
    every field given there is no default or alias to look up. It sets the instance
    attributes pydantic documents for a model; a test holds it equal to a validated item.
    """
    item = CheckItem.__new__(CheckItem)
    object.__setattr__(item, "__dict__", values)
    object.__setattr__(item, "__pydantic_fields_set__", fields)
    object.__setattr__(item, "__pydantic_extra__", None)
    object.__setattr__(item, "__pydantic_private__", None)
    return item


def _fingerprint_item(fingerprint: str, index: SnapshotIndex) -> CheckItem:
    registry = [m for m in index.match_fingerprint(fingerprint) if m.excluded]
    verdict = Verdict.DISALLOW if registry else Verdict.UNKNOWN
    return CheckItem(
        subject=fingerprint, verdict=verdict.value, complete=True, registry=_reasons(registry)
    )


def _verdict(registry: list[Match], signals: Verdict, *, complete: bool) -> Verdict:
    """A registry match disallows; an incomplete answer is never ``allow`` (fail closed)."""
    if registry:
        return Verdict.DISALLOW
    if signals == Verdict.ALLOW and not complete:
        return Verdict.UNKNOWN
    return signals


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
