"""robots.txt (RFC 9309) with the AI lines that urllib and protego drop.

:func:`parse_robots` reads a fetched robots.txt once into a :class:`RobotsPolicy`:
groups merged per product token, every path pattern compiled once, and, kept per
group, the AIPREF ``Content-Usage`` rule (draft-ietf-aipref-attach §3), Cloudflare's
``Content-Signal`` and, site-wide, RSL ``License:`` URLs. :meth:`RobotsPolicy.judge`
then answers, per URL and cheaply, what the file says about AI training by the
crawlers of an :class:`~trainclear.signals.agents.AgentSet`;
:meth:`RobotsPolicy.can_fetch` is the plain RFC 9309 answer for one crawler.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from trainclear.signals.agents import AgentSet, product_token
from trainclear.signals.aipref import (
    AiprefSyntaxError,
    Preferences,
    combine_preferences,
    parse_preferences,
    preferences_finding,
)
from trainclear.signals.model import Finding, Verdict, error_finding, finding

SCHEME = "robots"
PARSE_LIMIT = 500 * 1024
"""RFC 9309 §2.5: crawlers may stop parsing after at least 500 KiB."""
ALLOW, DISALLOW, USAGE, SIGNAL = "allow", "disallow", "content-usage", "content-signal"
_KEYS = {
    "user-agent": "user-agent",
    "useragent": "user-agent",
    "user agent": "user-agent",
    "allow": ALLOW,
    "disallow": DISALLOW,
    "dissallow": DISALLOW,
    "dissalow": DISALLOW,
    "disalow": DISALLOW,
    "content-usage": USAGE,
    "content-signal": SIGNAL,
    "license": "license",
}
"""Line labels, case-insensitive, with the misspellings major crawlers accept."""
_SIGNAL_KEYS = ("search", "ai-input", "ai-train")
_EOL = re.compile(r"\r\n|\r|\n")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SAFE = r"A-Za-z0-9\-._~:/?\[\]@!$&'()*+,;="
_NEEDS_WORK = re.compile(f"[^{_SAFE}]")
_ENCODING = re.compile(f"%[0-9A-Fa-f]{{2}}|%|[^{_SAFE}%]+")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^#]*)")
"""An absolute URL; group 1 is its path and query (RFC 3986 §3)."""


def normalise_path(path: str) -> str:
    """Percent-encoding normalised for comparison (RFC 9309 §2.2.2).

    Octets outside ASCII and characters not allowed in a URI are percent-encoded
    (UTF-8); a percent-encoded unreserved character is decoded; other escapes keep
    their encoding with upper-case hex. ``*`` and ``$`` pass through untouched.
    """
    if _NEEDS_WORK.search(path) is None:
        return path
    return _ENCODING.sub(_fix_escape, path)


def _fix_escape(match: re.Match[str]) -> str:
    text = match.group(0)
    if len(text) == 3 and text[0] == "%":
        char = chr(int(text[1:], 16))
        return char if char in _UNRESERVED else text.upper()
    return "".join(f"%{b:02X}" for b in text.encode("utf-8", "surrogatepass"))


def request_path(url_or_path: str) -> str:
    """The normalised path and query of a URL or absolute path (fragment dropped).

    Anything starting with ``/`` is a path; resolve protocol-relative URLs first.
    """
    if url_or_path[:1] == "/":
        path = url_or_path.partition("#")[0]
    elif url := _ABSOLUTE.match(url_or_path):
        path = url.group(1)
    else:
        try:
            parts = urlsplit(url_or_path)
            path = parts.path + ("?" + parts.query if parts.query else "")
        except ValueError:
            path = url_or_path.partition("#")[0]
    if not path.startswith("/"):
        path = "/" + path
    return normalise_path(path)


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One path-scoped line of a group, compiled for matching."""

    kind: str
    pattern: str
    """The normalised path pattern; its length is the rule's specificity."""
    line: int
    text: str
    """The line as written, comment and surrounding space removed."""
    prefs: Preferences | None = None
    signals: tuple[tuple[str, str], ...] = ()
    error: str | None = None
    merged: str = ""
    """For rules with identical paths merged into one: each line with its number."""
    matches: Callable[[str], bool] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "matches", compile_pattern(self.pattern))

    @property
    def where(self) -> str:
        return self.merged or f"{self.text} (line {self.line})"


