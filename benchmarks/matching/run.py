"""Run the matching benchmark: ``python -m benchmarks.matching.run [--quick]``.

In one process, pinned to one core: generate the labelled corpus and write it as JSONL
shards; for every matcher (ours at the default and the strict setting, datasketch, rensa,
rensa over windows) build the index over the registered units, match every page, and
score it. Then run ours end to end (read the shards → match → write kept records as read
and an exclusions entry for each excluded one), count its false positives on more
unrelated pages, and build our index at 10^3–10^5 synthetic works. Prints markdown
tables and writes ``results.json`` beside the corpus.
"""

from __future__ import annotations

import argparse
import dataclasses
import mmap
import os
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from benchmarks.matching import corpus as corpus_mod
from benchmarks.matching import machine, report
from benchmarks.matching.score import Span, score

WHOLE_ONLY = " (whole texts only)"


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = _parser().parse_args(argv)
    load_at_start = os.getloadavg()
    code_at_start = machine.module_digests()
    core = machine.pin_one_core()  # before numpy, numba and rensa load
    from benchmarks.matching import growth, peers

    config = corpus_mod.QUICK if args.quick else corpus_mod.CorpusConfig()
    if args.extra_negatives is None:
        args.extra_negatives = 5_000 if args.quick else 50_000
    overrides = {"negatives": args.negatives, "positives": args.positives, "seed": args.seed}
    config = dataclasses.replace(config, **{k: v for k, v in overrides.items() if v is not None})
    out = args.out or Path(tempfile.mkdtemp(prefix="trainclear-bench-"))
    _log(f"generating the corpus into {out}")
    corpus = corpus_mod.generate(config)
    shards = corpus_mod.write(corpus, out / "corpus")
    result: dict[str, Any] = {
        "machine": machine.describe(), "core": core, "quick": args.quick,
        "composition": corpus_mod.composition(corpus), "methods": {},
    }  # fmt: skip
    matchers = [m for m in peers.all_matchers() if not args.only or m.name in args.only]
    for matcher in matchers:
        _log(f"running {matcher.name}")
        result["methods"][matcher.name] = run_matcher(matcher, corpus)
        if isinstance(matcher, peers.Ours) and matcher.name == report.BASELINE:
            _log("running ours end to end")
            text_bytes = sum(len(p.text.encode()) for p in corpus.pages)
            measured = end_to_end(matcher, shards, out / "filtered", text_bytes, corpus.works)
            result["methods"][matcher.name]["end_to_end"] = measured
    if not args.only:
        _log("running ours on a registry of whole texts only (no nested chunks)")
        whole = corpus_mod.whole_texts(corpus.works)
        for setting in ("DEFAULT", "STRICT"):
            matcher = peers.Ours(setting, suffix=WHOLE_ONLY)
            result["methods"][matcher.name] = run_matcher(matcher, corpus, whole)
    if args.extra_negatives:
        _log(f"counting our false positives on {args.extra_negatives:,} more unrelated pages")
        ours = [m for m in matchers if isinstance(m, peers.Ours)]
        for name, measured in extra_false_positives(ours, config, args.extra_negatives).items():
            result["methods"][name]["extra_negatives"] = measured
    counts = args.growth
    if counts is None:
        counts = [10**3, 10**4] if args.quick else [10**3, 10**4, 10**5]
    if counts:
        _log(f"building our index at {counts} synthetic works")
        result["growth"] = growth.measure(counts, config.seed)
    result["load_average"] = {"start": load_at_start, "end": os.getloadavg()}
    result["ours_code"] = code_at_start
    if machine.module_digests() != code_at_start:
        result["ours_code_changed_during_run"] = True
        _log("warning: trainclear.fingerprint changed during the run; child processes saw it")
    (out / "results.json").write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    print(report.markdown(result))
    print(f"\nresults: {out / 'results.json'}")
    if not args.keep:
        shutil.rmtree(out / "corpus")
        shutil.rmtree(out / "filtered", ignore_errors=True)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus, a smoke run")
    parser.add_argument("--out", type=Path, help="output folder (default: a new temp folder)")
    parser.add_argument("--negatives", type=int, help="unrelated pages (default 10,000)")
    parser.add_argument("--positives", type=int, help="pages per class and language")
    parser.add_argument("--seed", type=int)
    parser.add_argument(
        "--extra-negatives", type=int,
        help="more unrelated pages, for our false-positive rate only (default 50,000; "
        "--quick: 5,000)",
    )  # fmt: skip
    parser.add_argument("--only", nargs="*", help="matcher names to run (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus shards")
    parser.add_argument(
        "--growth", type=lambda s: [int(x) for x in s.split(",") if x], default=None,
        help="work counts for the growth measurement (default 1000,10000,100000; "
        "--quick: 1000,10000; '' to skip)",
    )  # fmt: skip
    return parser


