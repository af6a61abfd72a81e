"""How our index grows from 10^3 to 10^5 registered works.

Synthetic works, half English and half Chinese, 1,000–3,000 characters each: words
(English) or characters (Chinese) drawn independently with their frequencies in the dev
texts. Unlike slices of the 12 dev texts, which repeat once the registry outgrows them,
nearly every n-gram of these works is new, so no key is dropped as too common: the size
measured is the full one, an upper bound for real text with its shared phrases.

Each size is built in a fresh process (``python -m benchmarks.matching.growth --works N``)
so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from benchmarks.matching import machine
from benchmarks.matching.peers import array_bytes
from benchmarks.matching.sources import load_sources

WORK_CHARS = (1_000, 3_000)


def measure(counts: Sequence[int], seed: int) -> list[dict[str, Any]]:
    """Run each size in a child process (same core, same thread limits); their results."""
    rows = []
    for n in counts:
        argv = [sys.executable, "-m", "benchmarks.matching.growth", "--works", str(n)]
        done = subprocess.run([*argv, "--seed", str(seed)], capture_output=True, check=True)
        rows.append(json.loads(done.stdout))
    return rows


def synthetic_works(n: int, seed: int) -> list[tuple[int, str]]:
    """``n`` works, alternately English and Chinese, of 1–3k characters."""
    import numpy as np

    rng = np.random.default_rng(seed)
    sizes = rng.integers(WORK_CHARS[0], WORK_CHARS[1] + 1, n)
    works: list[tuple[int, str]] = []
    for lang, joiner, per_unit in (("en", " ", 5.5), ("zh", "", 1.0)):
        items, cdf = _frequencies(lang)
        mine = sizes[0::2] if lang == "en" else sizes[1::2]
        units = (mine / per_unit).astype(np.int64)
        drawn = items[np.searchsorted(cdf, rng.random(int(units.sum())), side="right")]
        ends = np.cumsum(units)
        first = 1 if lang == "en" else 2
        works += [
            (first + 2 * i, joiner.join(drawn[end - count : end].tolist()))
            for i, (count, end) in enumerate(zip(units, ends, strict=True))
        ]
    return sorted(works)


def _frequencies(lang: str) -> tuple[Any, Any]:
    import numpy as np

    counts: Counter[str] = Counter()
    for source in load_sources().values():
        if source.lang == lang:
            counts.update(source.text.split() if lang == "en" else source.text.replace("\n", ""))
    items = np.array(list(counts), dtype=object)
    weights = np.array(list(counts.values()), dtype=np.float64)
    cdf = np.cumsum(weights) / weights.sum()
    cdf[-1] = 1.0
    return items, cdf


def run_one(n: int, seed: int) -> dict[str, Any]:
    from trainclear.fingerprint.textindex import DEFAULT, TextIndex

    works = synthetic_works(n, seed)
    chars = sum(len(t) for _, t in works)
    size = sum(len(t.encode()) for _, t in works)
    TextIndex.build([(0, "warm up the compiled kernels " * 20)], params=DEFAULT)
    before = machine.rss_kib()
    machine.reset_peak_rss()
    watch = machine.Stopwatch()
    index = TextIndex.build(works, params=DEFAULT)
    took = watch.elapsed()
    nbytes = array_bytes(index)
    return {
        "works": n, "chars": chars, "bytes": size, "index_bytes": nbytes,
        "bytes_per_char": nbytes / chars, "build_s": took.cpu, "build_mb_s": size / took.cpu / 1e6,
        "build_wall_s": took.wall, "build_wall_mb_s": size / took.wall / 1e6,
        "rss_before_mib": before / 1024,
        "build_peak_extra_mib": (machine.rss_kib("VmHWM") - before) / 1024,
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--works", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    machine.pin_one_core()
    print(json.dumps(run_one(args.works, args.seed)))


if __name__ == "__main__":
    main()
