"""Fetch site-policy files and page headers, bounded in time, size and redirects.

The one networked piece of :mod:`trainclear.signals`: crawlers and ``trainclear signals
check`` call it, parsers never do. It never raises for a network problem and never fails
open: whatever goes wrong (DNS, connect, TLS, timeout, too many redirects, an invalid URL,
an oversize body) comes back as a :class:`Capture` with ``error`` set, which every parser
reads as a disallow (RFC 9309 §2.3.1.4: an unreachable robots.txt means complete disallow).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import httpx

from trainclear import __version__
from trainclear.clock import as_utc
from trainclear.signals.capture import MAX_BODY, Capture, PolicyKind, origin_of

USER_AGENT = f"trainclear/{__version__} (+https://github.com/trainclear)"
DEFAULT_TIMEOUT_S = 10.0
MAX_REDIRECTS = 5
"""RFC 9309 §2.3.1.2: crawlers SHOULD follow at least five consecutive redirects."""
MAX_CACHE_AGE = timedelta(hours=24)
"""RFC 9309 §2.4: crawlers SHOULD NOT use a cached robots.txt for more than 24 hours."""
PAGE_BODY_LIMIT = 256 * 1024
SITE_KINDS = (PolicyKind.ROBOTS, PolicyKind.TDMREP, PolicyKind.AI_TXT)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_FAILURES = (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError, OSError)


@dataclass(frozen=True, slots=True)
class FetchedCapture(Capture):
    """A :class:`Capture` that also says where redirects ended.

    ``url`` stays the URL asked for: RFC 9309 §2.3.1.2 applies a robots.txt reached
    through redirects "in the context of the initial authority".
    """

    final_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = Capture.to_dict(self)
        if self.final_url and self.final_url != self.url:
            out["final_url"] = self.final_url
        return out


@dataclass(frozen=True, slots=True)
class PageResponse:
    """A page's final status, headers and (for HTML) the start of its body."""

    url: str
    final_url: str
    fetched_at: datetime
    status: int | None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    """At most :data:`PAGE_BODY_LIMIT` bytes, and only for HTML (or untyped) responses."""
    content_type: str | None = None
    truncated: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.error is None

    def header_values(self, name: str) -> list[str]:
        """Every value of header ``name`` (case-insensitive), in order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


@dataclass(frozen=True, slots=True)
class _Response:
    """What one bounded GET (redirects followed) produced."""

    final_url: str
    status: int | None
    headers: httpx.Headers
    body: bytes = b""
    truncated: bool = False
    error: str | None = None


def default_client(
    *, timeout_s: float = DEFAULT_TIMEOUT_S, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """An ``httpx.Client`` with our User-Agent, a real timeout and redirects left to us."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(timeout_s),
        follow_redirects=False,
        transport=transport,
    )


def freshness(headers: httpx.Headers) -> timedelta:
    """How long a response may be served from cache.

    RFC 9309 §2.4 caps it at 24 hours and allows RFC 9111 cache control: a shorter
    ``max-age`` (less ``Age``, §4.2.3) wins; ``no-store``/``no-cache`` or an invalid
    ``max-age`` (stale, §4.2.1) mean not cached.
    """
    directives: dict[str, str] = {}
    for item in headers.get_list("cache-control", split_commas=True):
        name, _, value = item.partition("=")
        directives.setdefault(name.strip().lower(), value.strip().strip('"'))
    if "no-store" in directives or "no-cache" in directives:
        return timedelta(0)
    if "max-age" not in directives:
        return MAX_CACHE_AGE
    max_age, age = _delta_seconds(directives["max-age"]), _delta_seconds(headers.get("age", "0"))
    if max_age is None:
        return timedelta(0)
    return max(timedelta(0), timedelta(seconds=max_age - (age or 0)))


def _delta_seconds(value: str) -> int | None:
    """RFC 9111 §1.2.2 delta-seconds (ASCII digits), capped at a day; None when invalid."""
    value = value.strip()
    if not value or not value.isascii() or not value.isdigit():
        return None
    return min(int(value), int(MAX_CACHE_AGE.total_seconds()))


