"""A delta written while a filter runs is honoured from the next shard on."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from trainclear.pipeline import run_filter
from trainclear.pipeline.loading import open_index
from trainclear.snapshot.delta import write_delta
from trainclear.snapshot.files import load_snapshot, write_snapshot
from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork

NOVEL = "en/dracula.txt"


def _shard(path: Path, records: list[tuple[str, str]]) -> Path:
    lines = [json.dumps({"id": rid, "text": text}) for rid, text in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_delta_written_mid_run_excludes_from_the_next_shard(
    tmp_path: Path, shared_dir: Path
) -> None:
    from trainclear.fingerprint.textindex import sample_text

    novel = (shared_dir / "data/texts/dev" / NOVEL).read_text(encoding="utf-8")[:40_000]
    sample = sample_text(novel)
    work = SnapshotWork(1, "Dracula", None, (), (), len(novel), sample.folded_length)
    base = Snapshot("registry", "generative_ai_training", "2026-01-01T00:00:00+00:00", (work,))
    folder = write_snapshot(base, tmp_path / "snapshots", [(1, sample.keys, sample.fpos)])
    excerpt = novel[20_000:21_500]
    first = _shard(tmp_path / "a.jsonl", [("a1", "filler " + excerpt), ("a2", "unrelated")])
    second = _shard(tmp_path / "b.jsonl", [("b1", excerpt + " tail"), ("b2", "unrelated")])
    index = open_index(folder)
    stored = load_snapshot(str(folder), folder.parent)

    def opt_out_after_first_shard(_records: int) -> None:
        if not index.applied:
            opted = replace(work, reasons=(Reason("opt_out", "opt_out:7"),))
            current = Snapshot(
                stored.scope,
                stored.purpose,
                "2026-01-02T00:00:00+00:00",
                (opted,),
                meta=stored.meta,
            )
            write_delta(folder, folder.name, current, stored, {})

    result = run_filter(
        [first, second], tmp_path / "out", index, progress=opt_out_after_first_shard
    )
    assert (result.kept, result.excluded) == (3, 1)
    report = [json.loads(line) for line in result.exclusions.read_text().splitlines()]
    assert [(r["id"], r["ref"]) for r in report] == [("b1", "opt_out:7")]
    assert index.applied == [1]
