"""Judge one corpus record by every reservation it carries or its site published.

A record may carry its URL, its HTTP response headers, its HTML and its fetch time
(field names in :class:`SignalConfig`); an image record carries the file, whose C2PA,
IPTC and XMP metadata are read. Site-level files come from captured policies (a
:class:`~.site.PolicyBook`) as of the record's fetch time. Everything is offline and
deterministic, so a filter run is reproducible. An unreadable field fails closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from trainclear.clock import as_utc
from trainclear.signals import aipref, robotstags, tdmrep
from trainclear.signals.agents import AgentSet, default_agents, load_agents
from trainclear.signals.files import judge_file
from trainclear.signals.model import Finding, Judgement, combine, error_finding
from trainclear.signals.site import PolicyBook
from trainclear.signals.sources import DatabaseSource, FileSource, PolicySource

Media = Literal["text", "image"]


@dataclass(frozen=True, slots=True)
class RecordFields:
    """The raw values of a record's signal fields, as read (None when absent)."""

    url: str | None = None
    headers: Any = None
    html: Any = None
    fetched_at: Any = None
    image: bytes | None = None


@dataclass(frozen=True, slots=True)
class SignalConfig:
    """How a run reads reservation signals: picklable, recorded in the manifest.

    ``site_policies`` is ``None`` (record-level signals only), ``"db"`` (the platform's
    site-policy store, at ``database_url``) or the path of a captures file.
    """

    enabled: bool = True
    site_policies: str | None = None
    database_url: str | None = None
    headers_field: str = "headers"
    html_field: str = "html"
    fetched_at_field: str = "fetched_at"
    agents_file: str | None = None
    own_agent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """For manifests and run plans; the database URL (maybe a secret) is left out."""
        out = asdict(self)
        out.pop("database_url")
        return out

    def source(self) -> PolicySource | None:
        if self.site_policies is None:
            return None
        if self.site_policies == "db":
            if self.database_url is None:
                raise ValueError("site_policies='db' needs database_url")
            return DatabaseSource(self.database_url)
        return FileSource(Path(self.site_policies))


class SignalJudge:
    """Judges records under one :class:`SignalConfig`."""

    def __init__(self, config: SignalConfig, *, book: PolicyBook | None = None) -> None:
        self.config = config
        agents = load_agents(Path(config.agents_file)) if config.agents_file else default_agents()
        source = config.source() if book is None else None
        self.book = book or (
            PolicyBook(source, agents, own_agent=config.own_agent) if source else None
        )
        self.agents: AgentSet = agents

    def judge(self, record: RecordFields) -> Judgement:
        """Every finding about ``record``, in a stable order (site, page, then file)."""
        cfg = self.config
        where = record.url or "record"
        fetched_at, found = _fetched_at(record.fetched_at, cfg.fetched_at_field)
        headers = _headers(record.headers, cfg.headers_field, found)
        html = _html(record.html, cfg.html_field, found)
        site = self._site(record.url, fetched_at)
        found.extend(_tdmrep(site, headers, html, where, fetched_at))
        found.extend(f for f in site if f.scheme != "tdmrep")
        media: Media = "image" if record.image else "text"
        found.extend(_page(headers, html, media, where, fetched_at))
        if record.image:
            found.extend(judge_file(record.image, source=where, fetched_at=fetched_at))
        return combine(found)

    def _site(self, url: str | None, at: datetime | None) -> list[Finding]:
        if self.book is None or not url:
            return []
        return self.book.judge_url(url, at)


@lru_cache(maxsize=4)
def cached_judge(config: SignalConfig) -> SignalJudge:
    """One judge per configuration per process (workers build theirs once)."""
    return SignalJudge(config)


def _tdmrep(
    site: Sequence[Finding],
    headers: Sequence[tuple[str, str]],
    html: str | None,
    where: str,
    at: datetime | None,
) -> list[Finding]:
    """TDMRep's carriers in the spec's order of precedence (see :func:`tdmrep.resolve`)."""
    header = tdmrep.from_headers(dict(_lower(headers)), source=f"{where} headers", fetched_at=at)
    meta = tdmrep.from_html(html, source=f"{where} html", fetched_at=at) if html else None
    well_known = next((f for f in site if f.scheme == "tdmrep"), None)
    decided = tdmrep.resolve(header=header, html=meta, well_known=well_known)
    return [decided] if decided is not None else []


def _page(
    headers: Sequence[tuple[str, str]],
    html: str | None,
    media: Media,
    where: str,
    at: datetime | None,
) -> list[Finding]:
    """Per-page statements: X-Robots-Tag, AIPREF Content-Usage, meta robots."""
    found: list[Finding] = []
    tags = [v for k, v in headers if k == "x-robots-tag"]
    if tags:
        hit = robotstags.from_x_robots_tag(
            tags, media=media, source=f"{where} headers", fetched_at=at
        )
        found.extend([hit] if hit else [])
    for value in (v for k, v in headers if k == "content-usage"):
        found.append(aipref.parse_content_usage(value, source=f"{where} headers", fetched_at=at))
    if html:
        hit = robotstags.from_meta(html, media=media, source=f"{where} html", fetched_at=at)
        found.extend([hit] if hit else [])
    return found


def _fetched_at(value: Any, name: str) -> tuple[datetime | None, list[Finding]]:
    """The record's fetch time (UTC), or an error finding when it is unreadable."""
    if value is None:
        return None, []
    if isinstance(value, datetime) and value.tzinfo is not None:
        return as_utc(value), []
    problem = None
    if not isinstance(value, str):
        problem = "fetch time must be an ISO 8601 string"
    else:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            problem = f"fetch time not ISO 8601: {value!r}"
        else:
            if parsed.tzinfo is not None:
                return as_utc(parsed), []
            problem = "fetch time carries no time zone"
    return None, [error_finding("record", name, problem)]


def _headers(value: Any, name: str, found: list[Finding]) -> list[tuple[str, str]]:
    """Headers as (lower-cased name, value) pairs, from an object or a list of pairs."""
    if value is None:
        return []
    pairs = _pairs(value)
    if pairs is None:
        problem = "headers must be an object of strings or a list of [name, value] pairs"
        found.append(error_finding("record", name, problem))
        return []
    return list(_lower(pairs))


def _pairs(value: Any) -> list[tuple[str, str]] | None:
    items: Iterable[Any]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = value
    else:
        return None
    pairs: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, (list, tuple)) or len(item) != 2 or not isinstance(item[0], str):
            return None
        values = item[1] if isinstance(item[1], list) else [item[1]]
        if not all(isinstance(v, str) for v in values):
            return None
        pairs.extend((item[0], v) for v in values)
    return pairs


def _lower(pairs: Iterable[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    return ((k.strip().lower(), v) for k, v in pairs)


def _html(value: Any, name: str, found: list[Finding]) -> str | None:
    if value is None or isinstance(value, str):
        return value
    found.append(error_finding("record", name, "html must be a string"))
    return None
