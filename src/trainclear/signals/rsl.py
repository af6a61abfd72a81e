"""RSL (Really Simple Licensing) 1.0 licence documents, read as AI-training statements.

An RSL document (``<rsl xmlns="https://rslstandard.org/rsl">``) holds ``<content url=...>``
elements, each with ``<license>`` elements whose ``<permits type="usage">`` and
``<prohibits type="usage">`` list usage tokens (RSL 1.0 vocabulary: ``all``, ``ai-all``,
``ai-train``, ``ai-input``, ``ai-index``, ``search``; ``all`` covers ``ai-all`` and
``search``, ``ai-all`` covers ``ai-train``, ``ai-input`` and ``ai-index``) and whose
``<payment type=...>`` names the price ("If omitted, the license is assumed to be free").

How a licence maps onto the tri-state, for each purpose:

* a ``<prohibits>`` covering AI training disallows (a prohibition takes precedence);
* a ``<permits>`` covering it with no price, no licence server and no user or geography
  restriction allows (``attribution`` counts as free; the duty is kept in the detail);
* a ``<permits>`` covering it only under a paid payment type, a licence server ("clients
  must obtain a license for this asset, even if the license is free") or a user/geo
  restriction *disallows*, with ``detail["licence_required"] = True``: training is
  licensable, not cleared. A consumer holding that licence may override; trainclear
  without it must not train (the paired AIPREF example says ``train-ai=n`` for the same
  site). This is the "licensable" outcome of the spec examples;
* a ``<permits type="usage">`` list that does not cover AI training disallows: the
  licence grants other uses only;
* otherwise the licence is silent: unknown.

Several ``<license>`` elements are alternative offers: a prohibition anywhere wins, then
a free grant, then a licensable one. Spellings seen in the wild are accepted with a
warning: AIPREF's ``train-ai`` (used on RSL's own guide pages) for ``ai-train``,
``train-genai`` for generative training only, and typographic quotes around attribute
values. Unknown tokens are ignored with a warning. A document that cannot be read is an
error finding (fail closed). :func:`compile_license` parses a document once for many
URLs; :func:`parse_license` is the one-off form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from trainclear.signals.model import Finding, Verdict, error_finding, strictest
from trainclear.signals.tdmrep import Matcher, compile_pattern, path_target

SCHEME = "rsl"
NAMESPACE = "https://rslstandard.org/rsl"
MAX_XML_CHARS = 4 * 1024 * 1024

USAGES = frozenset({"all", "ai-all", "ai-train", "ai-input", "ai-index", "search"})
_ALIASES = {"train-ai": "ai-train", "ai-training": "ai-train", "train-genai": "train-genai"}
"""Spellings seen in the wild; ``train-genai`` (AIPREF) covers generative training only."""
_TRAINING = frozenset({"ai-train", "ai-all", "all"})
_GENERATIVE = _TRAINING | {"train-genai"}
_FREE = frozenset({"free", "attribution"})
_PAYMENTS = _FREE | {"purchase", "subscription", "training", "crawl", "use", "contribution"}
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'})
_QUOTES.update(str.maketrans({"\u2018": "'", "\u2019": "'"}))

# outcome ranks among alternative licences: prohibited > granted > licensable > not granted
_PROHIBITED, _GRANTED, _LICENSABLE, _NOT_GRANTED, _SILENT = 4, 3, 2, 1, 0


@dataclass(frozen=True, slots=True)
class _Outcome:
    rank: int
    verdict: Verdict
    rule: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class _Terms:
    """One ``<license>``: usage tokens with the element text that named them."""

    permits: dict[str, str] | None = None
    prohibits: dict[str, str] = field(default_factory=dict)
    restrictions: list[str] = field(default_factory=list)
    payments: list[str] = field(default_factory=list)


def parse_license(
    xml: str | bytes,
    *,
    source: str,
    fetched_at: datetime | None = None,
    url: str | None = None,
) -> Finding:
    """What an RSL licence says about AI training of ``url`` (or of everything it covers).

    One-off form of :func:`compile_license`; compile once to judge many URLs.
    """
    return compile_license(xml, source=source, fetched_at=fetched_at).judge(url)


@dataclass(frozen=True, slots=True)
class _Scope:
    """One ``<content>``: where it applies and what it says, judged once."""

    origin: str | None
    matches: Matcher
    rank: tuple[int, bool]
    finding: Finding


@dataclass(frozen=True, slots=True)
class RslLicence:
    """A compiled RSL document: its ``<content>`` scopes in document order."""

    source: str
    scopes: tuple[_Scope, ...]
    overall: Finding
    """The strictest of all scopes: the answer when no URL is given."""
    fetched_at: datetime | None = None
    warnings: tuple[str, ...] = ()
    """Irregularities of the document as a whole, reported on every finding."""

    def judge(self, url: str | None = None) -> Finding:
        """The finding for ``url``: the ``<content>`` whose pattern matches it (a full URL
        or an RFC 9309 path pattern); the longest pattern wins, a full URL naming ``url``'s
        host before a bare path of the same length, the first in the document on a tie. A
        bare path is not tied to the licence's own host (robots.txt may name a licence
        hosted elsewhere). A URL no ``<content>`` covers is unknown; no URL, the strictest.
        """
        if url is None or self.overall.error is not None:
            return self.overall
        try:
            target, origin = path_target(url), _origin(url)
        except ValueError:
            why = f"unparseable URL {url!r}"
            return error_finding(SCHEME, self.source, why, fetched_at=self.fetched_at)
        best: _Scope | None = None
        for scope in self.scopes:
            if scope.origin is not None and origin is not None and scope.origin != origin:
                continue
            if (best is None or scope.rank > best.rank) and scope.matches(target):
                best = scope
        if best is not None:
            return best.finding
        rule = f"no <content> covers {url}"
        silent = _silent(rule)
        return _finding(self.source, self.fetched_at, list(self.warnings), silent, silent)


def compile_license(
    xml: str | bytes, *, source: str, fetched_at: datetime | None = None
) -> RslLicence:
    """Parse an RSL document once; an unreadable one judges every URL as an error."""
    warnings: list[str] = []
    root, problem = _parse(xml, warnings)
    contents: list[Element] = []
    if root is not None:
        contents = [el for el in root.iter() if _local(el.tag) == "content"]
        problem = _structure(root, contents, warnings)
    if root is None or problem:
        error = error_finding(SCHEME, source, problem, fetched_at=fetched_at)
        return RslLicence(source, (), error, fetched_at)
    judged = [_scope(c, source, fetched_at, warnings) for c in contents]
    scopes = tuple(scope for scope, _ in judged)
    document = tuple(warnings)
    if len(judged) > 1:
        warnings.append(f"{len(judged)} <content> elements and no URL: strictest kept")
    ai, genai = _strictest([outcomes for _, outcomes in judged])
    overall = _finding(source, fetched_at, warnings + _scoped_warnings(scopes), ai, genai)
    return RslLicence(source, scopes, overall, fetched_at, document)


def _structure(root: Element, contents: list[Element], warnings: list[str]) -> str:
    """What makes a parsed document no RSL licence ("" when it is one)."""
    if _local(root.tag) != "rsl":
        return f"root element is <{_local(root.tag)}>, not <rsl>"
    if not contents:
        return "no <content> element"
    if not str(root.tag).startswith("{" + NAMESPACE + "}"):
        warnings.append(f"<rsl> is not in the namespace {NAMESPACE}")
    return ""


def _scope(
    content: Element, source: str, fetched_at: datetime | None, document: list[str]
) -> tuple[_Scope, tuple[_Outcome, _Outcome]]:
    warnings = list(document)
    pattern = (content.get("url") or "").strip()
    if not pattern:
        warnings.append("<content> without url read as covering the whole site")
        pattern = "/"
    origin, pattern = _placed(pattern, warnings)
    outcomes = _judge_content(content, warnings)
    found = _finding(source, fetched_at, warnings, *outcomes)
    rank = (len(pattern), origin is not None)
    matches = compile_pattern(pattern) if pattern else _nowhere
    return _Scope(origin, matches, rank, found), outcomes


def _nowhere(target: str) -> bool:
    return False


def _placed(pattern: str, warnings: list[str]) -> tuple[str | None, str]:
    """The origin a ``<content url>`` names (None for a bare path) and its path pattern,
    "" for an unparseable URL, whose scope then matches no URL."""
    if "://" not in pattern:
        return None, pattern
    try:
        origin, parts = _origin(pattern), urlsplit(pattern)
    except ValueError:
        warnings.append(f"<content url={pattern!r}> is not a URL: it covers nothing")
        return None, ""
    path = parts.path if parts.path.startswith("/") else "/" + parts.path
    return origin, f"{path}?{parts.query}" if parts.query else path


def _scoped_warnings(scopes: tuple[_Scope, ...]) -> list[str]:
    return [w for scope in scopes for w in scope.finding.warnings]


def _parse(xml: str | bytes, warnings: list[str]) -> tuple[Element | None, str]:
    """The root element, parsed safely; typographic quotes are repaired with a warning."""
    if len(xml) > MAX_XML_CHARS:
        return None, f"licence larger than {MAX_XML_CHARS} characters"
    try:
        return fromstring(
            xml.lstrip() if isinstance(xml, bytes) else xml.lstrip("\ufeff \t\r\n")
        ), ""
    except DefusedXmlException as exc:
        return None, f"XML refused ({type(exc).__name__})"
    except (ParseError, ValueError) as exc:
        problem = f"not well-formed XML: {exc}"
    text = xml.decode("utf-8", "replace") if isinstance(xml, bytes) else xml
    repaired = text.translate(_QUOTES)
    if repaired == text:
        return None, problem
    try:
        root = fromstring(repaired.lstrip("\ufeff \t\r\n"))
    except (DefusedXmlException, ParseError, ValueError):
        return None, problem
    warnings.append("typographic quotes (\u201c\u201d\u2018\u2019) read as ASCII quotes")
    return root, ""


def _origin(url: str) -> str | None:
    """``scheme://host[:port]``, lower-cased, default ports dropped; None for a path.
    Raises ValueError for an unparseable URL."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return None
    scheme, port = parts.scheme.lower(), parts.port
    default = (scheme, port) in (("http", 80), ("https", 443)) or port is None
    return f"{scheme}://{parts.hostname.lower()}" + ("" if default else f":{port}")