def _is_html(content_type: str | None) -> bool:
    return content_type is None or "html" in content_type.lower()


def _cacheable(capture: Capture) -> bool:
    """A definite answer: not unreachable, not a server error, not "retry later" (429)."""
    return capture.status is not None and capture.status < 500 and capture.status != 429


class _Cache:
    """Captures by (url, kind) until they expire; thread-safe, oldest evicted first."""

    def __init__(self, max_entries: int) -> None:
        self._entries: OrderedDict[tuple[str, PolicyKind], tuple[FetchedCapture, datetime]] = (
            OrderedDict()
        )
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get(self, key: tuple[str, PolicyKind], now: datetime) -> FetchedCapture | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or now >= entry[1]:
                self._entries.pop(key, None)
                return None
            return entry[0]

    def put(
        self, key: tuple[str, PolicyKind], capture: FetchedCapture, expires_at: datetime
    ) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (capture, expires_at)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class PolicyFetcher:
    """Fetches policy files through an injected ``httpx.Client``, with a 24-hour cache.

    Args:
        client: the HTTP client (tests pass one over ``httpx.MockTransport``); it must not
            follow redirects itself. Defaults to :func:`default_client`.
        clock: the current time, UTC-aware; stamps captures and drives cache expiry.
        timeout_s: the total time for one fetch, redirects and body included.
        store: called with every capture fetched afresh (not those served from cache).
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        timeout_s: float = DEFAULT_TIMEOUT_S,
        store: Callable[[Capture], None] | None = None,
        max_redirects: int = MAX_REDIRECTS,
        max_cache_entries: int = 100_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._owns_client = client is None
        self._client = client if client is not None else default_client(timeout_s=timeout_s)
        self._clock = clock
        self._timeout_s = timeout_s
        self._store = store
        self._max_redirects = max_redirects
        self._cache = _Cache(max_cache_entries)
        self._monotonic = monotonic

    def fetch(
        self, origin_or_url: str, kind: PolicyKind, *, url: str | None = None
    ) -> FetchedCapture:
        """The ``kind`` file of the origin of ``origin_or_url`` (or at ``url``, resolved
        against it), from cache when fresh; never raises for network problems."""
        now = as_utc(self._clock())
        try:
            target = _target_url(origin_or_url, kind, url)
        except ValueError as exc:
            return FetchedCapture(url or origin_or_url, kind, now, None, error=str(exc))
        cached = self._cache.get((target, kind), now)
        if cached is not None:
            return cached
        response = self._get(target, MAX_BODY[kind], html_only=False)
        capture = _capture(target, kind, now, response)
        if self._store is not None:
            self._store(capture)
        if _cacheable(capture):
            self._cache.put((target, kind), capture, now + freshness(response.headers))
        return capture

    def fetch_for_url(
        self, url: str, kinds: Iterable[PolicyKind] = SITE_KINDS
    ) -> list[FetchedCapture]:
        """The origin-wide files (robots.txt, tdmrep.json, ai.txt) that govern page ``url``.

        Raises ValueError for a kind with no well-known path (an RSL licence is fetched
        by the URL a robots.txt names, with :meth:`fetch`).
        """
        kinds = tuple(kinds)
        if any(kind.path is None for kind in kinds):
            raise ValueError("fetch_for_url fetches well-known files only")
        return [self.fetch(url, kind) for kind in kinds]

    def fetch_page_signals(self, url: str) -> PageResponse:
        """A page's final status, headers (X-Robots-Tag, tdm-reservation, Content-Usage)
        and at most the first 256 KiB of an HTML body; errors are reported, not raised."""
        now = as_utc(self._clock())
        try:
            origin_of(url)
        except ValueError as exc:
            return PageResponse(url, url, now, None, error=str(exc))
        response = self._get(url, PAGE_BODY_LIMIT, html_only=True)
        return PageResponse(
            url=url,
            final_url=response.final_url,
            fetched_at=now,
            status=response.status,
            headers=tuple(response.headers.multi_items()),
            body=response.body,
            content_type=response.headers.get("content-type"),
            truncated=response.truncated,
            error=response.error,
        )

    def clear_cache(self) -> None:
        self._cache.clear()

    def close(self) -> None:
        """Close the HTTP client if this fetcher made it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> PolicyFetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _get(self, url: str, limit: int, *, html_only: bool) -> _Response:
        """GET ``url``, following at most ``max_redirects`` redirects within one deadline."""
        deadline = self._monotonic() + self._timeout_s
        current = url
        try:
            for _hop in range(self._max_redirects + 1):
                response = self._send(current, deadline)
                try:
                    if response.status_code not in _REDIRECTS:
                        return self._read(current, response, limit, deadline, html_only)
                    location = response.headers.get("location")
                    if not location:
                        return _Response(
                            current,
                            response.status_code,
                            response.headers,
                            error="redirect without a Location header",
                        )
                finally:
                    response.close()
                current = _redirect_target(current, location)
        except _FAILURES as exc:
            return _Response(current, None, httpx.Headers(), error=_describe(exc))
        return _Response(
            current,
            None,
            httpx.Headers(),
            error=f"unreachable: more than {self._max_redirects} redirects",
        )

    def _send(self, url: str, deadline: float) -> httpx.Response:
        remaining = deadline - self._monotonic()
        if remaining <= 0:
            raise httpx.TimeoutException(f"deadline of {self._timeout_s} s exceeded")
        request = self._client.build_request("GET", url, timeout=httpx.Timeout(remaining))
        return self._client.send(request, stream=True, follow_redirects=False)

    def _read(
        self, url: str, response: httpx.Response, limit: int, deadline: float, html_only: bool
    ) -> _Response:
        """Stream at most ``limit`` bytes of the (decoded) body; note whether more came."""
        headers, status = response.headers, response.status_code
        if html_only and not _is_html(headers.get("content-type")):
            return _Response(url, status, headers)
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                return _Response(url, status, headers, bytes(body[:limit]), truncated=True)
            if self._monotonic() > deadline:
                raise httpx.TimeoutException(f"deadline of {self._timeout_s} s exceeded")
        return _Response(url, status, headers, bytes(body))


