"""Markdown tables from a benchmark result (the dict that ``run`` writes as JSON)."""

from __future__ import annotations

from typing import Any

from benchmarks.matching.corpus import CLASSES, LANGS
from benchmarks.matching.score import binomial_upper

TARGETS = {
    "exact": 0.99, "reformatted": 0.99, "variant": 0.99, "edited": 0.99,
    "excerpt1k": 0.99, "excerpt300": 0.95,
}  # fmt: skip
BASELINE = "ours-default"


def markdown(result: dict[str, Any]) -> str:
    return "\n\n".join(
        [machine_lines(result), composition_table(result), recall_table(result),
         performance_table(result), ratio_table(result), growth_table(result)]
    )  # fmt: skip


def machine_lines(result: dict[str, Any]) -> str:
    m = result["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    load = result.get("load_average", {})
    loads = " → ".join(f"{v[0]:.1f}" for v in load.values())
    return (
        f"Machine: {m['cpu']}, {m['logical_cores']} logical cores (pinned to core "
        f"{result['core']}), {m['ram_gib']} GiB RAM; Python {m['python']}; {versions}. "
        f"Load average (1 min) at start → end: {loads or 'not recorded'}." + _code_line(result)
    )


def _code_line(result: dict[str, Any]) -> str:
    code = result.get("ours_code", {})
    names = ("textindex.py", "kernels.py", "fold.py")
    shown = ", ".join(f"{n} {code[n]}" for n in names if n in code)
    changed = " (changed during the run!)" if result.get("ours_code_changed_during_run") else ""
    return f"\nOurs: trainclear.fingerprint {shown}{changed}." if shown else ""


def composition_table(result: dict[str, Any]) -> str:
    rows = ["| class | lang | pages | distinct | characters |", "|---|---|---:|---:|---:|"]
    rows += [
        f"| {r['cls']} | {r['lang']} | {r['pages']:,} | {r['distinct']:,} | {r['chars']:,} |"
        for r in result["composition"]["pages"]
    ]
    works = result["composition"]["works"]
    chars = result["composition"]["registered_chars"]
    head = ", ".join(f"{lang}: {works[lang]} works, {chars[lang]:,} characters" for lang in works)
    return f"Registered: {head}.\n\n" + "\n".join(rows)


def recall_table(result: dict[str, Any]) -> str:
    methods = list(result["methods"])
    rows = [
        "| class | lang | target | " + " | ".join(methods) + " |",
        "|---|---|---:|" + "---:|" * len(methods),
    ]
    for cls in CLASSES:
        for lang in LANGS:
            key = f"{cls}/{lang}"
            tallies = [result["methods"][m]["score"]["recall"].get(key) for m in methods]
            cells = [_recall_cell(t) for t in tallies]
            if all(c == "–" for c in cells):
                continue
            rows.append(f"| {cls} | {lang} | {TARGETS[cls]:.2f} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _recall_cell(tally: dict[str, Any] | None) -> str:
    if not tally:
        return "–"
    return f"{tally['recall']:.3f} ({tally['found']}/{tally['pages']})"


def performance_table(result: dict[str, Any]) -> str:
    rows = [
        "| method | false positives / negative pages | FP per 10k (95% upper) | "
        "positives naming a wrong work | match MB/s: CPU (wall) | en / zh MB/s: CPU | "
        "end-to-end MB/s: CPU (wall) | build MB/s: CPU (wall) | index bytes / registered char |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, m in result["methods"].items():
        s = m["score"]
        extra = m.get("extra_negatives", {})
        fp = s["false_positives"] + extra.get("false_positives", 0)
        pages = s["negatives"] + extra.get("pages", 0)
        upper = 1e4 * binomial_upper(fp, pages)
        wrong = sum(t["wrong"] for t in s["recall"].values())
        by_lang = m["match_mb_s_by_lang"]
        e2e = m.get("end_to_end")
        rows.append(
            f"| {name} | {fp} / {pages:,} | {1e4 * fp / pages:.2f} ({upper:.2f}) | {wrong} | "
            f"{_pair(m['match_mb_s'], m['match_wall_mb_s'])} | "
            f"{by_lang.get('en', 0):.1f} / {by_lang.get('zh', 0):.1f} | "
            f"{_pair(e2e['filter_mb_s'], e2e['filter_wall_mb_s']) if e2e else '–'} | "
            f"{_pair(m['build_mb_s'], m['build_wall_mb_s'])} | "
            f"{m['index_bytes_per_char']:.3f} |"
        )
    e2e = [m["end_to_end"] for m in result["methods"].values() if "end_to_end" in m]
    if e2e:
        e = e2e[0]
        io = _pair(e["io_only_mb_s"], e["io_only_wall_mb_s"])
        rows.append(
            "\nEnd to end is trainclear's filter (`run_filter`, block path). Its per-record "
            f"path: {_pair(e['filter_records_mb_s'], e['filter_records_wall_mb_s'])} MB/s; "
            f"the bare block loop (match, copy kept lines, no checks, hashes or manifest): "
            f"{_pair(e['mb_s'], e['wall_mb_s'])} MB/s, CPU (wall)."
        )
        rows.append(f"Reading and writing the shards alone (no matching): {io} MB/s, CPU (wall).")
        if "per_record_mb_s" in e:
            parse = _pair(e["parse_io_only_mb_s"], e["parse_io_only_wall_mb_s"])
            per_record = _pair(e["per_record_mb_s"], e["per_record_wall_mb_s"])
            rows.append(
                f"End to end a record at a time (orjson, one match call each): {per_record} MB/s;"
                f" reading and writing with every record parsed by orjson: {parse} MB/s."
            )
    return "\n".join(rows)


def _pair(cpu: float, wall: float) -> str:
    return f"{cpu:.1f} ({wall:.1f})"


def ratio_table(result: dict[str, Any]) -> str:
    ours = result["methods"][BASELINE]
    rows = [
        f"| {BASELINE} ÷ peer | match throughput (CPU) | build throughput (CPU) | index size |",
        "|---|---:|---:|---:|",
    ]
    for name, m in result["methods"].items():
        if name.startswith("ours"):
            continue
        rows.append(
            f"| {name} | {ours['match_mb_s'] / m['match_mb_s']:.1f}× | "
            f"{ours['build_mb_s'] / m['build_mb_s']:.1f}× | "
            f"{ours['index_bytes_per_char'] / m['index_bytes_per_char']:.2f}× |"
        )
    return "\n".join(rows)


def growth_table(result: dict[str, Any]) -> str:
    rows = [
        "| works | registered chars | index bytes | bytes / char | build MB/s: CPU (wall) | "
        "build peak extra MiB |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    rows += [
        f"| {g['works']:,} | {g['chars']:,} | {g['index_bytes']:,} | {g['bytes_per_char']:.3f} | "
        f"{_pair(g['build_mb_s'], g['build_wall_mb_s'])} | {g['build_peak_extra_mib']:.0f} |"
        for g in result.get("growth", [])
    ]
    return "\n".join(rows)
