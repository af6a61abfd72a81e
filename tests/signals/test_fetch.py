"""The site-policy fetcher over httpx.MockTransport: bounds, redirects, caching, no network."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainclear.clock import FixedClock
from trainclear.signals.capture import MAX_BODY, Capture, PolicyKind
from trainclear.signals.fetch import (
    PAGE_BODY_LIMIT,
    USER_AGENT,
    PolicyFetcher,
    default_client,
    freshness,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROBOTS = "https://example.com/robots.txt"
Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that records every URL asked for."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return self.handler(request)


def make(
    handler: Handler, clock: FixedClock | None = None, **kwargs: Any
) -> tuple[PolicyFetcher, Recorder]:
    recorder = Recorder(handler)
    client = httpx.Client(transport=httpx.MockTransport(recorder))
    fetcher = PolicyFetcher(client, clock=(clock or FixedClock(START)).now, **kwargs)
    return fetcher, recorder


def reply(status: int = 200, body: bytes = b"", **headers: str) -> Handler:
    pairs = {name.replace("_", "-"): value for name, value in headers.items()}
    return lambda request: httpx.Response(status, content=body, headers=pairs)


def chain(hops: int, *, final_host: str = "example.com") -> Handler:
    """``hops`` redirects /r0 → /r1 → … then a robots.txt on ``final_host``."""

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        step = 0 if path == "/robots.txt" else int(path.removeprefix("/r")) + 1
        if step < hops:
            target = f"https://{final_host}/r{step}" if step == hops - 1 else f"/r{step}"
            return httpx.Response(301, headers={"Location": target})
        return httpx.Response(200, content=b"User-agent: *\nDisallow: /\n")

    return handler


def test_200_is_captured_with_body_type_and_time() -> None:
    fetcher, recorder = make(reply(200, b"User-agent: *\n", content_type="text/plain"))
    capture = fetcher.fetch("https://Example.com:443/some/page?q=1", PolicyKind.ROBOTS)
    assert recorder.urls == [ROBOTS]
    assert (capture.url, capture.status, capture.body) == (ROBOTS, 200, b"User-agent: *\n")
    assert capture.content_type == "text/plain"
    assert capture.fetched_at == START
    assert capture.ok


@pytest.mark.parametrize("status", [404, 500, 503])
def test_error_statuses_are_recorded_as_such(status: int) -> None:
    fetcher, _ = make(reply(status, b"nope"))
    capture = fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    assert capture.status == status
    assert capture.error is None
    assert not capture.ok


@pytest.mark.parametrize(
    ("exc", "prefix"),
    [
        (httpx.ConnectError("connection refused"), "unreachable"),
        (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED]"), "unreachable"),
        (httpx.ReadTimeout("read timed out"), "timeout"),
        (httpx.ConnectTimeout("connect timed out"), "timeout"),
        (httpx.RemoteProtocolError("peer closed"), "unreachable"),
    ],
)
def test_network_failures_are_error_captures(exc: Exception, prefix: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    fetcher, _ = make(handler)
    capture = fetcher.fetch("https://example.com", PolicyKind.TDMREP)
    assert capture.status is None
    assert capture.error is not None
    assert capture.error.startswith(prefix)
    assert not capture.ok


def test_deadline_spans_redirects() -> None:
    now = [0.0]

    def slow(request: httpx.Request) -> httpx.Response:
        now[0] += 4.0  # each hop takes 4 s: the third starts after 8 s, the fourth after 12 s
        return chain(5)(request)

    fetcher, recorder = make(slow, timeout_s=10.0, monotonic=lambda: now[0])
    capture = fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    assert capture.status is None
    assert capture.error is not None
    assert capture.error.startswith("timeout")
    assert len(recorder.urls) == 3


def test_five_redirects_are_followed() -> None:
    fetcher, recorder = make(chain(5))
    capture = fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    assert capture.ok
    assert len(recorder.urls) == 6
    assert capture.final_url == "https://example.com/r4"


def test_six_redirects_mean_unreachable() -> None:
    fetcher, recorder = make(chain(6))
    capture = fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    assert capture.status is None
    assert capture.error is not None
    assert "more than 5 redirects" in capture.error
    assert len(recorder.urls) == 6
    assert not capture.ok


def test_redirect_to_another_host_is_followed_and_recorded() -> None:
    fetcher, recorder = make(chain(1, final_host="www.example.net"))
    capture = fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    assert recorder.urls == [ROBOTS, "https://www.example.net/r0"]
    assert capture.ok
    assert capture.url == ROBOTS  # RFC 9309 §2.3.1.2: rules apply to the initial authority
    assert capture.origin == "https://example.com"
    assert capture.final_url == "https://www.example.net/r0"
    assert capture.to_dict()["final_url"] == "https://www.example.net/r0"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Location": "ftp://example.com/robots.txt"}, {"Location": "http://[::1"}],
)
def test_broken_redirects_fail_closed(headers: dict[str, str]) -> None:
    fetcher, _ = make(lambda request: httpx.Response(302, headers=headers))
    capture = fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    assert capture.error is not None
    assert not capture.ok


def test_oversize_robots_is_truncated_to_500_kib() -> None:
    body = b"# filler\n" * 100_000
    fetcher, _ = make(reply(200, body))
    capture = fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    assert capture.ok
    assert len(capture.body) == 500 * 1024
    assert capture.body == body[: 500 * 1024]


def test_robots_of_exactly_the_limit_is_kept_whole() -> None:
    body = b"x" * MAX_BODY[PolicyKind.ROBOTS]
    fetcher, _ = make(reply(200, body))
    assert fetcher.fetch("https://example.com", PolicyKind.ROBOTS).body == body


@pytest.mark.parametrize("kind", [PolicyKind.TDMREP, PolicyKind.AI_TXT])
def test_oversize_other_kinds_are_errors(kind: PolicyKind) -> None:
    fetcher, _ = make(reply(200, b"[" * (MAX_BODY[kind] + 1)))
    capture = fetcher.fetch("https://example.com", kind)
    assert capture.status == 200
    assert capture.error == f"body larger than {MAX_BODY[kind]} bytes"
    assert capture.body == b""
    assert not capture.ok


def test_cache_serves_within_24_hours_and_refetches_after() -> None:
    clock = FixedClock(START)
    fetcher, recorder = make(reply(200, b"User-agent: *\n"), clock)
    first = fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    clock.advance(timedelta(hours=23, minutes=59))
    assert fetcher.fetch("https://example.com/other", PolicyKind.ROBOTS) is first
    assert len(recorder.urls) == 1
    clock.advance(timedelta(minutes=1))
    again = fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    assert len(recorder.urls) == 2
    assert again.fetched_at == START + timedelta(hours=24)


@pytest.mark.parametrize(
    ("cache_control", "age", "lifetime"),
    [
        ("max-age=60", None, timedelta(seconds=60)),
        ("public, max-age=172800", None, timedelta(hours=24)),
        ("max-age=3600", "600", timedelta(seconds=3000)),
        ("no-store", None, timedelta(0)),
        ("no-cache", None, timedelta(0)),
        ("max-age=soon", None, timedelta(0)),
        ("max-age=٣", None, timedelta(0)),
        ("max-age=" + "9" * 400, None, timedelta(hours=24)),
        (None, None, timedelta(hours=24)),
    ],
)
def test_freshness(cache_control: str | None, age: str | None, lifetime: timedelta) -> None:
    headers = httpx.Headers()
    if cache_control is not None:
        headers["Cache-Control"] = cache_control
    if age is not None:
        headers["Age"] = age
    assert freshness(headers) == lifetime


@pytest.mark.parametrize(
    ("cache_control", "lifetime"),
    [("max-age=60", timedelta(seconds=60)), ("max-age=604800", timedelta(hours=24))],
)
def test_max_age_is_honoured_up_to_24_hours(cache_control: str, lifetime: timedelta) -> None:
    clock = FixedClock(START)
    fetcher, recorder = make(reply(200, b"ok", cache_control=cache_control), clock)
    fetcher.fetch("https://example.com", PolicyKind.TDMREP)
    clock.advance(lifetime - timedelta(seconds=1))
    fetcher.fetch("https://example.com", PolicyKind.TDMREP)
    assert len(recorder.urls) == 1
    clock.advance(timedelta(seconds=1))
    fetcher.fetch("https://example.com", PolicyKind.TDMREP)
    assert len(recorder.urls) == 2


def test_store_is_called_once_per_fresh_capture() -> None:
    clock = FixedClock(START)
    stored: list[Capture] = []
    fetcher, _ = make(reply(200, b"ok"), clock, store=stored.append)
    first = fetcher.fetch("https://example.com", PolicyKind.AI_TXT)
    fetcher.fetch("https://example.com", PolicyKind.AI_TXT)
    assert stored == [first]
    clock.advance(timedelta(hours=25))
    second = fetcher.fetch("https://example.com", PolicyKind.AI_TXT)
    assert stored == [first, second]


@pytest.mark.parametrize("failure", [reply(503), reply(429)])
def test_transient_answers_are_not_cached(failure: Handler) -> None:
    fetcher, recorder = make(failure)
    fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    assert len(recorder.urls) == 2


def test_an_unreachable_origin_is_retried_next_time() -> None:
    calls = [0]

    def flaky(request: httpx.Request) -> httpx.Response:
        calls[0] += 1
        if calls[0] == 1:
            raise httpx.ConnectError("down")
        return httpx.Response(200, content=b"ok")

    fetcher, _ = make(flaky)
    assert fetcher.fetch("https://example.com", PolicyKind.ROBOTS).status is None
    assert fetcher.fetch("https://example.com", PolicyKind.ROBOTS).ok


@pytest.mark.parametrize(
    "bad", ["", "example.com", "ftp://example.com/", "https://", "http://example.com:99999/"]
)
def test_invalid_urls_are_error_captures(bad: str) -> None:
    stored: list[Capture] = []
    fetcher, recorder = make(reply(200, b"ok"), store=stored.append)
    capture = fetcher.fetch(bad, PolicyKind.ROBOTS)
    assert capture.status is None
    assert capture.error is not None
    assert not capture.ok
    assert recorder.urls == []
    assert stored == []


def test_fetch_for_url_fetches_the_origin_files() -> None:
    fetcher, recorder = make(reply(200, b"{}"))
    kinds = (PolicyKind.ROBOTS, PolicyKind.TDMREP, PolicyKind.AI_TXT)
    captures = fetcher.fetch_for_url("http://Example.com:8080/a/b.html", kinds)
    assert [c.kind for c in captures] == list(kinds)
    assert recorder.urls == [
        "http://example.com:8080/robots.txt",
        "http://example.com:8080/.well-known/tdmrep.json",
        "http://example.com:8080/ai.txt",
    ]


def test_fetch_for_url_refuses_kinds_without_a_well_known_path() -> None:
    fetcher, _ = make(reply(200))
    with pytest.raises(ValueError, match="well-known"):
        fetcher.fetch_for_url("https://example.com/", [PolicyKind.RSL_LICENSE])


def test_a_licence_is_fetched_at_its_url() -> None:
    fetcher, recorder = make(reply(200, b"<rsl/>"))
    capture = fetcher.fetch("https://example.com", PolicyKind.RSL_LICENSE, url="/license.xml")
    assert recorder.urls == ["https://example.com/license.xml"]
    assert capture.url == "https://example.com/license.xml"
    assert capture.ok


def test_default_client_identifies_itself_and_leaves_redirects_to_us() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return httpx.Response(200, content=b"ok")

    client = default_client(transport=httpx.MockTransport(handler))
    assert client.follow_redirects is False
    assert client.timeout.read == 10.0
    PolicyFetcher(client).fetch("https://example.com", PolicyKind.ROBOTS)
    assert seen == [USER_AGENT]
    assert USER_AGENT.startswith("trainclear/")


def test_page_signals_keep_repeated_headers_and_truncate_html() -> None:
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("X-Robots-Tag", "noai"),
        ("X-Robots-Tag", "GPTBot: noimageai"),
        ("tdm-reservation", "1"),
    ]
    body = b"<html>" + b"a" * PAGE_BODY_LIMIT
    fetcher, _ = make(lambda request: httpx.Response(200, content=body, headers=headers))
    page = fetcher.fetch_page_signals("https://example.com/post")
    assert page.ok
    assert page.header_values("x-robots-tag") == ["noai", "GPTBot: noimageai"]
    assert page.header_values("TDM-Reservation") == ["1"]
    assert page.body == body[:PAGE_BODY_LIMIT]
    assert page.truncated


def test_page_signals_skip_non_html_bodies() -> None:
    fetcher, _ = make(reply(200, b"\x89PNG", content_type="image/png", x_robots_tag="noai"))
    page = fetcher.fetch_page_signals("https://example.com/a.png")
    assert (page.status, page.body) == (200, b"")
    assert page.header_values("X-Robots-Tag") == ["noai"]


def test_page_signals_report_errors() -> None:
    fetcher, _ = make(chain(6))
    page = fetcher.fetch_page_signals("https://example.com/robots.txt")
    assert page.status is None
    assert page.error is not None
    assert not page.ok
    assert fetcher.fetch_page_signals("not a url").error is not None


def test_concurrent_fetches_share_the_cache() -> None:
    fetcher, recorder = make(reply(200, b"ok"))
    fetcher.fetch("https://example.com", PolicyKind.ROBOTS)
    results: list[Capture] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(fetcher.fetch("https://example.com", PolicyKind.ROBOTS))
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert all(r.ok for r in results)
    assert len(recorder.urls) == 1


_HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    status=st.integers(min_value=100, max_value=599),
    body=st.binary(max_size=2048),
    location=st.one_of(st.none(), _HEADER_TEXT),
    cache_control=st.one_of(st.none(), _HEADER_TEXT),
    kind=st.sampled_from(list(PolicyKind)),
)
def test_arbitrary_responses_never_raise(
    status: int, body: bytes, location: str | None, cache_control: str | None, kind: PolicyKind
) -> None:
    headers = {"Location": location, "Cache-Control": cache_control}
    present = {name: value for name, value in headers.items() if value is not None}
    fetcher, _ = make(lambda request: httpx.Response(status, content=body, headers=present))
    capture = fetcher.fetch("https://example.com", kind, url="/policy")
    again = fetcher.fetch("https://example.com", kind, url="/policy")
    page = fetcher.fetch_page_signals("https://example.com/page")
    for result in (capture, again, page):
        assert result.ok == (result.status is not None and 200 <= result.status < 300)
        assert result.error is None or not result.ok
