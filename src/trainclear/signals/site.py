"""Judge a URL by its site's captured policies, as of a moment.

A :class:`PolicyBook` compiles each capture once (robots.txt rules, tdmrep.json
locations, ai.txt patterns) and keeps the compiled policies of recently seen origins,
so judging many URLs of one site costs a dictionary lookup and a path match each. For
each (capturer, kind) it applies the latest capture fetched at or before the moment
asked about; different capturers' captures are all applied, most restrictive winning.
RSL licences named by a robots.txt ``License:`` line are judged from their own
captures; a licence nobody captured leaves the question open (``unknown``), as the
RSL guide says a crawler must fetch it first.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from trainclear.signals import aitxt, robots, rsl, tdmrep
from trainclear.signals.agents import AgentSet, default_agents
from trainclear.signals.capture import Capture, PolicyKind, origin_of
from trainclear.signals.model import Finding, Verdict, error_finding
from trainclear.signals.sources import PolicySource, StoredCapture

SITE_KINDS = (PolicyKind.ROBOTS, PolicyKind.TDMREP, PolicyKind.AI_TXT)
"""The files every origin may publish at a well-known path."""


@dataclass(slots=True)
class _Timeline:
    """One capturer's captures of one kind, oldest first, compiled on first use."""

    captures: list[Capture]
    compiled: dict[int, Any] = field(default_factory=dict)
    times: list[datetime] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.times = [c.fetched_at for c in self.captures]

    def at(self, when: datetime | None) -> int | None:
        """The index of the latest capture fetched at or before ``when``."""
        if when is None:
            return len(self.captures) - 1
        i = bisect.bisect_right(self.times, when)
        return i - 1 if i else None


@dataclass(frozen=True, slots=True)
class _InForce:
    """The compiled policies of one origin in force at one moment, and the site-level
    kinds with no capture by then."""

    policies: tuple[tuple[PolicyKind, Any], ...]
    missing: tuple[PolicyKind, ...]


@dataclass(slots=True)
class _Site:
    """Every timeline of one origin, plus its licence captures by URL."""

    timelines: list[tuple[PolicyKind, _Timeline]]
    licences: dict[str, _Timeline]
    last: tuple[datetime | None, _InForce] | None = None
    """The policies in force at the moment last asked about: a bulk check asks about one
    moment for many URLs, so each site's timelines are searched once per moment."""

    def in_force(self, at: datetime | None) -> _InForce:
        """The latest capture of each timeline at or before ``at``, compiled."""
        last = self.last  # read once: another thread may replace it meanwhile
        if last is not None and last[0] == at:
            return last[1]
        policies = []
        for kind, timeline in self.timelines:
            i = timeline.at(at)
            if i is not None:
                policy = timeline.compiled.get(i)
                if policy is None:
                    policy = timeline.compiled[i] = _compile(timeline.captures[i])
                policies.append((kind, policy))
        have = {kind for kind, _ in policies}
        found = _InForce(tuple(policies), tuple(k for k in SITE_KINDS if k not in have))
        self.last = (at, found)
        return found