def run_matcher(
    matcher: Any, corpus: corpus_mod.Corpus, registry: Sequence[corpus_mod.Work] | None = None
) -> dict[str, Any]:
    """Build over the registered units, match every page, time both, score the answers.

    ``registry``: the units to build from, if not all of the corpus's.
    """
    works = [(w.work_id, w.text) for w in (corpus.works if registry is None else registry)]
    registered = sum(len(t.encode()) for _, t in works)
    getattr(matcher, "warm_up", lambda: None)()
    watch = machine.Stopwatch()
    matcher.build(works)
    build = watch.elapsed()
    with_spans = hasattr(matcher, "matches")
    found, spans, times = _match_all(matcher, corpus.pages, with_spans)
    sizes = [len(p.text.encode()) for p in corpus.pages]
    per_lang: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for label, size, t in zip(corpus.labels, sizes, times, strict=True):
        per_lang[label.lang][0] += size
        per_lang[label.lang][1] += t.cpu
    cpu, wall = sum(t.cpu for t in times), sum(t.wall for t in times)
    batched = _match_batched(matcher, corpus, spans) if hasattr(matcher, "matches_many") else {}
    index_bytes = matcher.index_bytes()
    chars = sum(len(t) for _, t in works)
    lookup = corpus_mod.work_lookup(corpus.works)
    return {
        "build_s": build.cpu, "build_wall_s": build.wall,
        "build_mb_s": registered / build.cpu / 1e6,
        "build_wall_mb_s": registered / build.wall / 1e6,
        "index_bytes": index_bytes, "index_bytes_per_char": index_bytes / chars,
        "match_s": cpu, "match_wall_s": wall,
        "match_mb_s": sum(sizes) / cpu / 1e6, "match_wall_mb_s": sum(sizes) / wall / 1e6,
        "match_mb_s_by_lang": {lang: b / s / 1e6 for lang, (b, s) in sorted(per_lang.items())},
        "score": score(corpus.labels, lookup, found, spans if with_spans else None).as_dict(),
        **batched,
    }  # fmt: skip


