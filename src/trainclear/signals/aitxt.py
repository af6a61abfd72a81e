"""Spawning's ai.txt: robots.txt-style rules about AI training, by file type.

An ai.txt (served at ``/ai.txt``) holds ``User-Agent:`` groups with ``Allow:`` and
``Disallow:`` lines whose patterns are usually file types (``*.jpg``) or paths
(``/``). Unlike robots.txt it speaks about AI training itself, so a matching
``Disallow`` reserves training of the URL and a matching ``Allow`` grants it.

We read it with the robots.txt grammar and matching (:mod:`.robots`: longest match,
Allow on ties, ``*`` and ``$``) with three choices of our own, each erring towards
a reservation:

* every group counts, whatever agent it names: the file is only about AI use;
  a disallow in any group wins over an allow in another;
* rules before the first ``User-Agent`` line apply to all agents;
* matching ignores case, so ``*.jpg`` also covers ``PHOTO.JPG``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from trainclear.signals.model import Finding, Verdict, error_finding, finding
from trainclear.signals.robots import (
    ALLOW,
    DISALLOW,
    Rule,
    first_match,
    parse_robots,
    request_path,
)

SCHEME = "ai.txt"
_PREFIX = "User-Agent: *\n"
"""Put before the text so rules ahead of any group apply to all; numbers shift by one."""
_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True, slots=True, eq=False)
class AiTxtPolicy:
    """A parsed ai.txt, ready to judge URLs of its site."""

    source: str
    status: int | None
    state: str
    """``ok``, ``unavailable`` (no file: no statement) or ``unreachable`` (fail closed)."""
    groups: tuple[tuple[Rule, ...], ...]
    """Each distinct group's Allow/Disallow rules, lower-cased, sorted for matching."""
    fetched_at: datetime | None = None
    warnings: tuple[str, ...] = ()
    _outcomes: dict[int, Finding] = field(default_factory=dict, repr=False)
    """Findings by deciding rule (0: none), shared by every URL with that outcome;
    callers must not modify a finding (as with robots.txt findings)."""

    def judge(self, url_or_path: str) -> Finding:
        """Whether AI training of the URL is disallowed, allowed or not addressed."""
        return self.judge_path(request_path(url_or_path))

    def judge_path(self, path: str) -> Finding:
        """:meth:`judge` of a path already normalised by :func:`request_path`."""
        if self.state != "ok":
            return self._status_finding()
        path = path.lower()
        hits = [rule for rules in self.groups if (rule := first_match(rules, path))]
        denied = [rule for rule in hits if rule.kind == DISALLOW]
        rule = (denied or hits)[0] if hits else None
        key = id(rule) if rule is not None else 0
        found = self._outcomes.get(key)
        if found is None:
            found = self._outcomes[key] = self._decide(rule, bool(denied))
        return found

    def _decide(self, rule: Rule | None, denied: bool) -> Finding:
        if rule is None:
            return self._finding(Verdict.UNKNOWN, "no Allow or Disallow rule matches the path")
        verdict = Verdict.DISALLOW if denied else Verdict.ALLOW
        return self._finding(verdict, rule.where, line=rule.line)

    def _finding(self, verdict: Verdict, rule: str, **detail: object) -> Finding:
        return finding(
            SCHEME,
            self.source,
            rule,
            verdict,
            fetched_at=self.fetched_at,
            warnings=self.warnings,
            detail=dict(detail),
        )

    def _status_finding(self) -> Finding:
        code = "no response" if self.status is None else f"HTTP {self.status}"
        if self.state == "unreachable":
            why = f"ai.txt unreachable ({code})"
            return error_finding(SCHEME, self.source, why, fetched_at=self.fetched_at)
        return self._finding(Verdict.UNKNOWN, f"no ai.txt ({code})", status=self.status)


def parse_ai_txt(
    body: bytes | str,
    *,
    status: int | None = 200,
    source: str,
    fetched_at: datetime | None = None,
) -> AiTxtPolicy:
    """Parse an ai.txt response once; statuses as for robots.txt (RFC 9309 §2.3.1)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    robots = parse_robots(_PREFIX + text, status=status, source=source, fetched_at=fetched_at)
    groups = {id(g): g for g in robots.groups.values()}.values()
    compiled = tuple(_lowered(g.access) for g in groups if g.access)
    warnings = tuple(_LINE.sub(lambda m: f"line {int(m.group(1)) - 1}", w) for w in robots.warnings)
    return AiTxtPolicy(source, status, robots.state, compiled, fetched_at, warnings)


def _lowered(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Case-insensitive copies, numbered as in the file, re-sorted for matching."""
    copies = [Rule(r.kind, r.pattern.lower(), r.line - 1, r.text) for r in rules]
    return tuple(sorted(copies, key=lambda r: (-len(r.pattern), r.kind != ALLOW)))
