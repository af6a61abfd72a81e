"""A captured site-level policy file: what a site served, and when.

Site-level signals (robots.txt, /.well-known/tdmrep.json, ai.txt, RSL licence documents)
are judged from captures, not fetched during a pipeline run, so a historical crawl is
judged as of its own fetch time and a run is reproducible. The fetcher
(:mod:`.fetch`) and the site-policy store both produce and keep :class:`Capture`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class PolicyKind(StrEnum):
    """The site-level files trainclear reads, with where each lives on an origin."""

    ROBOTS = "robots.txt"
    TDMREP = "tdmrep.json"
    AI_TXT = "ai.txt"
    RSL_LICENSE = "rsl-license"
    """An RSL licence document, at whatever URL a robots.txt ``License:`` line names."""

    @property
    def path(self) -> str | None:
        """The well-known path on the origin (None for licences, which live anywhere)."""
        return _PATHS.get(self)


_PATHS = {
    PolicyKind.ROBOTS: "/robots.txt",
    PolicyKind.TDMREP: "/.well-known/tdmrep.json",
    PolicyKind.AI_TXT: "/ai.txt",
}

MAX_BODY = {
    PolicyKind.ROBOTS: 500 * 1024,
    PolicyKind.TDMREP: 1024 * 1024,
    PolicyKind.AI_TXT: 500 * 1024,
    PolicyKind.RSL_LICENSE: 1024 * 1024,
}
"""Bytes kept of each kind; RFC 9309 §2.5 lets parsers stop at 500 KiB of robots.txt."""


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute http(s) URL, lower-cased, default port dropped.

    Raises ValueError for anything that is not an absolute http(s) URL.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    host = parts.hostname.lower()
    port = parts.port
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


@dataclass(frozen=True, slots=True)
class Capture:
    """One fetch of one policy file.

    ``status`` is the final HTTP status, or None when the origin could not be reached
    (DNS, connection, TLS, timeout, too many redirects): RFC 9309 §2.3.1.4 treats an
    unreachable robots.txt as complete disallow, and so do we for every kind.
    """

    url: str
    kind: PolicyKind
    fetched_at: datetime
    status: int | None
    body: bytes = b""
    content_type: str | None = None
    error: str | None = None
    """Why the fetch failed or was cut short (unreachable, redirects, too large)."""

    @property
    def origin(self) -> str:
        return origin_of(self.url)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and self.error is None

    def to_dict(self) -> dict[str, Any]:
        """JSON for captures files (the body as text when UTF-8, else base64)."""
        import base64

        out: dict[str, Any] = {
            "url": self.url,
            "kind": self.kind.value,
            "fetched_at": self.fetched_at.isoformat(),
            "status": self.status,
        }
        try:
            out["body"] = self.body.decode("utf-8")
        except UnicodeDecodeError:
            out["body_base64"] = base64.b64encode(self.body).decode("ascii")
        if self.content_type:
            out["content_type"] = self.content_type
        if self.error:
            out["error"] = self.error
        return out