def _match_batched(
    matcher: Any, corpus: corpus_mod.Corpus, spans: list[list[Span]]
) -> dict[str, Any]:
    """Match the pages of each language in one call (``matches_many``), ``ROUNDS`` times;
    the answers must be the per-page ones (``spans``)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(corpus.labels):
        groups[label.lang].append(i)
    rates: dict[str, list[float]] = defaultdict(list)
    total: list[float] = []
    for _ in range(ROUNDS):
        seconds = 0.0
        for lang, pages in sorted(groups.items()):
            texts = [corpus.pages[i].text for i in pages]
            watch = machine.Stopwatch()
            answers = matcher.matches_many(texts)
            elapsed = watch.elapsed().cpu
            seconds += elapsed
            rates[lang].append(sum(len(t.encode()) for t in texts) / elapsed / 1e6)
            for i, matches in zip(pages, answers, strict=True):
                if [(m.work_id, m.record_start, m.record_end) for m in matches] != spans[i]:
                    raise AssertionError(f"batched matching differs on page {i}")
        total.append(sum(len(p.text.encode()) for p in corpus.pages) / seconds / 1e6)
    return {
        "match_batched_mb_s": max(total),
        "match_batched_mb_s_range": [min(total), max(total)],
        "match_batched_mb_s_by_lang": {lang: max(r) for lang, r in sorted(rates.items())},
    }


def extra_false_positives(
    matchers: Sequence[Any], config: corpus_mod.CorpusConfig, count: int
) -> dict[str, dict[str, Any]]:
    """Our false positives on ``count`` further unrelated pages (generated, not stored)."""
    flagged = dict.fromkeys((m.name for m in matchers), 0)
    for text in corpus_mod.extra_negatives(config, count):
        for matcher in matchers:
            flagged[matcher.name] += bool(matcher.match(text))
    return {
        name: {"pages": count, "false_positives": fp, "fp_per_10k": 1e4 * fp / count}
        for name, fp in flagged.items()
    }


def _match_all(
    matcher: Any, pages: Sequence[corpus_mod.Page], with_spans: bool
) -> tuple[list[set[int]], list[list[Span]], list[machine.Elapsed]]:
    found, spans, times = [], [], []
    for page in pages:
        watch = machine.Stopwatch()
        if with_spans:
            matches = matcher.matches(page.text)
            times.append(watch.elapsed())
            spans.append([(m.work_id, m.record_start, m.record_end) for m in matches])
            found.append({m.work_id for m in matches})
        else:
            found.append(matcher.match(page.text))
            times.append(watch.elapsed())
    return found, spans, times


def end_to_end(
    matcher: Any,
    shards: Sequence[Path],
    out: Path,
    text_bytes: int,
    works: Sequence[corpus_mod.Work],
) -> dict[str, Any]:
    """Read JSONL shards, match each record, write kept records and an exclusions file.

    First trainclear's own filter (:func:`trainclear.pipeline.run_filter`, every
    registered unit opted out): its block path, what ``trainclear filter`` runs on plain
    JSONL, and its per-record path, each with all it does besides matching (record
    checks, the exclusions report, SHA-256 of every input and output, the manifest,
    staging). Then the stripped-down loops below, for what matching alone leaves.

    As trainclear's filter does, a kept record is written as the line it was read from
    and an excluded one becomes an exclusions entry (its id and matches, not its text).
    Throughput counts the records' text (``text_bytes``, UTF-8), as the matcher's does.

    Two ways, alternating, each timed ``ROUNDS`` times, and their outputs compared byte
    for byte: *blocks* (each shard mapped into memory and cut into blocks of whole
    lines; :func:`.jsonltext.match_jsonl` reads each line and matches its text in
    compiled code; kept lines are written in runs as read, and only the id of an
    excluded record is decoded) and *per record* (each line parsed with orjson, its
    text matched alone). The per-record pass without matching (every record kept)
    gives reading and writing with a full parse; the block pass without matching,
    reading and writing alone.
    """
    index = matcher.index
    snapshot = _snapshot_index(index, works)
    ways: dict[str, Callable[[Path], tuple[int, int]]] = {
        "filter": lambda o: _run_filter(shards, o, snapshot, blocks=True),
        "filter_records": lambda o: _run_filter(shards, o, snapshot, blocks=False),
        "blocks": lambda o: _filter_blocks(shards, o, index),
        "per_record": lambda o: _filter_shards(shards, o, index.match),
        "blocks_io_only": lambda o: _filter_blocks(shards, o, None),
        "per_record_io_only": lambda o: _filter_shards(shards, o, lambda _: []),
    }
    times: dict[str, list[machine.Elapsed]] = defaultdict(list)
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(ROUNDS):
        for name, run in ways.items():
            folder = out / name
            shutil.rmtree(folder, ignore_errors=True)  # new files, as a run writes them
            folder.mkdir(parents=True)
            watch = machine.Stopwatch()
            counts[name] = run(folder)
            times[name].append(watch.elapsed())
    _same_files(out / "blocks", out / "per_record")
    _same_files(out / "filter", out / "filter_records")
    for shard in shards:
        kept = (out / "filter" / shard.name).read_bytes()
        if kept != (out / "blocks" / f"kept-{shard.name}").read_bytes():
            raise AssertionError(f"end to end: the filter kept other lines of {shard.name}")
    assert counts["blocks"] == counts["per_record"] == counts["filter"] == counts["filter_records"]
    best = {name: min(t, key=lambda e: e.cpu) for name, t in times.items()}
    kept, excluded = counts["blocks"]
    return {
        "rounds": ROUNDS, "kept": kept, "excluded": excluded,
        "seconds": best["blocks"].cpu, "wall_seconds": best["blocks"].wall,
        "mb_s": text_bytes / best["blocks"].cpu / 1e6,
        "wall_mb_s": text_bytes / best["blocks"].wall / 1e6,
        **{f"{name}_mb_s_range": [text_bytes / max(e.cpu for e in t) / 1e6,
                                  text_bytes / min(e.cpu for e in t) / 1e6]
           for name, t in times.items()},
        "filter_mb_s": text_bytes / best["filter"].cpu / 1e6,
        "filter_wall_mb_s": text_bytes / best["filter"].wall / 1e6,
        "filter_records_mb_s": text_bytes / best["filter_records"].cpu / 1e6,
        "filter_records_wall_mb_s": text_bytes / best["filter_records"].wall / 1e6,
        "per_record_mb_s": text_bytes / best["per_record"].cpu / 1e6,
        "per_record_wall_mb_s": text_bytes / best["per_record"].wall / 1e6,
        "io_only_mb_s": text_bytes / best["blocks_io_only"].cpu / 1e6,
        "io_only_wall_mb_s": text_bytes / best["blocks_io_only"].wall / 1e6,
        "parse_io_only_mb_s": text_bytes / best["per_record_io_only"].cpu / 1e6,
        "parse_io_only_wall_mb_s": text_bytes / best["per_record_io_only"].wall / 1e6,
    }  # fmt: skip


ROUNDS = 5


def _snapshot_index(index: Any, works: Sequence[corpus_mod.Work]) -> Any:
    """A registry snapshot over the benchmark's text index, every unit opted out."""
    from trainclear.fingerprint.textindex import sample_text
    from trainclear.snapshot.index import SnapshotIndex
    from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork

    registered = tuple(
        SnapshotWork(
            w.work_id, f"unit {w.work_id}", None, (), (Reason("opt_out", f"opt_out:{w.work_id}"),),
            len(w.text), sample_text(w.text).folded_length,
        )
        for w in works
    )  # fmt: skip
    at = "2026-01-01T00:00:00+00:00"
    snapshot = Snapshot("registry", "generative_ai_training", at, registered)
    return SnapshotIndex(snapshot, index)


