"""The whole-text fingerprint: one hash for every copy of a text, however it is laid out.

Two copies that differ only in case, width (full-width ↔ half-width), accents,
whitespace, line wrapping, punctuation or traditional/simplified characters fold to the
same string (see :mod:`.fold`), so they get the same fingerprint. It finds whole copies
in O(1); excerpts and edited copies are the n-gram index's job (:mod:`.textindex`).
"""

from __future__ import annotations

import hashlib

from trainclear.fingerprint.textindex import fold_text

FINGERPRINT_PREFIX = "sha256:"


def normalise_text(text: str) -> str:
    """The folded text: letters and digits only, case- and script-folded (compiled)."""
    return fold_text(text)


def text_fingerprint(text: str) -> str:
    """The fingerprint of a text: SHA-256 of its folded UTF-8 form, prefixed."""
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
