"""W3C TDM Reservation Protocol (TDMRep), Final Community Group Report of 10 May 2024.

Every carrier the report defines says the same two things: ``tdm-reservation`` 1 ("TDM
rights are reserved", the CDSM Art. 4 opt-out) or 0 ("TDM rights are not reserved"),
and an optional ``tdm-policy`` URL. "Other values are considered protocol errors. In such
a case the TDM Agents MUST consider that tdm-reservation is unset" (§ tdm-reservation):
an invalid value is read as unset, with a warning. TDMRep has no separate category for
generative AI, so one value decides both purposes: 1 disallows both, 0 allows both. The
policy URL goes to ``Finding.detail["tdm_policy"]``; a policy offers a licence, it never
grants one. Carriers: ``/.well-known/tdmrep.json`` (:func:`parse_well_known`, compiled
once per site), the HTTP header fields, HTML meta, EPUB package metadata and PDF XMP;
:func:`resolve` applies the report's processing priority. TDM Policy documents are read
for information only (:func:`parse_policy`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from itertools import pairwise
from typing import Any
from urllib.parse import quote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from trainclear.signals.html import attributes, meta_tags
from trainclear.signals.model import Finding, Verdict, error_finding, finding

SCHEME = "tdmrep"
EPUB_NS = "http://www.w3.org/ns/tdmrep#"
"""The ``tdm`` prefix of EPUB 3 package metadata (and of TDM Policies)."""
PDF_NS = "http://www.w3.org/ns/tdmrep/"
"""The XMP namespace of ``tdm:reservation`` in PDF (a slash, unlike EPUB's hash)."""
MAX_RULES = 10_000
MAX_XML_CHARS = 4 * 1024 * 1024

_VERDICT = {1: Verdict.DISALLOW, 0: Verdict.ALLOW, None: Verdict.UNKNOWN}
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_STARS = re.compile(r"\*+")
Matcher = Callable[[str], bool]


# --- location patterns (§ "TDM File on the Origin Server", robots.txt-style) -------------


def path_target(url_or_path: str) -> str:
    """The path and query of a URL (or a path as given), normalised for matching.

    Percent-encoded unreserved characters are decoded and other escapes upper-cased, as
    the report requires before comparison; a literal ``$`` or ``*`` in the URL is compared
    in its %-encoded form, since "If TDM Agents match special characters verbatim in the
    URI, they MUST use '%' encoding". Raises ValueError for an unparseable URL.
    """
    if url_or_path.startswith("/"):
        target = url_or_path.split("#", 1)[0]
    else:
        parts = urlsplit(url_or_path)
        target = parts.path if parts.path.startswith("/") else "/" + parts.path
        target = f"{target}?{parts.query}" if parts.query else target
    if "$" in target or "*" in target:
        target = target.replace("$", "%24").replace("*", "%2A")
    return _normalise(target)


def compile_pattern(pattern: str) -> Matcher:
    """A matcher for one location pattern: ``*`` is any run of characters, a final ``$``
    ends the match, otherwise the pattern matches as a prefix (draft-koster-rep-00
    §2.2.3, which the report reuses; "The matching SHOULD be case sensitive")."""
    anchored = pattern.endswith("$")
    body = _normalise((pattern[:-1] if anchored else pattern).replace("$", "%24"))
    parts = _STARS.split(body)
    if len(parts) == 1:
        literal = parts[0]
        return literal.__eq__ if anchored else partial(_starts, literal)
    return partial(_glob, tuple(parts), anchored)


def _starts(prefix: str, target: str) -> bool:
    return target.startswith(prefix)


def _glob(parts: tuple[str, ...], anchored: bool, target: str) -> bool:
    """Leftmost matching of the literal parts between stars: linear, no backtracking."""
    if not target.startswith(parts[0]):
        return False
    pos = len(parts[0])
    for middle in parts[1:-1]:
        at = target.find(middle, pos)
        if at < 0:
            return False
        pos = at + len(middle)
    last = parts[-1]
    if anchored:
        return len(target) - len(last) >= pos and target.endswith(last)
    return target.find(last, pos) >= 0


def _normalise(text: str) -> str:
    if not text.isascii():
        text = quote(text, safe="!#$%&'()*+,/:;=?@[]~")
    if "%" not in text:
        return text
    return _PCT.sub(_unescape_unreserved, text)


def _unescape_unreserved(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else "%" + match.group(1).upper()


# --- values -------------------------------------------------------------------------------


def _text_value(values: Iterable[str], what: str) -> tuple[int | None, list[str]]:
    """The reservation in header or meta values (a repeated field may be comma-joined)."""
    seen: set[int] = set()
    warnings: list[str] = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if item in ("0", "1"):
                seen.add(int(item))
            else:
                warnings.append(f"{what} {item!r} is not 0 or 1: a protocol error, read as unset")
    if len(seen) > 1:
        warnings.append(f"{what} says both 0 and 1: the reservation (1) is kept")
        return 1, warnings
    return (seen.pop() if seen else None), warnings


def _json_value(value: Any) -> tuple[int | None, str | None]:
    """The reservation of one tdmrep.json rule; the report's examples use integers."""
    if isinstance(value, bool) or (isinstance(value, float) and value in (0.0, 1.0)):
        return int(value), f"tdm-reservation {json.dumps(value)} read as {int(value)}"
    if isinstance(value, int) and value in (0, 1):
        return value, None
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return int(value.strip()), f"tdm-reservation {value!r} is a string, read as a number"
    shown = json.dumps(value)[:80] if value is not None else "missing"
    return None, f"tdm-reservation {shown} is not 0 or 1: a protocol error, read as unset"


def _declared(
    carrier: str,
    source: str,
    rule: str,
    reservation: int | None,
    policy: str | None,
    *,
    fetched_at: datetime | None,
    warnings: Iterable[str] = (),
    **extra: Any,
) -> Finding:
    """A finding of one carrier; the policy is kept unless TDM rights are not reserved
    ("TDM Agents SHOULD NOT process tdm-policy in this case", § tdm-policy)."""
    detail: dict[str, Any] = {"carrier": carrier, "tdm_reservation": reservation, **extra}
    if policy and reservation != 0:
        detail["tdm_policy"] = policy
    verdict = _VERDICT[reservation]
    return finding(
        SCHEME,
        source,
        rule,
        verdict,
        fetched_at=fetched_at,
        warnings=tuple(dict.fromkeys(warnings)),
        detail=detail,
    )


def _first_policy(values: Sequence[str], warnings: list[str]) -> str | None:
    policies = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(policies) > 1:
        warnings.append(f"{len(policies)} different tdm-policy values: the first is kept")
    return policies[0] if policies else None


def _from_fields(
    carrier: str,
    source: str,
    fields: Sequence[tuple[str, str]],
    *,
    fetched_at: datetime | None,
    warnings: list[str],
    label: str,
) -> Finding | None:
    """A finding from ``("reservation" | "policy", value)`` pairs; None when there are none."""
    reservations = [v for k, v in fields if k == "reservation"]
    policies = [v for k, v in fields if k == "policy"]
    if not reservations and not policies:
        return None
    reservation, problems = _text_value(reservations, "tdm-reservation")
    policy = _first_policy(policies, problems)
    shown = ", ".join(reservations) if reservations else "(absent)"
    rule = f"{label} tdm-reservation: {shown}"
    return _declared(
        carrier,
        source,
        rule,
        reservation,
        policy,
        fetched_at=fetched_at,
        warnings=warnings + problems,
    )


# --- HTTP header fields and HTML meta (§ "TDM Header Field", § "TDM Metadata in HTML") ----


def from_headers(
    headers: Mapping[str, str], *, source: str, fetched_at: datetime | None = None
) -> Finding | None:
    """The ``tdm-reservation`` / ``tdm-policy`` response header fields (names in any case);
    None when neither is present."""
    fields: list[tuple[str, str]] = []
    for name, value in headers.items():
        key = name.strip().lower()
        if key in ("tdm-reservation", "tdm-policy"):
            fields.append((key[4:], value))
    return _from_fields(
        "header", source, fields, fetched_at=fetched_at, warnings=[], label="header"
    )


def from_html(
    html: str | bytes | Sequence[tuple[str, str]],
    *,
    source: str,
    fetched_at: datetime | None = None,
) -> Finding | None:
    """``<meta name="tdm-reservation">`` and ``<meta name="tdm-policy">`` of a page's head
    (or of pairs already read by :func:`~.html.meta_tags`); None when neither is present.
    The ``tdm:reservation`` spelling seen in the wild is read with a warning."""
    tags = meta_tags(html) if isinstance(html, str | bytes) else html
    fields: list[tuple[str, str]] = []
    warnings: list[str] = []
    for name, content in tags:
        if name in ("tdm-reservation", "tdm-policy"):
            fields.append((name[4:], content))
        elif name in ("tdm:reservation", "tdm:policy"):
            fields.append((name[4:], content))
            warnings.append(f'<meta name="{name}"> read as "tdm-{name[4:]}"')
    return _from_fields(
        "html", source, fields, fetched_at=fetched_at, warnings=warnings, label="meta"
    )


# --- /.well-known/tdmrep.json (§ "TDM File on the Origin Server") -------------------------


@dataclass(frozen=True, slots=True)
class _Rule:
    matches: Matcher
    finding: Finding


@dataclass(frozen=True, slots=True)
class TdmrepFile:
    """A compiled ``tdmrep.json``: rules in file order, judged first match first.

    ``error`` is set when the file could not be fetched or read; every URL then gets it
    (fail closed). ``unmatched`` is what a URL no rule matches gets: "If no match is found,
    a TDM Agent MUST consider that tdm-reservation is unset for the given URL."
    """

    source: str
    rules: tuple[_Rule, ...]
    unmatched: Finding
    error: Finding | None = None

    def judge(self, url_or_path: str) -> Finding:
        """The finding for one URL (or path and query): "The most specific match found
        MUST be used. The most specific match is the first in sequence.\""""
        if self.error is not None:
            return self.error
        try:
            target = path_target(url_or_path)
        except ValueError:
            return _file_error(self.source, f"unparseable URL {url_or_path!r}", None)
        for rule in self.rules:
            if rule.matches(target):
                return rule.finding
        return self.unmatched


def parse_well_known(
    body: str | bytes, *, status: int | None, source: str, fetched_at: datetime | None = None
) -> TdmrepFile:
    """Compile a fetched ``/.well-known/tdmrep.json``.

    ``status`` None (unreachable) or a server error fails closed; a 4xx (other than 429)
    means the origin "does not implement this protocol" ("Failure to provide access to
    such a representation implies that the origin server does not implement this
    protocol"), as does a 2xx HTML page (a soft 404) or an empty body, with a warning.
    A body that is not a JSON array of rule objects, or a rule without a string
    ``location``, is an error finding that disallows: the rules cannot be known.
    """
    if status is None or status == 429 or not 200 <= status < 500 or 300 <= status < 400:
        why = "unreachable" if status is None else f"HTTP {status}"
        return _failed(source, f"tdmrep.json {why}", fetched_at)
    if status >= 400:
        return _absent(source, f"no tdmrep.json (HTTP {status})", fetched_at)
    try:
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else body.lstrip("\ufeff")
    except UnicodeDecodeError:
        return _failed(source, "tdmrep.json is not UTF-8", fetched_at)
    if not text.strip() or text.lstrip().startswith("<"):
        why = "empty" if not text.strip() else "an HTML page"
        note = f"tdmrep.json is {why}: read as no tdmrep.json"
        return _absent(source, "no tdmrep.json", fetched_at, (note,))
    try:
        items = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return _failed(source, f"tdmrep.json is not JSON: {str(exc)[:120]}", fetched_at)
    try:
        rules = _rules(items, source, fetched_at)
    except ValueError as exc:
        return _failed(source, str(exc), fetched_at)
    unmatched = _declared(
        "well-known", source, "no tdmrep.json rule matches", None, None, fetched_at=fetched_at
    )
    return TdmrepFile(source, rules, unmatched)


def _rules(items: Any, source: str, fetched_at: datetime | None) -> tuple[_Rule, ...]:
    if not isinstance(items, list):
        raise ValueError("tdmrep.json is not a JSON array of rules")
    if len(items) > MAX_RULES:
        raise ValueError(f"tdmrep.json has more than {MAX_RULES} rules")
    return tuple(_rule(i, item, source, fetched_at) for i, item in enumerate(items, 1))


def _rule(i: int, item: Any, source: str, fetched_at: datetime | None) -> _Rule:
    """One rule; "In each rule, location and tdm-reservation are mandatory"."""
    if not isinstance(item, dict):
        raise ValueError(f"tdmrep.json rule {i} is not an object")
    location = item.get("location")
    if not isinstance(location, str) or not location.strip():
        raise ValueError(f"tdmrep.json rule {i} has no location")
    warnings: list[str] = []
    pattern = _pattern(location.strip(), warnings)
    reservation, problem = _json_value(item.get("tdm-reservation"))
    warnings.extend([problem] if problem else [])
    policy = item.get("tdm-policy")
    if policy is not None and not isinstance(policy, str):
        warnings.append(f"rule {i}: tdm-policy is not a string, ignored")
        policy = None
    rule = f"tdmrep.json rule {i}: {json.dumps(item, ensure_ascii=False)[:300]}"
    found = _declared(
        "well-known",
        source,
        rule,
        reservation,
        policy,
        fetched_at=fetched_at,
        warnings=warnings,
        location=location,
    )
    return _Rule(compile_pattern(pattern), found)


def _pattern(location: str, warnings: list[str]) -> str:
    """The path pattern of a location; a full URL or a missing leading slash is tolerated."""
    if location.lower().startswith(("http://", "https://")):
        parts = urlsplit(location)
        warnings.append(f"location {location!r} is a URL: its path is used")
        location = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    elif not location.startswith(("/", "*")):
        warnings.append(f"location {location!r} does not start with '/': read as '/{location}'")
        location = "/" + location
    return location


def _file_error(source: str, why: str, fetched_at: datetime | None) -> Finding:
    found = error_finding(SCHEME, source, why, fetched_at=fetched_at)
    return replace(found, detail={"carrier": "well-known", "tdm_reservation": None})


def _failed(source: str, why: str, fetched_at: datetime | None) -> TdmrepFile:
    error = _file_error(source, why, fetched_at)
    return TdmrepFile(source, (), error, error)


def _absent(
    source: str, rule: str, fetched_at: datetime | None, warnings: tuple[str, ...] = ()
) -> TdmrepFile:
    unmatched = _declared(
        "well-known", source, rule, None, None, fetched_at=fetched_at, warnings=warnings
    )
    return TdmrepFile(source, (), unmatched)


# --- EPUB package metadata and PDF XMP ----------------------------------------------------

_TDM_NAMESPACES = (PDF_NS, EPUB_NS)
_FIELDS = ("reservation", "policy")
_XMLNS = re.compile(r"""xmlns:([\w.-]+)\s*=\s*["']?([^"'\s>]+)""")
_PREFIX_ATTR = re.compile(r"""\bprefix\s*=\s*["']([^"']*)["']""")
_OPF_META = re.compile(
    r"<(?:[\w.-]+:)?meta\b([^>]*?)/?>(?:([^<]*)</(?:[\w.-]+:)?meta\s*>)?", re.IGNORECASE
)
_TOLERATED = "not well-formed XML: read tolerantly"


def from_opf(
    xml_text: str | bytes, *, source: str, fetched_at: datetime | None = None
) -> Finding | None:
    """``tdm:reservation`` / ``tdm:policy`` of an EPUB package document: EPUB 3
    ``<meta property="tdm:reservation">1</meta>`` (the ``tdm`` prefix bound to
    ``http://www.w3.org/ns/tdmrep#``) or EPUB 2 ``<meta name="tdm:reservation"
    content="1"/>``. They "cover TDM rights for every resource in the package".

    A document that is not well-formed XML (the report's own examples elide attributes
    with ``...``) is scanned tolerantly, with a warning; one from which nothing can be
    read at all is an error finding. None when a readable document declares nothing.
    """
    root, text = _xml(xml_text)
    if root is not None:
        prefixes = _prefix_map(root.get("prefix", ""))
        metas = [
            (el.attrib, "".join(el.itertext())) for el in root.iter() if _local(el.tag) == "meta"
        ]
        warnings: list[str] = []
    else:
        found = _PREFIX_ATTR.search(text)
        prefixes = _prefix_map(found.group(1) if found else "")
        metas = [(attributes(m.group(1))[0], m.group(2) or "") for m in _OPF_META.finditer(text)]
        warnings = [_TOLERATED]
    fields = [f for attrs, inner in metas for f in _opf_field(attrs, inner, prefixes, warnings)]
    result = _from_fields(
        "epub", source, fields, fetched_at=fetched_at, warnings=warnings, label="EPUB package"
    )
    if result is None and root is None:
        return error_finding(SCHEME, source, "package document unreadable", fetched_at=fetched_at)
    return result


def from_xmp(
    xmp_text: str | bytes, *, source: str, fetched_at: datetime | None = None
) -> Finding | None:
    """``tdm:reservation`` / ``tdm:policy`` of a PDF's XMP packet, namespace
    ``http://www.w3.org/ns/tdmrep/``, as elements or as RDF attribute shorthand.

    Tolerance as for :func:`from_opf`: the report's example has an unquoted ``xmlns``
    value, so it is scanned rather than parsed, with a warning.
    """
    root, text = _xml(xmp_text)
    warnings: list[str] = []
    if root is not None:
        fields = _xmp_tree(root, warnings)
    else:
        warnings.append(_TOLERATED)
        fields = _xmp_scan(text, warnings)
    result = _from_fields(
        "pdf", source, fields, fetched_at=fetched_at, warnings=warnings, label="XMP"
    )
    if result is None and root is None:
        return error_finding(SCHEME, source, "XMP packet unreadable", fetched_at=fetched_at)
    return result


def _xml(data: str | bytes) -> tuple[Element | None, str]:
    """The parsed root (None when not well-formed or refused) and the text to scan."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if len(data) > MAX_XML_CHARS:
        return None, text[:MAX_XML_CHARS]
    source = data.lstrip() if isinstance(data, bytes) else data.lstrip("\ufeff \t\r\n")
    try:
        return fromstring(source), text
    except (ParseError, DefusedXmlException, ValueError):
        return None, text


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _prefix_map(value: str) -> dict[str, str]:
    """An EPUB 3 ``prefix`` attribute (``"tdm: http://... other: http://..."``) as a map."""
    words = value.split()
    return {p[:-1]: iri for p, iri in pairwise(words) if p.endswith(":")}


def _opf_field(
    attrs: Mapping[str, str], inner: str, prefixes: Mapping[str, str], warnings: list[str]
) -> list[tuple[str, str]]:
    """The TDMRep field a package ``<meta>`` carries, if any."""
    if "property" in attrs:
        key, value, is_property = attrs["property"].strip(), inner.strip(), True
    elif "name" in attrs:
        key, value, is_property = attrs["name"].strip(), attrs.get("content", "").strip(), False
    else:
        return []
    prefix, _, local = key.lower().rpartition(":")
    if not prefix and local in ("tdm-reservation", "tdm-policy"):
        warnings.append(f'meta "{key}" read as "tdm:{local[4:]}"')
        return [(local[4:], value)]
    if local not in _FIELDS or not prefix:
        return []
    bound = prefixes.get(prefix)
    if bound is not None and bound not in _TDM_NAMESPACES:
        return []
    if bound is None and prefix != "tdm":
        return []
    if bound is None and is_property:
        warnings.append(f"prefix tdm: is not declared on the package; read as {EPUB_NS}")
    return [(local, value)]


def _xmp_tree(root: Element, warnings: list[str]) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for el in root.iter():
        named = [(el.tag, "".join(el.itertext())), *el.attrib.items()]
        for tag, value in named:
            namespace, _, local = str(tag).lstrip("{").rpartition("}")
            if namespace in _TDM_NAMESPACES and local in _FIELDS:
                fields.append((local, value))
                if namespace == EPUB_NS:
                    warnings.append(f"XMP uses the EPUB namespace {EPUB_NS}")
    return fields


def _xmp_scan(text: str, warnings: list[str]) -> list[tuple[str, str]]:
    prefixes = {p for p, ns in _XMLNS.findall(text) if ns in _TDM_NAMESPACES}
    if not prefixes:
        prefixes = {"tdm"}
        warnings.append("no xmlns for the TDMRep namespace: prefix tdm: assumed")
    fields: list[tuple[str, str]] = []
    for prefix in sorted(prefixes):
        p = re.escape(prefix)
        element = re.compile(rf"<{p}:(reservation|policy)\b[^>]*>([^<]*)</{p}:\1\s*>")
        attribute = re.compile(rf"""\b{p}:(reservation|policy)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
        fields += [(m.group(1), m.group(2)) for m in element.finditer(text)]
        fields += [(m.group(1), m.group(2) or m.group(3) or "") for m in attribute.finditer(text)]
    return fields


# --- processing priority (§ "Processing priority") ----------------------------------------


def resolve(
    *,
    well_known: Finding | None = None,
    header: Finding | None = None,
    html: Finding | None = None,
    document: Finding | None = None,
) -> Finding | None:
    """One TDMRep finding for a resource from its carriers, lowest priority first.

    The report: header values "supercede any value inferred from a TDM file on the origin
    server"; values in HTML (and, likewise, EPUB or PDF metadata, here ``document``)
    "supercede previous values"; and "At every step, the absence of tdm-reservation and
    tdm-policy MUST not reset current values", so each property comes from the highest
    carrier that states it (a protocol error counts as absent). An error finding (an
    unreadable tdmrep.json or package) is superseded by a value stated above it and
    otherwise decides, failing closed. None when no carrier was given.
    """
    layers = [f for f in (well_known, header, html, document) if f is not None]
    if not layers:
        return None
    reservation: int | None = None
    deciding: Finding | None = None
    policy: str | None = None
    errors: list[Finding] = []
    for layer in layers:
        if layer.error is not None:
            errors.append(layer)
            deciding = None
            continue
        if layer.detail.get("tdm_reservation") in (0, 1):
            reservation, deciding = layer.detail["tdm_reservation"], layer
        policy = layer.detail.get("tdm_policy") or policy
    if deciding is None:
        return errors[-1] if errors else _unset(layers)
    return _resolved(deciding, reservation, policy, layers, errors)


def _unset(layers: Sequence[Finding]) -> Finding:
    top = layers[-1]
    warnings = tuple(w for layer in layers for w in layer.warnings)
    return replace(top, warnings=warnings) if len(layers) > 1 else top


def _resolved(
    deciding: Finding,
    reservation: int | None,
    policy: str | None,
    layers: Sequence[Finding],
    errors: Sequence[Finding],
) -> Finding:
    notes = [f"superseded: {e.source}: {e.error}" for e in errors]
    warnings = tuple(dict.fromkeys([w for layer in layers for w in layer.warnings] + notes))
    detail = {k: v for k, v in deciding.detail.items() if k != "tdm_policy"}
    if policy and reservation == 1:
        detail["tdm_policy"] = policy
    if len(layers) > 1:
        detail["carriers"] = [layer.detail.get("carrier", layer.scheme) for layer in layers]
    if detail == deciding.detail and warnings == deciding.warnings:
        return deciding
    return replace(deciding, detail=detail, warnings=warnings)


# --- TDM Policy documents (§ "Expressing a TDM Policy"): informational only ----------------

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


@dataclass(frozen=True, slots=True)
class PolicyPermission:
    """One ODRL permission of a TDM Policy: the action, its duties and constraints."""

    action: str | None
    duties: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    target: str | None = None


@dataclass(frozen=True, slots=True)
class TdmPolicy:
    """What a TDM Policy offers: who to ask and on which terms. Never a grant."""

    uid: str | None
    assigner: tuple[tuple[str, str], ...]
    permissions: tuple[PolicyPermission, ...]
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for ``Finding.detail``."""
        return {
            "uid": self.uid,
            "assigner": dict(self.assigner),
            "permissions": [
                {"action": p.action, "duties": list(p.duties), "constraints": list(p.constraints)}
                | ({"target": p.target} if p.target else {})
                for p in self.permissions
            ],
        }


def parse_policy(body: str | bytes) -> TdmPolicy | None:
    """A TDM Policy (JSON-LD, an ODRL Offer), read tolerantly; None when unreadable.

    "Being unable to access or parse a TDM Policy is not considered a protocol error. In
    such a case, the TDM Agent MUST consider that there is no way to know at this time
    which conditions would allow it to process the resource." Trailing commas (as in the
    report's own second example) are forgiven with a warning.
    """
    try:
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        return None
    warnings: list[str] = []
    doc = _loads(text)
    if doc is None:
        doc = _loads(_TRAILING_COMMA.sub(r"\1", text))
        warnings.append("trailing commas removed")
    if not isinstance(doc, dict):
        return None
    if doc.get("profile") != "http://www.w3.org/ns/tdmrep":
        warnings.append("profile is not http://www.w3.org/ns/tdmrep")
    assigner = doc.get("assigner")
    contact = tuple(
        (k, v)
        for k, v in (assigner.items() if isinstance(assigner, dict) else [])
        if isinstance(v, str)
    )
    uid = doc.get("uid")
    permissions = tuple(
        _permission(p) for p in _listed(doc.get("permission")) if isinstance(p, dict)
    )
    return TdmPolicy(uid if isinstance(uid, str) else None, contact, permissions, tuple(warnings))


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _permission(item: dict[str, Any]) -> PolicyPermission:
    def name(value: Any) -> str | None:
        return value if isinstance(value, str) else None

    duties = tuple(
        a for d in _listed(item.get("duty")) if isinstance(d, dict) and (a := name(d.get("action")))
    )
    constraints = tuple(
        " ".join(str(c.get(k, "")) for k in ("leftOperand", "operator", "rightOperand"))
        for c in _listed(item.get("constraint"))
        if isinstance(c, dict)
    )
    return PolicyPermission(name(item.get("action")), duties, constraints, name(item.get("target")))
