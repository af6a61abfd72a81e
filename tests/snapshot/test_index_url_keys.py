"""The URL-key helpers of the snapshot index answer as their plain definitions do."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from trainclear.fingerprint.identifiers import url_host
from trainclear.snapshot.index import (
    SnapshotIndex,
    _domains,
    host_suffixes,
    segment_prefixes,
    url_key,
)
from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork, UrlRule

_KEYS = st.text(alphabet="ab.:/?#@[] %\t", max_size=16)


def _segment_prefixes(key: str) -> list[str]:
    """The definition: join the first 1..n path segments, then the key with its query."""
    path = key.split("?", 1)[0]
    parts = path.split("/")
    found = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    return [*found, key] if path != key else found


def _host_suffixes(host: str) -> list[str]:
    labels = host.split(".")
    return [".".join(labels[start:]) for start in range(len(labels))]


def _outcome(fn: object, value: str) -> tuple[str, object]:
    assert callable(fn)
    try:
        return ("ok", fn(value))
    except ValueError as exc:
        return ("error", str(exc))


@settings(max_examples=1000)
@given(_KEYS)
@example("h/a//b?q=/x")
def test_segment_prefixes_are_the_joined_segments(key: str) -> None:
    assert list(segment_prefixes(key)) == _segment_prefixes(key)


@settings(max_examples=1000)
@given(st.text(alphabet="ab.", max_size=12))
@example("a..b.")
def test_host_suffixes_are_the_joined_labels(host: str) -> None:
    assert list(host_suffixes(host)) == _host_suffixes(host)


@settings(max_examples=1000)
@given(_KEYS)
@example("a /x")
@example("a ")
@example("[::1]:8/x")
def test_domains_are_those_of_the_whole_keys_host(key: str) -> None:
    whole = _outcome(lambda k: tuple(host_suffixes(url_host("https://" + k))), key)
    assert _outcome(_domains, key) == whole


def test_an_index_without_url_rules_matches_no_url() -> None:
    empty = SnapshotIndex(Snapshot("registry", "training", "2026-01-01T00:00:00+00:00", (), ()))
    assert empty.match_url("https://a.com/x") == []
    rule = UrlRule("domain", "a.com", Reason("opt_out", "opt_out:1"))
    ruled = SnapshotIndex(
        Snapshot("registry", "training", "2026-01-01T00:00:00+00:00", (), (rule,))
    )
    assert [m.kind for m in ruled.match_url("https://b.A.com/x")] == ["domain"]
    assert ruled.match_url("not a url") == []


_HOSTS = ("a.com", "b.a.com", "A.com:443", "c.org", "c.org:8080", "[::1]", "x y", "")
_URLS = st.builds(
    "{}{}{}".format,
    st.sampled_from(("https://", "http://", "HTTP://", "ftp://", " https://", "")),
    st.sampled_from(_HOSTS),
    st.text(alphabet="ab/?#%:@[] \t\x00", max_size=8),
)


def _registry_with_url_rules() -> SnapshotIndex:
    reason = Reason("opt_out", "opt_out:1")
    rules = (
        UrlRule("domain", "a.com", reason),
        UrlRule("prefix", "https://c.org/a", reason),
        UrlRule("prefix", "c.org:8080", reason),
    )
    work = SnapshotWork(7, "page", None, (("url", "https://b.a.com/a?b"),), (reason,))
    return SnapshotIndex(
        Snapshot("registry", "training", "2026-01-01T00:00:00+00:00", (work,), rules)
    )


_RULED = _registry_with_url_rules()


@settings(max_examples=2000)
@given(_URLS)
@example("https://b.a.com/a?b")
@example("https://c.org/a/b")
@example("https://c.org:8080?x")
@example("https://a.com/x\t")
@example("https://c.org\t/a")
@example("https://c.org?q/a")
@example("https://[::1]@]")
@example("https://a.com :?:")
def test_match_url_skips_paths_of_unruled_hosts_with_the_same_answer(url: str) -> None:
    """The authority gate answers as canonicalising the whole URL would."""
    key = url_key(url)
    full = [] if key is None else list(_RULED._url_matches(key))
    assert _RULED.match_url(url) == full
