"""Text normalisation and the whole-text fingerprint (exact matching, v0).

Two copies of a text that differ only in Unicode compatibility forms (full-width vs
half-width), case, whitespace, line wrapping or punctuation normalise to the same
string and therefore get the same fingerprint. Excerpt-aware matching arrives with
the matching engine; this module stays its normalisation front door.
"""

from __future__ import annotations

import hashlib
import unicodedata

FINGERPRINT_PREFIX = "sha256:"


def normalise_text(text: str) -> str:
    """NFKC, case fold, and collapse every run of whitespace or punctuation to one space."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    gap = False
    for char in folded:
        if char.isspace() or unicodedata.category(char)[0] in "PZC":
            gap = True
            continue
        if gap and out:
            out.append(" ")
        gap = False
        out.append(char)
    return "".join(out)


def text_fingerprint(text: str) -> str:
    """The fingerprint of a text: SHA-256 of its normalised UTF-8 form, prefixed."""
    digest = hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
    return FINGERPRINT_PREFIX + digest


def is_fingerprint(value: str) -> bool:
    """Whether ``value`` looks like a fingerprint made by :func:`text_fingerprint`."""
    hexpart = value.removeprefix(FINGERPRINT_PREFIX)
    return (
        value.startswith(FINGERPRINT_PREFIX)
        and len(hexpart) == 64
        and all(c in "0123456789abcdef" for c in hexpart)
    )
