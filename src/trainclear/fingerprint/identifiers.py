"""Canonical forms of work identifiers (ISBN, ISRC, ISWC, DOI, URL) and URL keys.

Registry lookups compare canonical forms, so ``978-7-02-000220-7`` and
``9787020002207`` are the same ISBN and ``HTTPS://Example.com/a/`` the same URL as
``https://example.com/a``. Invalid identifiers raise :class:`ValueError` with a reason.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit


class Scheme(StrEnum):
    ISBN = "isbn"
    ISRC = "isrc"
    ISWC = "iswc"
    DOI = "doi"
    URL = "url"


def canonical(scheme: Scheme, value: str) -> str:
    """The canonical form of ``value`` under ``scheme``; ValueError when invalid."""
    return _CANONICALISERS[scheme](value.strip())


def _isbn(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        if _isbn10_check(digits[:9]) != digits[9]:
            raise ValueError("ISBN-10 check digit does not match")
        core = "978" + digits[:9]
        return core + _isbn13_check(core)
    if re.fullmatch(r"97[89]\d{10}", digits):
        if _isbn13_check(digits[:12]) != digits[12]:
            raise ValueError("ISBN-13 check digit does not match")
        return digits
    raise ValueError("an ISBN has 10 or 13 digits")


def _isbn10_check(nine: str) -> str:
    total = sum((10 - i) * int(d) for i, d in enumerate(nine))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _isbn13_check(twelve: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(twelve))
    return str((10 - total % 10) % 10)


def _isrc(value: str) -> str:
    code = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}\d{7}", code):
        raise ValueError("an ISRC is CC-XXX-YY-NNNNN (12 characters)")
    return code


def _iswc(value: str) -> str:
    code = re.sub(r"[\s.-]", "", value).upper()
    if not re.fullmatch(r"T\d{10}", code):
        raise ValueError("an ISWC is T-NNN.NNN.NNN-C")
    digits = code[1:]
    total = 1 + sum((i + 1) * int(d) for i, d in enumerate(digits[:9]))
    if (10 - total % 10) % 10 != int(digits[9]):
        raise ValueError("ISWC check digit does not match")
    return code


def _doi(value: str) -> str:
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.IGNORECASE)
    if not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        raise ValueError("a DOI starts with 10.NNNN/")
    return doi.lower()


def _url(value: str) -> str:
    return canonical_url(value)


def canonical_url(value: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and trailing slashes.

    A bulk check canonicalises every URL it is asked about, so the common shape (an
    ``http(s)://`` URL of printable characters, no surrounding space) takes a fast path
    that parses each distinct authority once; anything else goes through
    :func:`urllib.parse.urlsplit` whole. Both give the same answer and the same errors.
    """
    fast = _fast_canonical_url(value)
    return fast if fast is not None else _parsed_canonical_url(value)


def _parsed_canonical_url(value: str) -> str:
    """:func:`canonical_url` by :func:`urllib.parse.urlsplit`, for any input."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("a URL needs http(s):// and a host")
    host = parts.hostname.lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def _fast_canonical_url(value: str) -> str | None:
    """:func:`canonical_url` of a plain ``http(s)://`` URL by slicing; None otherwise."""
    split = _plain_split(value)
    if split is None:
        return None
    authority, rest = split
    path, _, query = rest.partition("#")[0].partition("?")
    return authority + path.rstrip("/") + ("?" + query if query else "")


def url_authority(value: str) -> str | None:
    """The canonical ``host[:port]`` of a plain ``http(s)://`` URL; None otherwise.

    It is the part of :func:`canonical_url` before the path, worked out without touching
    the path, so a caller that needs the path only for some hosts (the bulk check's
    registry lookup) can skip it. None also when the URL is not plain (see
    :func:`_plain_split`): the caller must then canonicalise the whole URL.
    """
    split = _plain_split(value)
    return None if split is None else split[0].partition("://")[2]


def _plain_split(value: str) -> tuple[str, str] | None:
    """(``scheme://host[:port]`` canonical, the raw rest after the authority) of a plain
    ``http(s)://`` URL; None otherwise.

    Plain means printable with no space at either end, so neither ``str.strip`` nor
    ``urlsplit``'s removal of control characters changes it; the split into authority,
    path, query and fragment is then ``urlsplit``'s own (the authority ends at the first
    ``/``, ``?`` or ``#``; the fragment at the first ``#``; the query at the first ``?``).
    """
    if not value.isprintable() or value[:1] == " " or value[-1:] == " ":
        return None
    colon = value.find(":")
    scheme = value[:colon]
    if colon < 0 or not scheme.isascii() or value[colon + 1 : colon + 3] != "//":
        return None
    scheme = scheme.lower()
    if scheme not in ("http", "https"):
        return None
    rest = value[colon + 3 :]
    end = len(rest)
    for mark in "/?#":
        at = rest.find(mark, 0, end)
        if at != -1:
            end = at
    netloc = rest[:end]
    # a space ending the authority would be stripped if it were parsed on its own
    authority = None if netloc[-1:] == " " else _canonical_authority(scheme, netloc)
    if authority is None:
        return None  # the full parse says what is wrong
    return authority, rest[end:]


@lru_cache(maxsize=65536)
def _canonical_authority(scheme: str, netloc: str) -> str | None:
    """``scheme://host[:port]`` as :func:`canonical_url` writes it; None when invalid.

    Host and port depend on the authority alone (userinfo, IPv6 brackets, ports, the
    NFKC check), so each distinct one is parsed once.
    """
    try:
        return _parsed_canonical_url(f"{scheme}://{netloc}")
    except ValueError:
        return None


def url_host(value: str) -> str:
    """The lower-case host of a URL, or '' when it has none."""
    return (urlsplit(value.strip()).hostname or "").lower()


def host_in_domain(host: str, domain: str) -> bool:
    """Whether ``host`` is ``domain`` or one of its subdomains."""
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


_CANONICALISERS = {
    Scheme.ISBN: _isbn,
    Scheme.ISRC: _isrc,
    Scheme.ISWC: _iswc,
    Scheme.DOI: _doi,
    Scheme.URL: _url,
}