def compile_pattern(pattern: str) -> Callable[[str], bool]:
    """A matcher for a path pattern: ``*`` any characters, a final ``$`` the end
    (RFC 9309 §2.2.3).

    Literal patterns become ``str.startswith`` or equality. Patterns with ``*`` match
    their literal pieces leftmost-first with ``str.find``: linear in the path, where
    a regular expression could backtrack without bound on a hostile pattern.
    """
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    if "*" not in body:
        return body.__eq__ if anchored else lambda path: path.startswith(body)
    first, *middle, last = body.split("*")

    def match(path: str) -> bool:
        if not path.startswith(first):
            return False
        pos = len(first)
        for piece in middle:
            pos = path.find(piece, pos)
            if pos < 0:
                return False
            pos += len(piece)
        if anchored:
            return len(path) - len(last) >= pos and path.endswith(last)
        return path.find(last, pos) >= 0

    return match


def first_match(rules: tuple[Rule, ...], path: str) -> Rule | None:
    """The most specific rule matching ``path``; ``rules`` are sorted for it."""
    for rule in rules:
        if rule.matches(path):
            return rule
    return None


@dataclass(frozen=True, slots=True, eq=False)
class Group:
    """The merged rules for a product token (RFC 9309 §2.2.1), sorted for matching.

    ``access`` is sorted longest pattern first, Allow before Disallow on equal length,
    so the first match is the §2.2.2 decision. Tokens named by the same group lines
    share one object.
    """

    access: tuple[Rule, ...] = ()
    usage: tuple[Rule, ...] = ()
    signals: tuple[Rule, ...] = ()
    literals: tuple[str, ...] = field(init=False, repr=False)
    """Every wildcard-free access pattern: if none prefixes a path, only the
    wildcard rules (:attr:`wild`) need trying."""
    wild: tuple[Rule, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        literal = [r.pattern.removesuffix("$") for r in self.access if "*" not in r.pattern]
        object.__setattr__(self, "literals", tuple(literal))
        object.__setattr__(self, "wild", tuple(r for r in self.access if "*" in r.pattern))

    def decide(self, path: str) -> Rule | None:
        if path == "/robots.txt":
            return None  # §2.2.2: implicitly allowed
        if path.startswith(self.literals):
            return first_match(self.access, path)
        return first_match(self.wild, path) if self.wild else None


# Parsing ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    """A group while its lines are read."""

    tokens: set[str] = field(default_factory=set)
    rules: list[Rule] = field(default_factory=list)


@dataclass(slots=True)
class _Reader:
    """Reads lines into groups, the way RFC 9309 §2.2 delimits them."""

    drafts: list[_Draft] = field(default_factory=list)
    sitewide: list[Rule] = field(default_factory=list)
    licenses: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    in_agents: bool = False

    def line(self, number: int, raw: str) -> None:
        text = raw.partition("#")[0].strip(" \t")
        label, colon, value = text.partition(":")
        written = label.strip(" \t").lower()
        key = _KEYS.get(written)
        if not colon or key is None:
            return  # §2.2: lines that are not rules are ignored
        if key != written:
            self.warnings.append(f"line {number}: misspelt {label.strip()!r} read as {key}")
        value = value.strip(" \t")
        if key == "user-agent":
            self.agent(value)
        elif key == "license":
            if value:
                self.licenses.append(value)
        else:
            self.rule(_make_rule(key, value, number, text))

    def agent(self, value: str) -> None:
        if not self.in_agents or not self.drafts:
            self.drafts.append(_Draft())
            self.in_agents = True
        self.drafts[-1].tokens.add(product_token(value))

    def rule(self, rule: Rule | None) -> None:
        if rule is None:
            return
        if self.drafts:
            self.drafts[-1].rules.append(rule)
            self.in_agents = False
        elif rule.kind in (USAGE, SIGNAL):
            self.sitewide.append(rule)
            self.warnings.append(f"line {rule.line}: {rule.text!r} before any group; site-wide")
        else:
            self.warnings.append(f"line {rule.line}: {rule.text!r} before any group; ignored")


def _make_rule(kind: str, value: str, number: int, text: str) -> Rule | None:
    if kind in (ALLOW, DISALLOW):
        if not value:
            return None  # an empty pattern matches nothing
        return Rule(kind, _pattern(value), number, text)
    path, rest = _scoped(value)
    if not rest:
        return Rule(kind, path, number, text, error=f"no preference after {kind}")
    if kind == USAGE:
        try:
            return Rule(kind, path, number, text, prefs=parse_preferences(rest))
        except AiprefSyntaxError as exc:
            return Rule(kind, path, number, text, error=f"invalid Content-Usage: {exc}")
    try:
        return Rule(kind, path, number, text, signals=parse_content_signal(rest))
    except ValueError as exc:
        return Rule(kind, path, number, text, error=f"invalid Content-Signal: {exc}")


def _pattern(value: str) -> str:
    return normalise_path(value if value.startswith(("/", "*")) else "/" + value)


def _scoped(value: str) -> tuple[str, str]:
    """Split ``[path] expression``: a path starts with ``/`` and ends at SP/HTAB
    (attach §3.2); without one the rule covers the whole site."""
    if not value.startswith("/"):
        return "/", value
    parts = re.split(r"[ \t]+", value, maxsplit=1)
    return _pattern(parts[0]), parts[1] if len(parts) > 1 else ""


def parse_content_signal(value: str) -> tuple[tuple[str, str], ...]:
    """Cloudflare Content Signals: ``search=yes, ai-input=yes, ai-train=no``.

    Unknown keys are ignored; a known key with a value other than yes/no, an item
    without ``=`` or an empty value raises ``ValueError``.
    """
    signals: dict[str, str] = {}
    items = [item.strip(" \t") for item in value.split(",")]
    if not any(items):
        raise ValueError("no signals")
    for item in filter(None, items):
        key, eq, val = (part.strip(" \t").lower() for part in item.partition("="))
        if not eq:
            raise ValueError(f"{item!r} is not key=value")
        if key in _SIGNAL_KEYS:
            if val not in ("yes", "no"):
                raise ValueError(f"{key}={val!r} is neither yes nor no")
            signals[key] = val
    return tuple(signals.items())


def _decode(body: bytes | str) -> tuple[str, bool]:
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    truncated = len(data) > PARSE_LIMIT
    if truncated:
        data = data[:PARSE_LIMIT]
        cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
        data = data[: cut + 1]  # drop the partial last line
    return data.decode("utf-8", "replace").removeprefix("\ufeff"), truncated


# Compiling -------------------------------------------------------------------------


def _merge_groups(reader: _Reader) -> dict[str, Group]:
    """Per product token, every group naming it combined into one (§2.2.1)."""
    membership: dict[str, tuple[int, ...]] = {}
    for index, draft in enumerate(reader.drafts):
        for token in draft.tokens - {""}:
            membership[token] = (*membership.get(token, ()), index)
    shared: dict[tuple[int, ...], Group] = {}
    for indices in membership.values():
        if indices not in shared:
            rules = [r for i in indices for r in reader.drafts[i].rules]
            shared[indices] = _group(rules + reader.sitewide)
    return {token: shared[indices] for token, indices in membership.items()}


def _group(rules: list[Rule]) -> Group:
    access = sorted(
        (r for r in rules if r.kind in (ALLOW, DISALLOW)),
        key=lambda r: (-len(r.pattern), r.kind != ALLOW),
    )
    return Group(
        tuple(access),
        _merge_paths([r for r in rules if r.kind == USAGE]),
        _merge_paths([r for r in rules if r.kind == SIGNAL]),
    )


def _merge_paths(rules: list[Rule]) -> tuple[Rule, ...]:
    """One rule per path, longest first; rules with identical paths are combined
    most-restrictively (attach §3.1, vocab §7.1)."""
    by_path: dict[str, list[Rule]] = {}
    for rule in rules:
        by_path.setdefault(rule.pattern, []).append(rule)
    merged = [same[0] if len(same) == 1 else _combine(same) for same in by_path.values()]
    return tuple(sorted(merged, key=lambda r: -len(r.pattern)))


def _combine(same: list[Rule]) -> Rule:
    signals: dict[str, str] = {}
    for rule in same:
        for key, value in rule.signals:
            signals[key] = "no" if "no" in (value, signals.get(key)) else value
    return Rule(
        same[0].kind,
        same[0].pattern,
        same[0].line,
        same[0].text,
        prefs=combine_preferences(r.prefs for r in same if r.prefs is not None),
        signals=tuple(signals.items()),
        error=next((r.error for r in same if r.error), None),
        merged=" + ".join(r.where for r in same),
    )


def _state(status: int | None) -> str:
    """RFC 9309 §2.3.1: 2xx parse; 3xx (redirects exhausted) and 4xx "unavailable",
    crawl anything; 5xx, no answer or anything else "unreachable", crawl nothing.
    429 counts as unreachable, as major crawlers treat it: a rate limit is no grant."""
    if status is None:
        return "unreachable"
    if 200 <= status < 300:
        return "ok"
    if 300 <= status < 500 and status != 429:
        return "unavailable"
    return "unreachable"


def parse_robots(
    body: bytes | str,
    *,
    status: int | None = 200,
    source: str,
    fetched_at: datetime | None = None,
) -> RobotsPolicy:
    """Parse a robots.txt response once (``status`` None: no response at all)."""
    if _state(status) != "ok":
        return RobotsPolicy(source, status, fetched_at, {}, Group(), (), ())
    text, truncated = _decode(body)
    reader = _Reader()
    if truncated:
        reader.warnings.append("larger than 500 KiB: only the first 500 KiB were parsed")
    for number, line in enumerate(_EOL.split(text), 1):
        reader.line(number, line)
    return RobotsPolicy(
        source,
        status,
        fetched_at,
        _merge_groups(reader),
        _group(reader.sitewide),
        tuple(dict.fromkeys(reader.licenses)),
        tuple(reader.warnings),
    )


# Judging ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)
class RobotsPolicy:
    """A parsed robots.txt: merged groups per product token, ready to judge URLs."""

    source: str
    status: int | None
    fetched_at: datetime | None
    groups: dict[str, Group]
    """Merged groups by lower-cased product token, ``*`` included."""
    fallback: Group
    """What applies to a crawler no group names when there is no ``*`` group."""
    licenses: tuple[str, ...]
    """RSL ``License:`` URLs, site-wide wherever they appear."""
    warnings: tuple[str, ...]
    _plans: dict[tuple[int, str | None], tuple[AgentSet, _Plan]] = field(
        default_factory=dict, repr=False
    )
    """Plans by agent set identity (hashing a set of ~50 names per URL costs more than
    judging); the set itself is kept and compared, so a reused id cannot mislead."""

    @property
    def state(self) -> str:
        """``ok``, ``unavailable`` (crawl anything) or ``unreachable`` (crawl nothing)."""
        return _state(self.status)

    def group_for(self, agent: str) -> tuple[Group, str]:
        """The group a crawler obeys (its own, else ``*``, else none, §2.2.1) and how
        it was found: the product token, ``*`` or ``""``."""
        token = product_token(agent)
        if token != "*" and token in self.groups:
            return self.groups[token], token
        if "*" in self.groups:
            return self.groups["*"], "*"
        return self.fallback, ""

    def can_fetch(self, agent: str, url_or_path: str) -> bool:
        """RFC 9309: may ``agent`` crawl the URL?"""
        if self.state != "ok":
            return self.state == "unavailable"
        rule = self.group_for(agent)[0].decide(request_path(url_or_path))
        return rule is None or rule.kind == ALLOW

    def judge(
        self, url_or_path: str, agents: AgentSet, *, own_agent: str | None = None
    ) -> list[Finding]:
        """What the file says about AI training of the URL by ``agents`` (and the
        caller's own crawler): a ``robots`` finding, then the ``aipref`` and
        ``content-signal`` findings that apply to the path.

        Findings are built once per outcome and shared between URLs with the same
        deciding rules: treat them, their ``detail`` included, as read-only.
        """
        return self.judge_path(request_path(url_or_path), agents, own_agent=own_agent)

    def judge_path(
        self, path: str, agents: AgentSet, *, own_agent: str | None = None
    ) -> list[Finding]:
        """:meth:`judge` of a path already normalised by :func:`request_path` (a caller
        judging one URL against several site files normalises it once)."""
        if self.state != "ok":
            return [self._status_finding()]
        key = (id(agents), own_agent)
        entry = self._plans.get(key)
        if entry is None or entry[0] is not agents:
            entry = self._plans[key] = (agents, _Plan.build(self, agents, own_agent))
        return entry[1].judge(path)

    def _status_finding(self) -> Finding:
        code = "no response" if self.status is None else f"HTTP {self.status}"
        if self.state == "unreachable":
            why = f"robots.txt unreachable ({code}): complete disallow (RFC 9309 §2.3.1.4)"
            return error_finding(SCHEME, self.source, why, fetched_at=self.fetched_at)
        why = f"robots.txt unavailable ({code}): no crawl restrictions (RFC 9309 §2.3.1.3)"
        return self.finding(Verdict.UNKNOWN, why, status=self.status)

    def finding(self, verdict: Verdict, rule: str, **detail: Any) -> Finding:
        """A ``robots`` finding stamped with this file's source, time and licences."""
        if self.licenses:
            detail["licenses"] = list(self.licenses)
        return finding(
            SCHEME,
            self.source,
            rule,
            verdict,
            fetched_at=self.fetched_at,
            warnings=self.warnings,
            detail=detail,
        )


@dataclass(frozen=True, slots=True)
class _Applies:
    """A group that applies to some of the crawlers judged."""

    group: Group
    names: tuple[str, ...]
    """The crawlers, as the caller spells them, that obey it."""
    named: bool
    """Whether the group names them (rather than being ``*`` or no group)."""
    where: str

    @classmethod
    def of(cls, group: Group, how: str, names: list[str]) -> _Applies:
        where = {"*": "the group for *", "": "the site-wide lines"}.get(how)
        return cls(group, tuple(names), where is None, where or f"the group for {names[0]}")


@dataclass(slots=True)
class _Plan:
    """A policy judged for one set of crawlers: the distinct groups that apply, and
    the findings already built per combination of deciding rules."""

    policy: RobotsPolicy
    crawlers: tuple[_Applies, ...]
    cache: dict[tuple[int, ...], tuple[Finding, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, policy: RobotsPolicy, agents: AgentSet, own: str | None) -> _Plan:
        found: dict[tuple[int, str], tuple[Group, str, list[str]]] = {}
        for name in dict.fromkeys([*agents.training, *([own.strip()] if own else [])]):
            group, how = policy.group_for(name)
            key = (id(group), how if how in ("*", "") else "named")
            found.setdefault(key, (group, how, []))[2].append(name)
        crawlers = sorted(
            (_Applies.of(*entry) for entry in found.values()), key=lambda c: not c.named
        )
        return cls(policy, tuple(crawlers))

    def judge(self, path: str) -> list[Finding]:
        access = [c.group.decide(path) for c in self.crawlers]
        usage: list[Rule | None] = []
        signals: list[Rule | None] = []
        for c, rule in zip(self.crawlers, access, strict=True):
            crawlable = rule is None or rule.kind == ALLOW  # attach §3.1
            usage.append(first_match(c.group.usage, path) if crawlable else None)
            signals.append(first_match(c.group.signals, path) if crawlable else None)
        key = tuple(map(id, access + usage + signals))
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) > 4096:
                self.cache.clear()
            found = self.cache[key] = (
                self._robots(access),
                *self._path_findings(usage, _usage_finding),
                *self._path_findings(signals, _signal_finding),
            )
        return list(found)

    def _robots(self, access: list[Rule | None]) -> Finding:
        """Disallow if any training crawler may not fetch the path; allow only if a
        group naming one of them explicitly allows it; otherwise unknown."""
        hits = [(c, r) for c, r in zip(self.crawlers, access, strict=True) if r]
        denied = [(c, r) for c, r in hits if r.kind == DISALLOW]
        verdict, note = Verdict.DISALLOW, ""
        if not denied:
            named = [(c, r) for c, r in hits if c.named]
            verdict = Verdict.ALLOW if named else Verdict.UNKNOWN
            hits = named or hits
            note = "" if named else ", which names no AI-training crawler"
        if not hits:
            return self.policy.finding(verdict, "no Allow or Disallow rule matches the path")
        c, rule = (denied or hits)[0]
        extra = {"agents": sorted({n for d, _ in denied for n in d.names}, key=str.lower)}
        return self.policy.finding(
            verdict,
            f"{rule.where} in {c.where}{note}",
            agent=c.names[0],
            line=rule.line,
            **(extra if denied else {}),
        )

    def _path_findings(
        self, rules: list[Rule | None], make: Callable[[RobotsPolicy, _Applies, Rule], Finding]
    ) -> list[Finding]:
        seen: dict[int, Finding] = {}
        for c, rule in zip(self.crawlers, rules, strict=True):
            if rule is not None and id(rule) not in seen:
                seen[id(rule)] = make(self.policy, c, rule)
        return list(seen.values())


def _usage_finding(policy: RobotsPolicy, c: _Applies, rule: Rule) -> Finding:
    """AIPREF ``Content-Usage`` (attach §3): the vocabulary's effective preferences."""
    where = f"{rule.where} in {c.where}"
    if rule.error or rule.prefs is None:
        return error_finding(
            "aipref", policy.source, f"{rule.error} at {where}", fetched_at=policy.fetched_at
        )
    return preferences_finding(
        rule.prefs,
        source=policy.source,
        rule=where,
        fetched_at=policy.fetched_at,
        detail={"agent": c.names[0], "line": rule.line},
    )


_TRAIN_SIGNAL = {"no": Verdict.DISALLOW, "yes": Verdict.ALLOW}


def _signal_finding(policy: RobotsPolicy, c: _Applies, rule: Rule) -> Finding:
    """Content Signals: ``ai-train=no`` reserves AI training, ``yes`` grants it."""
    where = f"{rule.where} in {c.where}"
    if rule.error:
        return error_finding(
            SIGNAL, policy.source, f"{rule.error} at {where}", fetched_at=policy.fetched_at
        )
    values = dict(rule.signals)
    verdict = _TRAIN_SIGNAL.get(values.get("ai-train", ""), Verdict.UNKNOWN)
    detail = {"signals": values, "agent": c.names[0], "line": rule.line}
    return finding(
        SIGNAL, policy.source, where, verdict, fetched_at=policy.fetched_at, detail=detail
    )
