"""One vocabulary for every machine-readable reservation: a tri-state per purpose.

Each parser (robots.txt, TDMRep, AIPREF, RSL, ``noai``, C2PA/CAWG, IPTC, ai.txt) turns
what a site or a file says into :class:`Finding` objects: for the two purposes
trainclear judges (AI training, and generative-AI training, a kind of it) a
:class:`Verdict` of allow, disallow or unknown, with the scheme, the source, the rule
that decided and when the source was fetched. :func:`combine` merges findings with the
most restrictive statement winning. A source that cannot be fetched or parsed yields an
*error* finding, which disallows both purposes: a check that errors fails closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from trainclear.domain import Purpose


class Verdict(StrEnum):
    """What a statement says about one purpose."""

    ALLOW = "allow"
    DISALLOW = "disallow"
    UNKNOWN = "unknown"
    """No applicable statement: neither reserved nor granted."""


_RANK = {Verdict.DISALLOW: 2, Verdict.ALLOW: 1, Verdict.UNKNOWN: 0}
_GENERATIVE = Purpose.GENERATIVE_AI_TRAINING
"""Read once: an enum member looked up on its class costs more than the comparison."""


def strictest(verdicts: Iterable[Verdict]) -> Verdict:
    """Disallow over allow over unknown: the most restrictive statement wins."""
    best = Verdict.UNKNOWN
    for verdict in verdicts:
        if _RANK[verdict] > _RANK[best]:
            best = verdict
    return best


@dataclass(frozen=True, slots=True)
class Finding:
    """What one signal says, where it said it, and by which rule.

    ``ai_training`` and ``generative_ai_training`` are already *effective* for each
    purpose: a parser whose vocabulary has a general and a specific category (AIPREF's
    ``train-ai`` and ``train-genai``, C2PA's ``ai_training`` and
    ``ai_generative_training``) applies its own specificity rules before returning, so
    a consumer reads the field for the purpose it judges and nothing else.
    """

    scheme: str
    """The signal family: ``robots``, ``aipref``, ``content-signal``, ``rsl``, ``tdmrep``,
    ``x-robots-tag``, ``meta-robots``, ``ai.txt``, ``c2pa``, ``cawg``, ``iptc``."""
    source: str
    """Where the statement was read: a URL, ``header:<name>``, ``html:meta``, a file path."""
    rule: str
    """The statement that decided, as written (e.g. ``Disallow: /`` in the group for
    ``GPTBot``, line 12), or the error when ``error`` is set."""
    ai_training: Verdict = Verdict.UNKNOWN
    generative_ai_training: Verdict = Verdict.UNKNOWN
    fetched_at: datetime | None = None
    error: str | None = None
    """Set when the source could not be fetched or parsed; the finding then disallows."""
    warnings: tuple[str, ...] = ()
    """Tolerated irregularities (a misspelt token, typographic quotes) worth reporting."""
    detail: dict[str, Any] = field(default_factory=dict)
    """Scheme-specific extras (a TDM policy URL, an RSL licence URL, the agent matched)."""

    def verdict(self, purpose: Purpose) -> Verdict:
        """This finding's verdict for a use with ``purpose``."""
        if purpose == _GENERATIVE:
            return self.generative_ai_training
        return self.ai_training

    @property
    def reserved(self) -> bool:
        """Whether the finding disallows any purpose."""
        return Verdict.DISALLOW in (self.ai_training, self.generative_ai_training)

    def at(self, fetched_at: datetime | None) -> Finding:
        """The same finding stamped with the fetch time of its source."""
        return replace(self, fetched_at=fetched_at)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for reports and the API."""
        out: dict[str, Any] = {
            "scheme": self.scheme,
            "source": self.source,
            "rule": self.rule,
            "ai_training": self.ai_training.value,
            "generative_ai_training": self.generative_ai_training.value,
            "fetched_at": self.fetched_at.isoformat() if self.fetched_at else None,
        }
        if self.error is not None:
            out["error"] = self.error
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.detail:
            out["detail"] = self.detail
        return out


def finding(
    scheme: str, source: str, rule: str, ai: Verdict, genai: Verdict | None = None, **extra: Any
) -> Finding:
    """A finding whose generative verdict defaults to the general one (a statement about
    all AI training covers generative training too)."""
    return Finding(scheme, source, rule, ai, ai if genai is None else genai, **extra)


def error_finding(
    scheme: str, source: str, error: str, *, fetched_at: datetime | None = None
) -> Finding:
    """A source that could not be fetched or parsed: disallows both purposes (fail closed)."""
    return Finding(
        scheme,
        source,
        f"error: {error}",
        Verdict.DISALLOW,
        Verdict.DISALLOW,
        fetched_at=fetched_at,
        error=error,
    )


@dataclass(frozen=True, slots=True)
class Judgement:
    """All findings about one URL or file, combined."""

    findings: tuple[Finding, ...]

    def verdict(self, purpose: Purpose) -> Verdict:
        """The most restrictive verdict for ``purpose`` over every finding."""
        return strictest(f.verdict(purpose) for f in self.findings)

    def deciding(self, purpose: Purpose) -> Finding | None:
        """The first finding that carries the combined verdict (None when unknown)."""
        return deciding(self.findings, purpose)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.error is not None)

    def to_dict(self, purpose: Purpose) -> dict[str, Any]:
        deciding = self.deciding(purpose)
        return {
            "verdict": self.verdict(purpose).value,
            "purpose": purpose.value,
            "deciding": deciding.to_dict() if deciding else None,
            "findings": [f.to_dict() for f in self.findings],
        }


def deciding(findings: Iterable[Finding], purpose: Purpose) -> Finding | None:
    """The first of ``findings`` that carries their combined verdict for ``purpose``
    (None when that is unknown), without building a :class:`Judgement`."""
    best, first = 0, None
    for finding in findings:  # one pass: the first of the highest rank
        rank = _RANK[finding.verdict(purpose)]
        if rank > best:
            best, first = rank, finding
    return first


def combine(findings: Iterable[Finding]) -> Judgement:
    """Gather findings into one judgement (order kept, for stable reports)."""
    return Judgement(tuple(findings))