def _target_url(origin_or_url: str, kind: PolicyKind, url: str | None) -> str:
    """Where ``kind`` lives: ``url`` resolved against ``origin_or_url``, else the
    well-known path on its origin, else ``origin_or_url`` itself; ValueError if invalid."""
    if url is not None:
        target = urljoin(origin_or_url, url)
    elif kind.path is not None:
        target = origin_of(origin_or_url) + kind.path
    else:
        target = origin_or_url.strip()
    origin_of(target)
    return target


def _redirect_target(current: str, location: str) -> str:
    """The absolute http(s) URL a ``Location`` points to; ValueError for any other."""
    target = str(httpx.URL(current).join(location.strip()))
    origin_of(target)
    return target


def _capture(url: str, kind: PolicyKind, now: datetime, response: _Response) -> FetchedCapture:
    """The capture of ``response``; an oversize body is kept truncated only for robots.txt
    (RFC 9309 §2.5: parsers MAY stop at 500 KiB), and is an error for every other kind."""
    error, body = response.error, response.body
    if response.truncated and kind != PolicyKind.ROBOTS:
        error, body = f"body larger than {MAX_BODY[kind]} bytes", b""
    return FetchedCapture(
        url=url,
        kind=kind,
        fetched_at=now,
        status=response.status,
        body=body,
        content_type=response.headers.get("content-type"),
        error=error,
        final_url=response.final_url,
    )


def _describe(exc: Exception) -> str:
    kind = "timeout" if isinstance(exc, httpx.TimeoutException) else "unreachable"
    return f"{kind}: {type(exc).__name__}: {exc}"
