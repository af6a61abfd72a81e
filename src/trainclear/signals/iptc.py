"""IPTC Photo Metadata / PLUS ``plus:DataMining``: a data-mining reservation in XMP.

IPTC Photo Metadata Standard 2023.1 (and Video Metadata Hub 1.5) adopted the PLUS
property ``plus:DataMining`` (namespace ``http://ns.useplus.org/ldf/xmp/1.0/``):
"a field with a value from a controlled value vocabulary. Values come from the PLUS
Data Mining vocabulary". Each vocabulary value is read as follows (the label is the
IPTC's wording; the verdicts are ours, for AI training / generative AI training):

===========================================  ======================================
``DMI-UNSPECIFIED``                           unknown / unknown ("no prohibition defined")
``DMI-ALLOWED``                               allow / allow
``DMI-PROHIBITED-AIMLTRAINING``               disallow / disallow (generative is AI training)
``DMI-PROHIBITED-GENAIMLTRAINING``            unknown / disallow
``DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING`` disallow / disallow (training is not indexing)
``DMI-PROHIBITED``                            disallow / disallow (all data mining)
``DMI-PROHIBITED-SEECONSTRAINT``              disallow / disallow, see below
``DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR``      disallow / disallow, see below
``DMI-PROHIBITED-SEELINKEDRIGHTSEXPR``        disallow / disallow, see below
===========================================  ======================================

The three "Prohibited, see …" values point at constraints (``plus:OtherConstraints``,
an embedded or linked rights expression) that we do not interpret: the label says
"Prohibited", and any exception the constraints might grant is unread, so they fail
closed with a warning. A value outside the vocabulary is likewise a statement we cannot
read and fails closed with a warning. Values are accepted as the full URI (``http`` or
``https``), the bare code, or the IPTC label, case-insensitively; several values combine
most-restrictively per purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from trainclear.signals.model import Finding, Verdict, error_finding, strictest
from trainclear.signals.xmp import XmpError, xmp_packets, xmp_properties

SCHEME = "iptc"
PLUS = "http://ns.useplus.org/ldf/xmp/1.0/"
DATA_MINING = f"{{{PLUS}}}DataMining"
OTHER_CONSTRAINTS = f"{{{PLUS}}}OtherConstraints"
VOCAB = "http://ns.useplus.org/ldf/vocab/"
_VOCAB_PREFIXES = (VOCAB, "https://ns.useplus.org/ldf/vocab/")

A, D, U = Verdict.ALLOW, Verdict.DISALLOW, Verdict.UNKNOWN
CODES: dict[str, tuple[Verdict, Verdict]] = {
    "DMI-UNSPECIFIED": (U, U),
    "DMI-ALLOWED": (A, A),
    "DMI-PROHIBITED-AIMLTRAINING": (D, D),
    "DMI-PROHIBITED-GENAIMLTRAINING": (U, D),
    "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING": (D, D),
    "DMI-PROHIBITED": (D, D),
    "DMI-PROHIBITED-SEECONSTRAINT": (D, D),
    "DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR": (D, D),
    "DMI-PROHIBITED-SEELINKEDRIGHTSEXPR": (D, D),
}
"""PLUS Data Mining code → (AI training, generative AI training)."""
LABELS = {
    "unspecified - no prohibition defined": "DMI-UNSPECIFIED",
    "allowed": "DMI-ALLOWED",
    "prohibited for ai/ml training": "DMI-PROHIBITED-AIMLTRAINING",
    "prohibited for generative ai/ml training": "DMI-PROHIBITED-GENAIMLTRAINING",
    "prohibited except for search engine indexing": "DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING",
    "prohibited": "DMI-PROHIBITED",
    "prohibited, see plus:otherconstraints": "DMI-PROHIBITED-SEECONSTRAINT",
    "prohibited, see iptcext:embdencrightsexpr": "DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR",
    "prohibited, see iptcext:linkedencrightsexpr": "DMI-PROHIBITED-SEELINKEDRIGHTSEXPR",
}
"""IPTC labels (what ExifTool prints) → code, for writers that stored the label."""
UNREADABLE = (D, D)
"""A value outside the vocabulary: fail closed."""


def code_of(value: str) -> str | None:
    """The vocabulary code for a URI, bare code or label; None when not in the vocabulary."""
    text = value.strip()
    folded = text.casefold()
    for prefix in _VOCAB_PREFIXES:
        if folded.startswith(prefix):
            text = text[len(prefix) :]
            break
    code = text.upper()
    return code if code in CODES else LABELS.get(folded)


def from_values(
    values: Iterable[str],
    *,
    source: str,
    fetched_at: datetime | None = None,
    other_constraints: Iterable[str] = (),
) -> Finding | None:
    """The finding for the ``plus:DataMining`` values of one file (None when there are none)."""
    stated = [v.strip() for v in values if v.strip()]
    if not stated:
        return None
    codes = [code_of(v) for v in stated]
    pairs = [CODES[c] if c is not None else UNREADABLE for c in codes]
    warnings = [_unknown_warning(v) for v, c in zip(stated, codes, strict=True) if c is None]
    warnings += [_see_warning(c) for c in dict.fromkeys(codes) if c and "-SEE" in c]
    detail: dict[str, Any] = {"values": stated, "codes": codes}
    constraints = [c for c in other_constraints if c.strip()]
    if constraints:
        detail["other_constraints"] = constraints
    return Finding(
        SCHEME,
        source,
        "plus:DataMining = " + ", ".join(stated),
        strictest(p[0] for p in pairs),
        strictest(p[1] for p in pairs),
        fetched_at=fetched_at,
        warnings=tuple(warnings),
        detail=detail,
    )


def from_xmp(packet: str, *, source: str, fetched_at: datetime | None = None) -> Finding | None:
    """The ``plus:DataMining`` finding of one XMP packet (None when it states none).

    A packet that is not well-formed XML yields an error finding when it mentions
    ``DataMining`` (a statement may have been lost: fail closed), else None.
    """
    return from_packets([packet], source=source, fetched_at=fetched_at)


def from_file(data: bytes, *, source: str, fetched_at: datetime | None = None) -> Finding | None:
    """The ``plus:DataMining`` finding of every XMP packet embedded in a file, combined."""
    return from_packets(xmp_packets(data), source=source, fetched_at=fetched_at)


def from_packets(
    packets: Iterable[str], *, source: str, fetched_at: datetime | None = None
) -> Finding | None:
    """The ``plus:DataMining`` values of several packets (one file's), combined."""
    values: list[str] = []
    constraints: list[str] = []
    for packet in packets:
        try:
            props = xmp_properties(packet)
        except XmpError as exc:
            if "DataMining" in packet:
                return error_finding(SCHEME, source, str(exc), fetched_at=fetched_at)
            continue
        values += props.get(DATA_MINING, [])
        constraints += props.get(OTHER_CONSTRAINTS, [])
    return from_values(values, source=source, fetched_at=fetched_at, other_constraints=constraints)


def _unknown_warning(value: str) -> str:
    return f"plus:DataMining value not in the PLUS vocabulary: {value!r}; fails closed"


def _see_warning(code: str) -> str:
    return f"{code}: the referenced constraints are not interpreted; read as prohibited"
