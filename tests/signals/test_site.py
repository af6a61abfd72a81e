"""Judging URLs by captured site policies: as of a moment, per capturer, licences."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from trainclear.domain import Purpose
from trainclear.signals.capture import Capture, PolicyKind
from trainclear.signals.model import Verdict, combine
from trainclear.signals.site import PolicyBook
from trainclear.signals.sources import StoredCapture

T0 = datetime(2026, 3, 1, tzinfo=UTC)
SITE = "https://news.example"
GEN = Purpose.GENERATIVE_AI_TRAINING

BLOCK_GPTBOT = b"User-agent: GPTBot\nDisallow: /\n"
OPEN = b"User-agent: *\nAllow: /\n"


class ListSource:
    """Captures held in memory, counting lookups per origin."""

    def __init__(self, items: Sequence[StoredCapture]) -> None:
        self.items = list(items)
        self.lookups = 0

    def captures(self, origin: str) -> Sequence[StoredCapture]:
        self.lookups += 1
        return [i for i in self.items if i.capture.origin == origin]


def robots(
    body: bytes, at: datetime, *, by: int | None = 1, status: int | None = 200
) -> StoredCapture:
    capture = Capture(f"{SITE}/robots.txt", PolicyKind.ROBOTS, at, status, body)
    return StoredCapture(capture, by)


def verdict(book: PolicyBook, url: str, at: datetime | None = None) -> Verdict:
    return combine(book.judge_url(url, at)).verdict(GEN)


def test_a_record_is_judged_by_the_capture_in_force_at_its_fetch_time() -> None:
    book = PolicyBook(ListSource([robots(OPEN, T0), robots(BLOCK_GPTBOT, T0 + timedelta(days=10))]))
    assert verdict(book, f"{SITE}/a", T0 + timedelta(days=1)) != Verdict.DISALLOW
    assert verdict(book, f"{SITE}/a", T0 + timedelta(days=11)) == Verdict.DISALLOW
    assert verdict(book, f"{SITE}/a") == Verdict.DISALLOW  # no time: the latest capture


def test_before_the_first_capture_nothing_is_known_and_the_file_is_missing() -> None:
    book = PolicyBook(ListSource([robots(BLOCK_GPTBOT, T0)]))
    before = T0 - timedelta(days=1)
    assert book.judge_url(f"{SITE}/a", before) == []
    assert PolicyKind.ROBOTS in book.missing(f"{SITE}/a", before)
    assert PolicyKind.ROBOTS not in book.missing(f"{SITE}/a", T0)
    assert PolicyKind.TDMREP in book.missing(f"{SITE}/a", T0)


def test_a_later_permissive_capture_by_another_party_does_not_weaken_a_reservation() -> None:
    later = T0 + timedelta(days=1)
    source = ListSource([robots(BLOCK_GPTBOT, T0, by=1), robots(OPEN, later, by=2)])
    assert verdict(PolicyBook(source), f"{SITE}/a", later) == Verdict.DISALLOW
    # the same capturer's newer capture does replace its older one
    same = ListSource([robots(BLOCK_GPTBOT, T0, by=1), robots(OPEN, later, by=1)])
    assert verdict(PolicyBook(same), f"{SITE}/a", later) != Verdict.DISALLOW


def test_an_unreachable_robots_txt_disallows_and_says_so() -> None:
    book = PolicyBook(ListSource([robots(b"", T0, status=None)]))
    findings = book.judge_url(f"{SITE}/a", T0)
    assert combine(findings).verdict(GEN) == Verdict.DISALLOW
    assert any(f.error for f in findings)


def test_a_url_that_is_not_http_fails_closed() -> None:
    findings = PolicyBook(ListSource([])).judge_url("not a url")
    assert combine(findings).verdict(GEN) == Verdict.DISALLOW


def test_origins_are_loaded_once_and_evicted_beyond_the_cache_size() -> None:
    source = ListSource([robots(BLOCK_GPTBOT, T0)])
    book = PolicyBook(source, cache_size=1)
    for path in ("/a", "/b", "/c"):
        book.judge_url(SITE + path)
    assert source.lookups == 1
    book.judge_url("https://other.example/")
    book.judge_url(SITE + "/d")
    assert source.lookups == 3


def test_an_rsl_licence_is_judged_from_its_capture_or_left_unknown() -> None:
    body = b"User-agent: *\nAllow: /\nLicense: https://news.example/license.xml\n"
    licence = (
        b'<rsl xmlns="https://rslstandard.org/rsl"><content url="/"><license>'
        b'<prohibits type="usage">ai-train</prohibits></license></content></rsl>'
    )
    uncaptured = PolicyBook(ListSource([robots(body, T0)]))
    rsl = [f for f in uncaptured.judge_url(f"{SITE}/a", T0) if f.scheme == "rsl"]
    assert [f.verdict(GEN) for f in rsl] == [Verdict.UNKNOWN]
    assert rsl[0].detail["captured"] is False
    doc = Capture(f"{SITE}/license.xml", PolicyKind.RSL_LICENSE, T0, 200, licence)
    captured = PolicyBook(ListSource([robots(body, T0), StoredCapture(doc, 1)]))
    rsl = [f for f in captured.judge_url(f"{SITE}/a", T0) if f.scheme == "rsl"]
    assert [f.verdict(GEN) for f in rsl] == [Verdict.DISALLOW]