class PolicyBook:
    """Captured site policies from ``source``, compiled and cached per origin."""

    def __init__(
        self,
        source: PolicySource,
        agents: AgentSet | None = None,
        *,
        own_agent: str | None = None,
        cache_size: int = 4096,
    ) -> None:
        self.source = source
        self.agents = agents or default_agents()
        self.own_agent = own_agent
        self.cache_size = cache_size
        self._sites: OrderedDict[str, _Site] = OrderedDict()

    def judge_url(self, url: str, at: datetime | None = None) -> list[Finding]:
        """Findings of the URL's site policies as of ``at`` (None: the latest captures).

        A URL that is not absolute http(s) yields an error finding (fail closed).
        """
        return self.judge(url, at)[0]

    def missing(self, url: str, at: datetime | None = None) -> list[PolicyKind]:
        """The site-level files of the URL's origin with no capture at or before ``at``."""
        return self.judge(url, at)[1]

    def judge(self, url: str, at: datetime | None = None) -> tuple[list[Finding], list[PolicyKind]]:
        """:meth:`judge_url` and :meth:`missing` in one pass over the origin's captures."""
        parts = split_url(url)
        if parts is None:
            return [error_finding("url", url, "not an absolute http(s) URL")], []
        origin, target = parts
        in_force = self._site(origin).in_force(at)
        found: list[Finding] = []
        path = None  # robots.txt and ai.txt match the same normalised path
        for kind, policy in in_force.policies:
            if kind == PolicyKind.ROBOTS:
                path = path or robots.request_path(target)
                found += policy.judge_path(path, self.agents, own_agent=self.own_agent)
                if policy.licenses:
                    found += self._licences(policy, url, at)
            elif kind == PolicyKind.AI_TXT:
                path = path or robots.request_path(target)
                found.append(policy.judge_path(path))
            else:
                found.append(policy.judge(target))
        return found, list(in_force.missing)

    def _site(self, origin: str) -> _Site:
        site = self._sites.get(origin)
        if site is not None:
            self._sites.move_to_end(origin)
            return site
        site = _group(self.source.captures(origin))
        self._sites[origin] = site
        if len(self._sites) > self.cache_size:
            self._sites.popitem(last=False)
        return site

    def _licences(
        self, policy: robots.RobotsPolicy, url: str, at: datetime | None
    ) -> list[Finding]:
        """Judge the RSL licences the robots.txt names, from their own captures."""
        found = []
        for licence_url in policy.licenses:
            found.append(self._licence(licence_url, url, at))
        return found

    def _licence(self, licence_url: str, url: str, at: datetime | None) -> Finding:
        try:
            site = self._site(origin_of(licence_url))
        except ValueError:
            return error_finding("rsl", licence_url, "License: names no absolute http(s) URL")
        line = site.licences.get(licence_url)
        i = line.at(at) if line is not None else None
        if line is None or i is None:
            return Finding(
                "rsl",
                licence_url,
                "License: named in robots.txt; the licence document was not captured",
                Verdict.UNKNOWN,
                Verdict.UNKNOWN,
                detail={"licence": licence_url, "captured": False},
            )
        capture = line.captures[i]
        if not capture.ok:
            why = capture.error or f"HTTP {capture.status}"
            return error_finding("rsl", licence_url, why, fetched_at=capture.fetched_at)
        licence = line.compiled.get(i)
        if licence is None:
            licence = line.compiled[i] = rsl.compile_license(
                capture.body, source=licence_url, fetched_at=capture.fetched_at
            )
        result: Finding = licence.judge(url=url)
        return result


def _group(stored: Sequence[StoredCapture]) -> _Site:
    """Split an origin's captures into per-(capturer, kind) timelines, oldest first."""
    lines: dict[tuple[int, str, PolicyKind], list[Capture]] = {}
    licences: dict[str, list[Capture]] = {}
    for item in stored:
        c = item.capture
        if c.kind == PolicyKind.RSL_LICENSE:
            licences.setdefault(c.url, []).append(c)
        else:
            key = (-1 if item.capturer is None else item.capturer, c.kind.value, c.kind)
            lines.setdefault(key, []).append(c)
    timelines = [(key[2], _Timeline(_sorted(lines[key]))) for key in sorted(lines)]
    return _Site(timelines, {u: _Timeline(_sorted(cs)) for u, cs in licences.items()})


def _sorted(captures: list[Capture]) -> list[Capture]:
    return sorted(captures, key=lambda c: (c.fetched_at, c.url, c.body))


def _compile(capture: Capture) -> Any:
    """Parse one capture with its kind's parser (status and errors decide on their own)."""
    status = None if capture.error else capture.status
    args: dict[str, Any] = {
        "status": status,
        "source": capture.url,
        "fetched_at": capture.fetched_at,
    }
    if capture.kind == PolicyKind.ROBOTS:
        return robots.parse_robots(capture.body, **args)
    if capture.kind == PolicyKind.TDMREP:
        return tdmrep.parse_well_known(capture.body, **args)
    return aitxt.parse_ai_txt(capture.body, **args)


def split_url(url: str) -> tuple[str, str] | None:
    """(origin, path-and-query) of an absolute http(s) URL; None when it is not one.

    The origin of each distinct authority is worked out once (:func:`_origin`); the
    rest is string slicing, since a bulk check splits every URL it is asked about.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    end = len(rest)
    for mark in "/?#":
        at = rest.find(mark)
        if at != -1 and at < end:
            end = at
    origin = _origin(scheme, rest[:end])
    if origin is None:
        return None
    tail = rest[end:].split("#", 1)[0]
    if not tail.startswith("/"):
        tail = "/" + tail
    return origin, tail


@lru_cache(maxsize=65536)
def _origin(scheme: str, authority: str) -> str | None:
    try:
        return origin_of(f"{scheme}://{authority}")
    except ValueError:
        return None