def _judge_content(content: Element, warnings: list[str]) -> tuple[_Outcome, _Outcome]:
    """The outcome for AI training and for generative AI training of one ``<content>``."""
    server = (content.get("server") or "").strip()
    licences = [_terms(el, warnings) for el in content if _local(el.tag) == "license"]
    if not licences:
        silent = _silent("<content> has no <license>")
        return silent, silent
    ai = max((_judge(t, _TRAINING, server) for t in licences), key=_rank)
    genai = max((_judge(t, _GENERATIVE, server) for t in licences), key=_rank)
    return ai, genai


def _rank(outcome: _Outcome) -> int:
    return outcome.rank


def _terms(licence: Element, warnings: list[str]) -> _Terms:
    terms = _Terms()
    for el in licence:
        name = _local(el.tag)
        kind = (el.get("type") or "usage").strip().lower()
        text = " ".join((el.text or "").split())
        if name == "payment":
            terms.payments.append(_payment(kind, warnings))
        elif name in ("permits", "prohibits") and kind != "usage":
            terms.restrictions.append(f"{name} {kind}: {text}")
        elif name == "permits":
            terms.permits = terms.permits or {}
            terms.permits.update(dict.fromkeys(_tokens(text, warnings), text))
        elif name == "prohibits":
            terms.prohibits.update(dict.fromkeys(_tokens(text, warnings), text))
    return terms


