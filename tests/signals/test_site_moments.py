"""A policy book asked about alternating moments answers each as if asked alone."""

from __future__ import annotations

from datetime import timedelta

from tests.signals.test_site import BLOCK_GPTBOT, OPEN, SITE, T0, ListSource, robots, verdict
from trainclear.signals.capture import PolicyKind
from trainclear.signals.model import Verdict
from trainclear.signals.site import PolicyBook


def test_alternating_moments_each_get_the_capture_in_force() -> None:
    book = PolicyBook(ListSource([robots(OPEN, T0), robots(BLOCK_GPTBOT, T0 + timedelta(days=10))]))
    moments = [T0 - timedelta(days=1), T0 + timedelta(days=1), T0 + timedelta(days=11), None]
    alone = [verdict(PolicyBook(book.source), f"{SITE}/a", at) for at in moments]
    assert alone == [Verdict.UNKNOWN, Verdict.UNKNOWN, Verdict.DISALLOW, Verdict.DISALLOW]
    for _ in range(2):
        assert [verdict(book, f"{SITE}/a", at) for at in moments] == alone


def test_the_missing_list_is_the_callers_own() -> None:
    book = PolicyBook(ListSource([robots(BLOCK_GPTBOT, T0)]))
    missing = book.missing(f"{SITE}/a", T0)
    missing.clear()
    assert book.missing(f"{SITE}/b", T0) == [PolicyKind.TDMREP, PolicyKind.AI_TXT]
