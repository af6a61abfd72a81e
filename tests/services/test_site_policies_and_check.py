"""The site-policy store and the bulk check: who may write, all-or-nothing, answers."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.services.conftest import World
from trainclear.clock import FixedClock
from trainclear.domain import OptOutScope, Purpose
from trainclear.errors import Forbidden, RecordError
from trainclear.fingerprint.text import text_fingerprint
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.signals import CheckRequest
from trainclear.services import checks, site_policies
from trainclear.services.optouts import declare_opt_out
from trainclear.services.platform import Platform
from trainclear.signals.capture import Capture, PolicyKind
from trainclear.signals.fetch import PolicyFetcher

BLOCK = b"User-agent: GPTBot\nDisallow: /private/\n"


def _capture(clock: FixedClock, body: bytes = BLOCK, host: str = "site.example") -> Capture:
    at = clock.now() - timedelta(hours=1)
    return Capture(f"https://{host}/robots.txt", PolicyKind.ROBOTS, at, 200, body)


def test_only_developers_and_the_administration_record_captures(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    with pytest.raises(Forbidden):
        site_policies.record_captures(platform, actor=world.alice.actor, captures=[_capture(clock)])
    done = site_policies.record_captures(
        platform, actor=world.dev.actor, captures=[_capture(clock)]
    )
    assert done.count == 1
    [row] = site_policies.list_captures(platform, origin="https://site.example")
    assert (row.kind, row.captured_by, row.status) == ("robots.txt", world.dev.id, 200)


def test_a_bad_line_rejects_the_whole_captures_file(
    platform: Platform, world: World, clock: FixedClock, tmp_path: Path
) -> None:
    path = tmp_path / "captures.jsonl"
    good = json.dumps(_capture(clock).to_dict())
    path.write_text(f"{good}\n{good}\n" + '{"url": "https://x.example/robots.txt"}\n', "utf-8")
    with pytest.raises(RecordError) as caught:
        site_policies.import_captures(platform, actor=world.dev.actor, path=path)
    assert (caught.value.line, caught.value.field) == (3, "fetched_at")
    assert site_policies.count_captures(platform) == 0


def test_check_combines_registry_and_signals_and_never_allows_when_incomplete(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    opt_out = OptOutCreate(scope=OptOutScope.DOMAIN, target="blocked.example")
    declare_opt_out(platform, actor=world.alice.actor, data=opt_out)
    allow = b"User-agent: GPTBot\nAllow: /\n"
    captures = [_capture(clock), _capture(clock, allow, "open.example")]
    site_policies.record_captures(platform, actor=world.dev.actor, captures=captures)
    urls = [
        "https://site.example/private/a",
        "https://site.example/public/a",
        "https://blocked.example/x",
        "https://nobody.example/x",
        "https://open.example/x",
    ]
    result = checks.check(platform, data=CheckRequest(urls=urls, findings=True))
    got = {i.subject: i for i in result.items}
    assert got[urls[0]].verdict == "disallow"
    assert got[urls[0]].deciding is not None
    assert got[urls[0]].deciding["scheme"] == "robots"
    assert got[urls[1]].verdict == "unknown"
    assert got[urls[2]].verdict == "disallow"
    assert got[urls[2]].registry[0]["code"] == "opt_out"
    assert got[urls[3]].complete is False
    assert "robots.txt" in got[urls[3]].missing
    # robots.txt allows GPTBot, but tdmrep.json and ai.txt were never captured: not "allow"
    assert got[urls[4]].verdict == "unknown"
    assert not got[urls[4]].complete


def test_check_sees_captures_recorded_after_its_first_answer(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    url = "https://site.example/private/a"
    assert checks.check(platform, data=CheckRequest(urls=[url])).items[0].verdict == "unknown"
    site_policies.record_captures(platform, actor=world.dev.actor, captures=[_capture(clock)])
    assert checks.check(platform, data=CheckRequest(urls=[url])).items[0].verdict == "disallow"


def test_check_by_fingerprint_and_as_of_a_moment(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    site_policies.record_captures(platform, actor=world.dev.actor, captures=[_capture(clock)])
    url = "https://site.example/private/a"
    earlier = CheckRequest(urls=[url], at=clock.now() - timedelta(days=1))
    assert checks.check(platform, data=earlier).items[0].verdict == "unknown"
    unknown = text_fingerprint("no such work anywhere")
    item = checks.check(platform, data=CheckRequest(fingerprints=[unknown])).items[0]
    assert (item.subject, item.verdict) == (unknown, "unknown")


def test_capture_missing_fetches_once_and_records_failures_as_disallowing(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "down.example":
            raise httpx.ConnectError("refused", request=request)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, content=BLOCK)
        return httpx.Response(404)

    client = httpx.Client(transport=httpx.MockTransport(handler))
    fetcher = PolicyFetcher(client, clock=clock.now)
    urls = ["https://site.example/private/a", "https://site.example/b", "https://down.example/"]
    done = site_policies.capture_missing(
        platform, actor=world.dev.actor, urls=urls, fetcher=fetcher
    )
    assert done.count == 6
    assert len(seen) == 6
    again = site_policies.capture_missing(
        platform, actor=world.dev.actor, urls=urls, fetcher=fetcher
    )
    assert again.count == 0
    result = checks.check(platform, data=CheckRequest(urls=urls, purpose=Purpose.AI_TRAINING))
    assert [i.verdict for i in result.items] == ["disallow", "unknown", "disallow"]
    [row, *_] = site_policies.list_captures(platform)
    assert row.fetched_at == clock.now()  # the platform clock, not the wall clock, stamps them
