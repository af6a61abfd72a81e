"""IETF AIPREF usage preferences (draft-ietf-aipref-vocab, draft-ietf-aipref-attach).

A preference expression is an RFC 9651 Dictionary whose keys are category labels and
whose values are the Tokens ``y`` (allow) or ``n`` (disallow) (vocab §"Exemplary
Serialization Format"). It reaches us as the ``Content-Usage`` HTTP header (attach §2)
or a ``Content-Usage`` robots.txt rule (attach §3, handled in :mod:`.robots`).

The labels have changed between drafts, so we read the union and keep each draft's
hierarchy (vocab -02..-05 §4: "A preference that is expressed for the more general
category applies if no preference is expressed for the more specific category"):

* ``all`` (Automated Processing; ``bots`` in earlier drafts) contains every category;
* ``train-ai`` (AI Training) is contained in it, and contains ``train-genai``
  (Generative AI Training);
* ``search`` and ``ai-use`` sit beside AI Training and do not decide training.

Later drafts define ``train-ai`` as training a *generative* model only and drop
``train-genai``; we still read ``train-ai`` as covering all AI training, the reading
that reserves more. Unknown labels and all parameters are ignored (vocab §6.4);
a value that is not the Token ``y`` or ``n`` leaves its category unknown (§6.5).

One deliberate deviation: the draft says "If the parsing of the Dictionary fails,
preferences are unknown". trainclear fails closed instead: an unparseable expression
(``Train-AI=n``) is an error finding that disallows, because its author almost
always meant a reservation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainclear.signals.model import Finding, Verdict, error_finding, strictest
from trainclear.signals.sfv import Item, SFVError, Token, parse_dictionary

SCHEME = "aipref"
ROOT_LABELS = ("all", "bots")
LABELS = ("train-genai", "train-ai", "ai-use", "search", *ROOT_LABELS)
AI_TRAINING_CHAIN = ("train-ai", *ROOT_LABELS)
"""Labels consulted for AI training, most specific first."""
GENAI_TRAINING_CHAIN = ("train-genai", *AI_TRAINING_CHAIN)
"""Labels consulted for generative-AI training, most specific first."""
_VALUES = {"y": Verdict.ALLOW, "n": Verdict.DISALLOW}


class AiprefSyntaxError(ValueError):
    """A preference expression that is not a valid RFC 9651 Dictionary."""


@dataclass(frozen=True, slots=True)
class Preferences:
    """The explicit allow/disallow per known category label of one statement."""

    explicit: tuple[tuple[str, Verdict], ...] = ()

    def get(self, label: str) -> Verdict:
        """The explicit preference for ``label`` alone, or unknown."""
        return next((v for k, v in self.explicit if k == label), Verdict.UNKNOWN)

    def effective(self, chain: tuple[str, ...]) -> Verdict:
        """The first explicit preference along ``chain`` (vocab §7, step 2).

        ``all`` and its older name ``bots`` are one category; if both are given,
        the stricter counts.
        """
        for label in chain:
            if label == "bots":
                continue
            verdict = self.get(label)
            if label == "all":
                verdict = strictest((verdict, self.get("bots")))
            if verdict != Verdict.UNKNOWN:
                return verdict
        return Verdict.UNKNOWN

    @property
    def ai_training(self) -> Verdict:
        return self.effective(AI_TRAINING_CHAIN)

    @property
    def generative_ai_training(self) -> Verdict:
        return self.effective(GENAI_TRAINING_CHAIN)

    def as_dict(self) -> dict[str, str]:
        return {label: verdict.value for label, verdict in self.explicit}


def parse_preferences(value: str | bytes) -> Preferences:
    """Read the explicit preferences of one expression (vocab §6.5).

    Raises:
        AiprefSyntaxError: the expression is not a valid Dictionary.
    """
    try:
        members = parse_dictionary(value)
    except SFVError as exc:
        raise AiprefSyntaxError(str(exc)) from exc
    explicit = []
    for label in LABELS:
        member = members.get(label)
        if isinstance(member, Item) and isinstance(member.value, Token):
            verdict = _VALUES.get(str(member.value))
            if verdict is not None:
                explicit.append((label, verdict))
    return Preferences(tuple(explicit))


def combine_preferences(statements: Iterable[Preferences]) -> Preferences:
    """Several statements about one asset, per category the most restrictive
    (vocab §7.1; attach §3.1 for identical-path robots.txt rules)."""
    by_label: dict[str, list[Verdict]] = {}
    for statement in statements:
        for label, verdict in statement.explicit:
            by_label.setdefault(label, []).append(verdict)
    return Preferences(tuple((k, strictest(v)) for k, v in by_label.items()))


def preferences_finding(
    prefs: Preferences,
    *,
    source: str,
    rule: str,
    fetched_at: datetime | None = None,
    detail: dict[str, Any] | None = None,
) -> Finding:
    """The finding for an already parsed statement, effective per purpose."""
    extra = {"preferences": prefs.as_dict(), **(detail or {})}
    return Finding(
        SCHEME,
        source,
        rule,
        prefs.ai_training,
        prefs.generative_ai_training,
        fetched_at=fetched_at,
        detail=extra,
    )


def parse_content_usage(
    value: str | bytes, *, source: str, fetched_at: datetime | None = None
) -> Finding:
    """The finding for a ``Content-Usage`` header value (attach §2).

    Several header lines are one field: join them with ``", "`` before calling
    (RFC 9110 §5.3). A syntax error gives an error finding (fail closed).
    """
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    try:
        prefs = parse_preferences(value)
    except AiprefSyntaxError as exc:
        return error_finding(
            SCHEME, source, f"invalid Content-Usage {text!r}: {exc}", fetched_at=fetched_at
        )
    return preferences_finding(
        prefs, source=source, rule=f"Content-Usage: {text}", fetched_at=fetched_at
    )