def _tokens(text: str, warnings: list[str]) -> Iterable[str]:
    """Usage tokens, "separated by one or more spaces" (commas tolerated)."""
    for raw in text.replace(",", " ").lower().split():
        if raw in USAGES:
            yield raw
        elif raw in _ALIASES:
            warnings.append(f"usage {raw!r} is not RSL 1.0 vocabulary: read as {_ALIASES[raw]!r}")
            yield _ALIASES[raw]
        else:
            warnings.append(f"unknown usage {raw!r} ignored")


def _payment(kind: str, warnings: list[str]) -> str:
    if kind not in _PAYMENTS:
        warnings.append(f"unknown payment type {kind!r} read as a price")
    return kind


def _judge(terms: _Terms, tokens: frozenset[str], server: str) -> _Outcome:
    """One licence's outcome for the purpose whose covering tokens are ``tokens``."""
    prohibited = next((t for t in terms.prohibits if t in tokens), None)
    if prohibited is not None:
        rule = f'<prohibits type="usage">{terms.prohibits[prohibited]}</prohibits>'
        return _Outcome(_PROHIBITED, Verdict.DISALLOW, rule, {"prohibits": prohibited})
    permits = terms.permits
    if permits is None:
        return _silent("the licence neither permits nor prohibits AI training")
    granted = next((t for t in permits if t in tokens), None)
    if granted is None:
        rule = f'<permits type="usage">{" ".join(permits)}</permits> grants no AI training'
        return _Outcome(_NOT_GRANTED, Verdict.DISALLOW, rule, {"permits": sorted(permits)})
    rule = f'<permits type="usage">{permits[granted]}</permits>'
    conditions = [f"payment {p}" for p in terms.payments if p not in _FREE]
    conditions += [f"licence server {server}"] if server else []
    conditions += terms.restrictions
    detail: dict[str, Any] = {"permits": granted, "payment": terms.payments or ["free"]}
    if conditions:
        detail |= {"licence_required": True, "conditions": conditions}
        rule += " only under " + "; ".join(conditions)
        return _Outcome(_LICENSABLE, Verdict.DISALLOW, rule, detail)
    return _Outcome(_GRANTED, Verdict.ALLOW, rule, detail)


def _silent(rule: str) -> _Outcome:
    return _Outcome(_SILENT, Verdict.UNKNOWN, rule)


def _strictest(judged: list[tuple[_Outcome, _Outcome]]) -> tuple[_Outcome, _Outcome]:
    """Across ``<content>`` elements (no URL given): the most restrictive verdict."""
    if len(judged) == 1:
        return judged[0]
    picked = []
    for i in (0, 1):
        verdict = strictest(pair[i].verdict for pair in judged)
        picked.append(next(pair[i] for pair in judged if pair[i].verdict == verdict))
    return picked[0], picked[1]


def _finding(
    source: str, fetched_at: datetime | None, warnings: list[str], ai: _Outcome, genai: _Outcome
) -> Finding:
    rule = ai.rule if ai.rule == genai.rule else f"{ai.rule}; generative: {genai.rule}"
    detail = {"licence": source, **ai.detail}
    if genai.detail != ai.detail:
        detail["generative"] = genai.detail
    return Finding(
        SCHEME,
        source,
        rule,
        ai.verdict,
        genai.verdict,
        fetched_at=fetched_at,
        warnings=tuple(dict.fromkeys(warnings)),
        detail=detail,
    )


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""
