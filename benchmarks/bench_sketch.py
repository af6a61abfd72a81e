"""Benchmark membership sketches: size, insert and query speed, false positives measured.

Run ``python benchmarks/bench_sketch.py`` (``--help`` for options). Two corpora: the dev
texts (``../shared/data/texts/dev``, read in place; half included, half excluded) and a
synthetic corpus of ``--mb`` megabytes made of copies of the dev texts, each with its own
random letter substitution (English letters and CJK characters permuted per copy, so
every copy has its own n-grams but a natural character distribution), cut into documents
of 2-30 kB. Excluded text for the synthetic corpus is ``--query-mb`` of copies with other
substitutions. It prints two markdown tables: one row per corpus (size, speed, per-lookup
false-positive rate measured on every offset of the excluded text vs analytic and
fill-based values, document-level false matches), then, per chain threshold, how many
1,000-character windows of excluded text reach it, measured vs the Poisson expectation
(``probes − (c−1)·stride`` places a chain can start, each a chain with probability p^c).
Timings, not assertions: the tests never time anything.
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from trainclear.ledger.sketch import MIN_CHAIN, MembershipSketch, SketchHit

DEV = Path(__file__).resolve().parents[1].parent / "shared/data/texts/dev"
CJK = (0x4E00, 0x9FA5)
WINDOW = 1000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    included: list[str]
    excluded: list[str]


def timed(action: Callable[[], T], repeat: int) -> tuple[T, float]:
    """The result and best CPU time of ``repeat`` runs, in seconds (CPU, not wall, time:
    shared machines make wall time noisy; the work is single-threaded)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = action()
        best = min(best, time.process_time() - start)
    assert result is not None
    return result, best


def dev_corpus() -> Corpus:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*/*.txt"))]
    return Corpus("dev texts", texts[0::2], texts[1::2])


def substituted(text: str, seed: int) -> str:
    """``text`` with letters a-z (both cases) and its CJK characters permuted by ``seed``."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    shuffled = rng.sample(letters, len(letters))
    table = {ord(a): b for a, b in zip(letters, shuffled, strict=True)}
    table |= {ord(a.upper()): b.upper() for a, b in zip(letters, shuffled, strict=True)}
    cjk = sorted({c for c in text if CJK[0] <= ord(c) <= CJK[1]})
    targets = rng.sample(range(CJK[0], CJK[1] + 1), len(cjk))
    table |= {ord(c): chr(t) for c, t in zip(cjk, targets, strict=True)}
    return text.translate(table)


def documents(texts: list[str], megabytes: float, first_seed: int) -> Iterator[str]:
    """Substituted copies of ``texts`` cut into 2-30 kB documents, ``megabytes`` in all."""
    rng, produced, seed = random.Random(first_seed), 0, first_seed
    while produced < megabytes * 1e6:
        copy = substituted(texts[seed % len(texts)], seed)
        seed += 1
        at = 0
        while at < len(copy) and produced < megabytes * 1e6:
            size = rng.randrange(2_000, 30_000)
            yield copy[at : at + size]
            produced, at = produced + len(copy[at : at + size].encode("utf-8")), at + size


def synthetic_corpus(megabytes: float, query_megabytes: float) -> Corpus:
    texts = dev_corpus().included + dev_corpus().excluded
    included = list(documents(texts, megabytes, 0))
    excluded = list(documents(texts, query_megabytes, 1_000_000))
    return Corpus(f"synthetic {megabytes:g} MB", included, excluded)


def windows(texts: list[str]) -> list[str]:
    """Every 1,000-character window of ``texts``, starting every 500 characters."""
    return [t[i : i + WINDOW] for t in texts for i in range(0, len(t) - WINDOW + 1, WINDOW // 2)]


def megabytes(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / 1e6


def corpus_row(corpus: Corpus, repeat: int) -> tuple[str, MembershipSketch, list[SketchHit]]:
    chars = sum(map(len, corpus.included))
    size = megabytes(corpus.included)
    sketch, exact_s = timed(lambda: MembershipSketch.build(corpus.included), repeat)
    streamed, stream_s = timed(
        lambda: MembershipSketch.build(corpus.included, expected_chars=chars), repeat
    )
    hits, query_s = timed(lambda: [sketch.query(t) for t in corpus.excluded], repeat)
    measured = sum(h.hits for h in hits) / sum(h.probes for h in hits)
    false_docs = sum(h.longest_chain >= MIN_CHAIN for h in hits)
    cells = [
        corpus.name,
        f"{len(corpus.included):,}",
        f"{chars:,}",
        f"{size:.1f}",
        f"{sketch.size_bytes:,} / {streamed.size_bytes:,}",
        f"{sketch.size_bytes / (size * 1e6):.2%} / {streamed.size_bytes / (size * 1e6):.2%}",
        f"{size / exact_s:.0f} / {size / stream_s:.0f}",
        f"{megabytes(corpus.excluded) / query_s:.1f}",
        f"{measured:.4%}",
        f"{sketch.analytic_fpr():.4%}",
        f"{sketch.fpr_estimate():.4%}",
        f"{false_docs} of {len(hits):,}",
    ]
    return "| " + " | ".join(cells) + " |", sketch, hits


def chain_rows(corpus: Corpus, sketch: MembershipSketch) -> list[str]:
    """Windows of excluded text whose longest chain of false hits reaches ``c``."""
    parts = windows(corpus.excluded)
    hits, seconds = timed(lambda: [sketch.query(w) for w in parts], 1)
    p, stride = sketch.analytic_fpr(), sketch.params.stride
    rows = []
    for c in range(1, MIN_CHAIN + 2):
        measured = sum(h.longest_chain >= c for h in hits)
        starts = [max(h.probes - (c - 1) * stride, 0) for h in hits]
        expected = sum(1 - math.exp(-n * p**c) for n in starts)
        rows.append(
            f"| {corpus.name} | {len(parts):,} | {len(parts) / seconds:,.0f} | {c} "
            f"| {measured:,} | {expected:,.3g} |"
        )
    return rows


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.is_file() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mb", type=float, default=64, help="synthetic corpus size")
    parser.add_argument("--query-mb", type=float, default=16, help="excluded text to query")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings (dev texts)")
    args = parser.parse_args()
    MembershipSketch.build(["warm up the compiled fold " * 10]).query("warm up " * 20)
    corpora = [(dev_corpus(), args.repeat), (synthetic_corpus(args.mb, args.query_mb), 1)]
    print(f"{cpu_model()}, numpy {np.__version__}; one thread, speeds from CPU time\n")
    print(
        "| corpus | docs | chars | text MB | sketch bytes (exact / streamed) "
        "| sketch / text bytes | insert MB/s (exact / streamed) | query MB/s "
        "| FPR measured | FPR analytic | FPR from fill | excluded docs matched |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    sketches = []
    for corpus, repeat in corpora:
        row, sketch, _ = corpus_row(corpus, repeat)
        print(row, flush=True)
        sketches.append((corpus, sketch))
    print(
        f"\n1,000-character windows of excluded text (every 500 characters) whose longest "
        f"chain of strided hits reaches c; expected: Poisson, (probes − (c−1)·stride)·p^c "
        f"chain starts per window; "
        f"default threshold c = {MIN_CHAIN}\n"
    )
    print("| corpus | windows | queries/s | c | windows measured | windows expected |")
    print("|---|---|---|---|---|---|")
    for corpus, sketch in sketches:
        print("\n".join(chain_rows(corpus, sketch)), flush=True)


if __name__ == "__main__":
    main()
