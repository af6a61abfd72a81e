"""Benchmark the reservation check: URLs judged per second on cached site policies.

Run ``python -m benchmarks.bench_signals`` (``--help`` for options). It captures
robots.txt (three shapes: the ai.robots.txt block list from ``shared/``, a typical site
file with wildcards and an AI-agent group, and AIPREF ``Content-Usage`` lines),
tdmrep.json and ai.txt for a few thousand origins, then judges random URLs of them:

* trainclear's :class:`PolicyBook` (robots.txt for every training agent, AIPREF,
  Content-Signal, TDMRep, ai.txt; most restrictive wins), warm;
* the bulk check service end to end (``POST /v1/check``'s function: registry index,
  signals, response models) on a SQLite platform holding 200 domain and 200 URL-prefix
  opt-outs (some over the sampled origins), in requests of 10,000 URLs;
* the peers on the robots.txt part alone, one agent (GPTBot): ``urllib.robotparser``
  and ``protego`` (both drop the AI lines; protego is in the ``bench`` extra).

Prints a markdown table; timings, not assertions (the tests never time anything).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import urllib.robotparser
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from trainclear.clock import FixedClock
from trainclear.domain import Actor, OptOutScope, PartyKind
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.parties import PartyCreate
from trainclear.schemas.signals import CheckRequest
from trainclear.services import checks, site_policies
from trainclear.services.optouts import declare_opt_out
from trainclear.services.parties import authenticate, create_party, issue_token
from trainclear.services.platform import Platform
from trainclear.settings import Settings
from trainclear.signals.capture import Capture, PolicyKind
from trainclear.signals.site import PolicyBook
from trainclear.signals.sources import StoredCapture

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
AT = datetime(2026, 3, 1, tzinfo=UTC)
TYPICAL = """User-agent: *
Disallow: /admin/
Disallow: /search
Disallow: /*?sessionid=
Disallow: /*.pdf$
Allow: /search/about

User-agent: GPTBot
User-agent: CCBot
Disallow: /premium/
Content-Signal: search=yes, ai-train=no

Sitemap: https://{host}/sitemap.xml
"""
AIPREF = """User-agent: *
Allow: /
Content-Usage: train-ai=n
Content-Usage: /open/ train-ai=y
"""
TDMREP = (
    '[{"location": "/reports/*", "tdm-reservation": 1}, {"location": "/", "tdm-reservation": 0}]'
)
AI_TXT = "User-Agent: *\nDisallow: *.jpg\nDisallow: /gallery/\nAllow: /\n"
OPT_OUTS = 200
"""Domain opt-outs, and as many URL-prefix opt-outs, the service benchmark declares."""
PATHS = (
    "/",
    "/news/a-story",
    "/premium/x",
    "/search?q=1",
    "/reports/2026.pdf",
    "/open/page",
    "/gallery/cat.jpg",
    "/a/b/c/d?sessionid=9",
    "/search/about",
    "/admin/",
)


def sites(count: int) -> list[tuple[str, str]]:
    """(host, robots.txt body) for ``count`` origins, the three shapes in turn."""
    blocklist = (SHARED / "data/signals/ai_robots.txt").read_text(encoding="utf-8")
    shapes = (blocklist, TYPICAL, AIPREF)
    return [
        (f"site{i}.example", shapes[i % 3].format(host=f"site{i}.example")) for i in range(count)
    ]


def captures(hosts: Sequence[tuple[str, str]]) -> list[Capture]:
    out = []
    for host, robots in hosts:
        base = f"https://{host}"
        out.append(Capture(f"{base}/robots.txt", PolicyKind.ROBOTS, AT, 200, robots.encode()))
        out.append(
            Capture(f"{base}/.well-known/tdmrep.json", PolicyKind.TDMREP, AT, 200, TDMREP.encode())
        )
        out.append(Capture(f"{base}/ai.txt", PolicyKind.AI_TXT, AT, 200, AI_TXT.encode()))
    return out


def urls(hosts: Sequence[tuple[str, str]], count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [f"https://{rng.choice(hosts)[0]}{rng.choice(PATHS)}" for _ in range(count)]


class _Memory:
    def __init__(self, items: list[Capture]) -> None:
        self.by_origin: dict[str, list[StoredCapture]] = {}
        for c in items:
            self.by_origin.setdefault(c.origin, []).append(StoredCapture(c, 1))

    def captures(self, origin: str) -> Sequence[StoredCapture]:
        return self.by_origin.get(origin, [])


def rate(action: Callable[[], object], n: int, repeat: int = 3) -> float:
    """Best items per second over ``repeat`` runs of ``action`` (which handles ``n``)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return n / best


def bench_book(hosts: Sequence[tuple[str, str]], batch: list[str]) -> float:
    book = PolicyBook(_Memory(captures(hosts)), cache_size=len(hosts) * 2)
    for url in batch:  # warm: every origin compiled once
        book.judge_url(url, AT)
    return rate(lambda: [book.judge_url(u, AT) for u in batch], len(batch))


def _actor(platform: Platform, kind: PartyKind, name: str) -> Actor:
    party = create_party(platform, data=PartyCreate(kind=kind, name=name))
    return authenticate(platform, issue_token(platform, party_id=party.id).token)


def opt_out(platform: Platform, count: int = OPT_OUTS) -> None:
    """``count`` domain and ``count`` URL-prefix opt-outs by one rights holder.

    Every fifth origin (from the second) is opted out whole and every fifth (from the
    third) under ``/news``; with fewer than ``5 * count`` origins the rest name hosts no
    URL of the batch has, as most of a real registry would.
    """
    holder = _actor(platform, PartyKind.RIGHTS_HOLDER, "bench holder")
    for i in range(count):
        for scope, target in (
            (OptOutScope.DOMAIN, f"site{5 * i + 1}.example"),
            (OptOutScope.URL_PREFIX, f"https://site{5 * i + 2}.example/news"),
        ):
            declare_opt_out(platform, actor=holder, data=OptOutCreate(scope=scope, target=target))


def bench_service(hosts: Sequence[tuple[str, str]], batch: list[str], home: Path) -> float:
    platform = Platform.from_settings(Settings(home=home))
    platform.clock = FixedClock(AT)
    actor = _actor(platform, PartyKind.DEVELOPER, "bench")
    opt_out(platform)
    items = captures(hosts)
    for i in range(0, len(items), 3000):
        site_policies.record_captures(platform, actor=actor, captures=items[i : i + 3000])
    size = 10_000
    requests = [CheckRequest(urls=batch[i : i + size]) for i in range(0, len(batch), size)]
    for request in requests:  # warm
        checks.check(platform, data=request)
    return rate(lambda: [checks.check(platform, data=r) for r in requests], len(batch))


def bench_urllib(hosts: Sequence[tuple[str, str]], batch: list[str]) -> float:
    parsers = {}
    for host, body in hosts:
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(body.splitlines())
        parsers[host] = parser
    hosts_of = [u.split("/", 3)[2] for u in batch]
    pairs = list(zip(hosts_of, batch, strict=True))
    return rate(lambda: [parsers[h].can_fetch("GPTBot", u) for h, u in pairs], len(batch))


def bench_protego(hosts: Sequence[tuple[str, str]], batch: list[str]) -> float | None:
    try:
        from protego import Protego
    except ImportError:
        return None
    parsers = {host: Protego.parse(body) for host, body in hosts}
    pairs = [(u.split("/", 3)[2], u) for u in batch]
    return rate(lambda: [parsers[h].can_fetch(u, "GPTBot") for h, u in pairs], len(batch))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=3000)
    parser.add_argument("--urls", type=int, default=100_000)
    args = parser.parse_args(argv)
    hosts = sites(args.sites)
    batch = urls(hosts, args.urls)
    with tempfile.TemporaryDirectory() as home:
        service = bench_service(hosts, batch, Path(home))
    results = {
        "trainclear PolicyBook (all site signals, all training agents)": bench_book(hosts, batch),
        "trainclear bulk check service (registry + signals, 10k-URL requests)": service,
        "urllib.robotparser (robots.txt only, GPTBot)": bench_urllib(hosts, batch),
        "protego (robots.txt only, GPTBot)": bench_protego(hosts, batch),
    }
    base = results["trainclear bulk check service (registry + signals, 10k-URL requests)"]
    print(f"{args.sites} origins, {args.urls} URLs, one process, one core\n")
    print("| method | URLs/s | vs bulk check |\n|---|---:|---:|")
    for name, value in results.items():
        if value is None:
            print(f"| {name} | not installed | |")
        else:
            print(f"| {name} | {value:,.0f} | {value / base:.2f}× |")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
