"""The bulk check's items are what validating their values would give."""

from __future__ import annotations

import gc
from datetime import timedelta

from tests.services.conftest import World
from trainclear.clock import FixedClock
from trainclear.domain import OptOutScope
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.signals import CheckItem, CheckRequest
from trainclear.services import checks, site_policies
from trainclear.services.optouts import declare_opt_out
from trainclear.services.platform import Platform
from trainclear.signals.capture import Capture, PolicyKind

URLS = [
    "https://site.example/private/a",
    "https://site.example/public/a",
    "https://blocked.example/x",
    "https://nobody.example/x",
    "not a url",
]


def _setup(platform: Platform, world: World, clock: FixedClock) -> None:
    opt_out = OptOutCreate(scope=OptOutScope.DOMAIN, target="blocked.example")
    declare_opt_out(platform, actor=world.alice.actor, data=opt_out)
    body = b"User-agent: GPTBot\nDisallow: /private/\n"
    at = clock.now() - timedelta(hours=1)
    capture = Capture("https://site.example/robots.txt", PolicyKind.ROBOTS, at, 200, body)
    site_policies.record_captures(platform, actor=world.dev.actor, captures=[capture])


def test_items_equal_validated_items(platform: Platform, world: World, clock: FixedClock) -> None:
    _setup(platform, world, clock)
    for findings in (False, True):
        result = checks.check(platform, data=CheckRequest(urls=URLS, findings=findings))
        for item in result.items:
            valid = CheckItem.model_validate(item.model_dump())
            assert item == valid
            assert item.model_fields_set == valid.model_fields_set
            assert (item.model_extra, item.__pydantic_private__) == (None, None)
            assert item.model_dump_json() == valid.model_dump_json()
            assert repr(item) == repr(valid)


def test_a_check_restores_the_garbage_collector(
    platform: Platform, world: World, clock: FixedClock
) -> None:
    """The collector is paused while items are built, then left as it was found."""
    _setup(platform, world, clock)
    seen: list[bool] = []
    real = checks._url_item

    def spy(*args: object, **kwargs: object) -> CheckItem:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    checks._url_item = spy  # type: ignore[assignment]
    try:
        assert gc.isenabled()
        checks.check(platform, data=CheckRequest(urls=URLS))
        assert gc.isenabled()
        assert seen
        assert not any(seen)
        gc.disable()
        try:
            checks.check(platform, data=CheckRequest(urls=URLS))
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        checks._url_item = real  # type: ignore[assignment]


def test_overlapping_checks_share_one_pause() -> None:
    """The last of overlapping requests to end restores the collector, not the first."""
    assert gc.isenabled()
    with checks._gc_paused():
        with checks._gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
