"""The fast path of ``canonical_url`` answers exactly as the full ``urlsplit`` parse."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from trainclear.fingerprint.identifiers import (
    _fast_canonical_url,
    _parsed_canonical_url,
    canonical_url,
)

# pieces chosen to reach every branch: odd schemes, userinfo, IPv6 brackets, ports out of
# range, non-ASCII and NFKC-decomposing hosts, spaces and control characters anywhere
_PADDING = [" ", "\t", "\xa0", "\x00", "\n", "\u3000"]
_SCHEMES = ["http", "https", "HTTP", "HtTpS"]
_ODD_SCHEMES = ["ftp", "", "h ttp", "\u212attp", "https ", "ht\ttp"]
_SEPARATORS = [":/", ":", "//", ":///", ":\t//", "://\n", "\n://"]
_USERINFO = ["", "user@", "u:p@", "@", "a@b@", "a b@"]
_PORTS = ["", ":80", ":443", ":0", ":8080", ":99999", ":abc", ":", ":08", ":\u0661", ": 1"]
_HOSTS = ["example.com", "EXAMPLE.com", "[::1]", "[v1.x]", "[1.2.3.4]", "[::1", "", "a ", " a"]
_PATHS = ["", "/", "/x", "/a/b//", "?q", "?", "#f", "/a?b#c?d", "/ x", "//", "/a#", "/ "]
_PLAIN = "aZ09.-/[]:%@?# é\u2100\uff0f"
"""Printable characters, space included; :data:`_CONTROL` adds what ``strip`` or
``urlsplit`` would remove."""
_CONTROL = "\t\n\r\x00\xa0\u3000\x85"


@st.composite
def urls(draw: st.DrawFn, *, plain: bool) -> str:
    """A URL assembled from awkward pieces; ``plain`` ones stay printable, unpadded and
    ``http(s)://`` (the fast path's shape), the others may be anything."""
    chars = _PLAIN if plain else _PLAIN + _CONTROL
    host = draw(st.one_of(st.sampled_from(_HOSTS), st.text(alphabet=chars, max_size=8)))
    path = draw(st.one_of(st.sampled_from(_PATHS), st.text(alphabet=chars, max_size=12)))
    pad = st.just("") if plain else st.sampled_from(["", *_PADDING])
    scheme = _SCHEMES if plain else _SCHEMES + _ODD_SCHEMES
    separator = ["://"] if plain else ["://", *_SEPARATORS]
    parts = [
        draw(pad),
        draw(st.sampled_from(scheme)),
        draw(st.sampled_from(separator)),
        draw(st.sampled_from(_USERINFO)),
        host,
        draw(st.sampled_from(_PORTS)),
        path,
        draw(pad),
    ]
    return "".join(parts)


def _outcome(value: str, fn: object) -> tuple[str, str]:
    assert callable(fn)
    try:
        return ("ok", fn(value))
    except ValueError as exc:
        return ("error", str(exc))


@settings(max_examples=3000)
@given(st.one_of(urls(plain=True), urls(plain=False), st.text(max_size=30)))
@example("https://Example.COM:443/a/b//?q=1#f")
@example("https://a /x")
@example("https://[::1]:8080/x")
@example("https://user:pw@Site.example:99999/x")
def test_fast_path_equals_the_full_parse(value: str) -> None:
    assert _outcome(value, canonical_url) == _outcome(value, _parsed_canonical_url)
    fast = _fast_canonical_url(value)
    if fast is not None:
        assert fast == _parsed_canonical_url(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("HTTPS://Example.com:443/a/", "https://example.com/a"),
        ("http://example.com:8080/a?b#c", "http://example.com:8080/a?b"),
        ("https://u:p@example.com/?", "https://example.com"),
        ("https://example.com?q", "https://example.com?q"),
    ],
)
def test_fast_path_takes_plain_urls(value: str, expected: str) -> None:
    assert _fast_canonical_url(value) == expected
    assert canonical_url(value) == expected


@pytest.mark.parametrize(
    "value", [" https://a.com/", "https://a.com/\t", "ftp://a.com", "https:/a"]
)
def test_fast_path_leaves_the_rest_to_the_full_parse(value: str) -> None:
    assert _fast_canonical_url(value) is None