def _run_filter(shards: Sequence[Path], out: Path, index: Any, *, blocks: bool) -> tuple[int, int]:
    """trainclear's filter into ``out`` (an empty folder, as each round makes it)."""
    from trainclear.pipeline import run_filter

    result = run_filter(shards, out, index, now=_NOW, blocks=blocks)
    return result.kept, result.excluded


_NOW = datetime(2026, 1, 2, tzinfo=UTC)


def _same_files(a: Path, b: Path) -> None:
    """The two ways must write the same bytes."""
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        if (a / name).read_bytes() != (b / name).read_bytes():
            raise AssertionError(f"end to end: {name} differs between the two ways")


def _filter_shards(
    shards: Sequence[Path], out: Path, match: Callable[[str], list[Any]]
) -> tuple[int, int]:
    kept = excluded = 0
    for shard in shards:
        with (
            shard.open("rb") as records,
            (out / f"kept-{shard.name}").open("wb") as keep,
            (out / f"excluded-{shard.name}").open("wb") as drop,
        ):
            for number, line in enumerate(records, start=1):
                record = orjson.loads(line)
                matches = match(record["text"])
                if matches:
                    drop.write(_exclusion(shard.name, number, record["id"], matches))
                    excluded += 1
                else:
                    keep.write(line)
                    kept += 1
    return kept, excluded


def _filter_blocks(shards: Sequence[Path], out: Path, index: Any | None) -> tuple[int, int]:
    """:func:`_filter_shards` over blocks of lines of the mapped shards
    (:func:`.jsonltext.match_jsonl`); a line the scan left to a parser goes through
    orjson and is matched alone. ``index`` None: every record kept, nothing read but
    the bytes."""
    kept = excluded = 0
    for shard in shards:
        with (
            shard.open("rb") as records,
            mmap.mmap(records.fileno(), 0, flags=_MAP_FLAGS, prot=mmap.PROT_READ) as mapped,
            (out / f"kept-{shard.name}").open("wb") as keep,
            (out / f"excluded-{shard.name}").open("wb") as drop,
        ):
            counts = _filter_mapped(shard.name, mapped, keep, drop, index)
        kept, excluded = kept + counts[0], excluded + counts[1]
    return kept, excluded


_MAP_FLAGS = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
"""Linux reads a populated mapping in at once: fewer page faults than touching it."""


def _filter_mapped(
    name: str, mapped: mmap.mmap, keep: IO[bytes], drop: IO[bytes], index: Any | None
) -> tuple[int, int]:
    from trainclear.fingerprint.jsonltext import line_blocks, match_jsonl

    kept = excluded = number = 0  # number: lines before this block
    for block in line_blocks(mapped):
        if index is None:  # reading and writing alone (lines not counted)
            keep.write(block)
            continue
        found = match_jsonl(index, block, members=("id",))
        run = 0  # the start of the kept lines not written yet
        kept += len(found)
        for i in found.flagged():
            record = None if found.parsed[i] else orjson.loads(found.line(i))
            matches = found.matches(i) if record is None else index.match(record["text"])
            if not matches:
                continue
            keep.write(block[run : found.starts[i]])
            run = found.ends[i]
            raw_id = found.member(i) if record is None else None
            if raw_id is not None:
                record_id = orjson.loads(raw_id)
            else:
                record_id = (record or orjson.loads(found.line(i)))["id"]
            drop.write(_exclusion(name, number + i + 1, record_id, matches))
            excluded += 1
            kept -= 1
        keep.write(block[run:])
        number += len(found)
    return kept, excluded


def _exclusion(shard: str, line: int, record_id: Any, matches: list[Any]) -> bytes:
    entry = {"file": shard, "line": line, "id": record_id,
             "matches": [_match_row(m) for m in matches]}  # fmt: skip
    return orjson.dumps(entry) + b"\n"


def _match_row(m: Any) -> dict[str, Any]:
    return {
        "work_id": m.work_id, "record_start": m.record_start, "record_end": m.record_end,
        "work_start": m.work_start, "work_end": m.work_end, "score": m.score,
    }  # fmt: skip


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


if __name__ == "__main__":
    main()
