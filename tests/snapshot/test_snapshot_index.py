"""The snapshot index: every match rule, its boundaries, and what it reports."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.fingerprint.text import text_fingerprint
from trainclear.snapshot.index import Match, SnapshotIndex
from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork, UrlRule

OPT_OUT = Reason("opt_out", "opt_out:1")


@dataclass(frozen=True)
class Rec:
    """The least a record needs to be matched."""

    text: str = ""
    url: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()


def _index(*works: SnapshotWork, rules: tuple[UrlRule, ...] = ()) -> SnapshotIndex:
    return SnapshotIndex(
        Snapshot("registry", "training", "2026-01-01T00:00:00+00:00", works, rules)
    )


def _kinds(index: SnapshotIndex, rec: Rec) -> list[tuple[str, int | None]]:
    return [(m.kind, m.work_id) for m in index.match(rec)]


@pytest.fixture
def lunyu_index(dev_texts: dict[str, str]) -> SnapshotIndex:
    work = SnapshotWork(3, "论语", text_fingerprint(dev_texts["zh/lunyu"]), (), (OPT_OUT,))
    return _index(work)


def test_fingerprint_matches_a_reformatted_copy(
    lunyu_index: SnapshotIndex, dev_texts: dict[str, str]
) -> None:
    copy = dev_texts["zh/lunyu"].replace("，", ", ").replace("\n", "\r\n\u3000")
    (match,) = lunyu_index.match(Rec(text=copy))
    assert match == Match(3, "论语", "fingerprint", True, (OPT_OUT,))
    assert lunyu_index.match(Rec(text=dev_texts["zh/lunyu"][:-200])) == []


def test_identifier_and_url_matches() -> None:
    work = SnapshotWork(
        5, "W", None, (("isbn", "9780141439518"), ("url", "https://example.org/w")), (OPT_OUT,)
    )
    index = _index(work)
    assert _kinds(index, Rec(identifiers=(("isbn", "9780141439518"),))) == [("identifier", 5)]
    assert _kinds(index, Rec(identifiers=(("doi", "9780141439518"),))) == []
    for url in ("https://example.org/w", "http://EXAMPLE.org/w/", "https://example.org:443/w#x"):
        assert _kinds(index, Rec(url=url)) == [("url", 5)]
    for url in ("https://example.org/w/more", "https://example.org/", "not a url", ""):
        assert _kinds(index, Rec(url=url)) == []


@pytest.mark.parametrize(
    ("url", "matches"),
    [
        ("https://a.com/x", True),
        ("https://a.com/x/", True),
        ("https://a.com/x/y/z", True),
        ("http://a.com/x/y", True),
        ("https://A.COM/x?page=2", True),
        ("https://a.com/xy", False),
        ("https://a.com/X", False),
        ("https://a.com/", False),
        ("https://b.a.com/x", False),
        ("https://a.com:8080/x", False),
        ("ftp://a.com/x", False),
        (None, False),
    ],
)
def test_url_prefix_matches_at_segment_boundaries(url: str | None, matches: bool) -> None:
    index = _index(rules=(UrlRule("prefix", "https://a.com/x/", OPT_OUT),))
    expected = [("url_prefix", None)] if matches else []
    assert _kinds(index, Rec(url=url)) == expected


@pytest.mark.parametrize(
    ("url", "matches"),
    [
        ("https://example.com/a", True),
        ("https://www.example.com/a", True),
        ("http://deep.sub.EXAMPLE.com:8080/a", True),
        ("https://notexample.com/a", False),
        ("https://example.com.evil.org/a", False),
        ("https://com/a", False),
    ],
)
def test_domain_rule_covers_subdomains(url: str, matches: bool) -> None:
    index = _index(rules=(UrlRule("domain", ".Example.com", OPT_OUT),))
    assert _kinds(index, Rec(url=url)) == ([("domain", None)] if matches else [])


def test_registered_work_without_reasons_matches_but_is_not_excluded() -> None:
    index = _index(SnapshotWork(9, "Free", text_fingerprint("hello"), ()))
    (match,) = index.match(Rec(text="HELLO!"))
    assert (match.work_id, match.excluded, match.reasons) == (9, False, ())


def test_matches_are_sorted_deduplicated_and_rules_pool_reasons() -> None:
    second = Reason("opt_out", "opt_out:2")
    work = SnapshotWork(
        4, "W", text_fingerprint("t"), (("isbn", "1"), ("doi", "10.1/x")), (second, OPT_OUT)
    )
    rules = (
        UrlRule("domain", "a.com", OPT_OUT),
        UrlRule("domain", "a.com", second),
        UrlRule("prefix", "https://a.com/p", OPT_OUT),
        UrlRule("prefix", "https://a.com", OPT_OUT),
    )
    index = _index(work, rules=rules)
    rec = Rec(text="T", url="https://a.com/p/q", identifiers=(("isbn", "1"), ("doi", "10.1/x")))
    matches = index.match(rec)
    assert [(m.kind, m.work_id, m.title) for m in matches] == [
        ("fingerprint", 4, "W"),
        ("identifier", 4, "W"),
        ("url_prefix", None, "a.com"),
        ("url_prefix", None, "a.com/p"),
        ("domain", None, "a.com"),
    ]
    assert matches[0].reasons == (OPT_OUT, second)
    assert matches[-1].reasons == (OPT_OUT, second)
    with pytest.raises(FrozenInstanceError):
        matches[0].excluded = False  # type: ignore[misc]


def test_a_prefix_rule_without_scheme_is_read_as_a_url() -> None:
    index = _index(rules=(UrlRule("prefix", "a.com/x", OPT_OUT),))
    assert _kinds(index, Rec(url="https://a.com/x/1")) == [("url_prefix", None)]
    with pytest.raises(ValueError, match="not a URL"):
        _index(rules=(UrlRule("prefix", "::", OPT_OUT),))


def test_index_knows_its_snapshot() -> None:
    snapshot = Snapshot("registry", "training", "2026-01-01T00:00:00+00:00", ())
    assert SnapshotIndex(snapshot).snapshot_id == snapshot.id


_segment = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=8)


@settings(database=None, max_examples=200)
@given(
    host=st.lists(_segment, min_size=2, max_size=4).map(".".join),
    path=st.lists(_segment, min_size=1, max_size=4),
    rest=st.lists(_segment, max_size=3),
    tail=_segment,
)
def test_prefix_rule_invariants(host: str, path: list[str], rest: list[str], tail: str) -> None:
    prefix = f"https://{host}/" + "/".join(path)
    index = _index(rules=(UrlRule("prefix", prefix, OPT_OUT),))
    under = prefix + "".join("/" + part for part in rest)
    assert _kinds(index, Rec(url=under)) == [("url_prefix", None)]
    assert _kinds(index, Rec(url=prefix + tail)) == []
