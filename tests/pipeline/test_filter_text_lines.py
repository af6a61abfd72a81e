"""Records that their text hits alone decide skip the document, with the same output.

On the block path a valid line whose id is a plain string, with no image and no URL or
metadata the registry reads, becomes a ``TextHitLine``; its exclusions line is put
together from pieces encoded once per work. Filtered and scanned both ways (nested
matches, several reasons, escaped ids, URL rules that match too, malformed lines in
between), it must give the per-record path's bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pipeline.conftest import Texts
from tests.pipeline.test_filter_blocks import _dumps, _same_both_ways, _work, line_pool
from trainclear.fingerprint.textindex import TextMatch
from trainclear.pipeline.document import Document
from trainclear.pipeline.exclusions import TextExclusions, excluded_entry
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.loading import open_index
from trainclear.pipeline.readers import jsonl_blocks
from trainclear.pipeline.readers.jsonl_blocks import TextHitLine, read_blocks
from trainclear.snapshot.files import write_snapshot
from trainclear.snapshot.index import SnapshotIndex
from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork, UrlRule

AT = "2026-03-02T09:00:00+00:00"
PRIVATE = "https://blog.example.net/private"


def _registry(texts: Texts, folder: Path, rules: tuple[UrlRule, ...] = ()) -> Path:
    """Nested works of one novel (a chapter, a page, a paragraph; the page free), one
    with two reasons, one whose reason needs escaping, a free one; ``rules`` added."""
    pp = texts["en/pride-and-prejudice"]
    parts = [
        _work(1, "Pride and Prejudice", pp[:60_000]),
        _work(2, "A chapter", pp[20_000:30_000]),
        _work(3, "A page", pp[21_000:24_000], excluded=False),
        _work(4, "A paragraph", pp[21_500:23_000]),
        _work(5, "诗经", texts["zh/shijing"][:20_000]),
        _work(6, "Dracula", texts["en/dracula"][:20_000], excluded=False),
    ]
    works = [w for w, _ in parts]
    works[0] = SnapshotWork(
        1, "Pride and Prejudice", None, (),
        (Reason("opt_out", "opt_out:1"), Reason("objection", "objection:3")),
        works[0].length, works[0].folded_length,
    )  # fmt: skip
    works[4] = SnapshotWork(
        5, "诗经", None, (), (Reason("opt_out", 'opt_out:"5"\\ 异议\t'),),
        works[4].length, works[4].folded_length,
    )  # fmt: skip
    snapshot = Snapshot("registry", "generative_ai_training", AT, tuple(works), rules)
    return write_snapshot(snapshot, folder, [s for _, s in parts])


def _text_lines(texts: Texts) -> list[bytes]:
    """Lines that text hits alone decide where the registry reads no URL or metadata."""
    pp, zh = texts["en/pride-and-prejudice"], texts["zh/shijing"]
    nested = pp[21_400:23_200]
    records: list[dict[str, Any]] = [
        {"id": "nested", "text": nested, "url": "https://a.example/p"},
        {"id": 'q"uote\\ é \U0001f600\t', "text": nested, "url": "https://x/é\n", "image": None},
        {"id": "page", "text": pp[23_100:23_900]},
        {"id": "free", "text": texts["en/dracula"][5000:8000], "url": "https://d.example/"},
        {"id": "chapter", "text": pp[25_000:27_000], "metadata": {"isbn": "9780141439518"}},
        {"id": "zh", "text": zh[5000:7000], "url": None, "metadata": None},
        {"id": "zh-and-pp", "text": zh[9000:10_000] + nested},
    ]
    lines = [_dumps(r) + b"\n" for r in records]
    lines.append(json.dumps(records[1]).encode() + b"\n")  # the id's escapes as \u sequences
    lines.append(_dumps({"id": "crlf", "text": nested}) + b"\r\n")
    lines.append(_dumps({"id": "crlf-plain", "text": "nothing"}) + b"\r\n")
    return lines


def _mixed(texts: Texts) -> bytes:
    """The text lines between every class of line (malformed ones too), last unended."""
    pool = line_pool(texts)
    text_lines = _text_lines(texts)
    mixed = [line for pair in zip(pool, text_lines * 5, strict=False) for line in pair]
    return b"".join(mixed) + text_lines[0].rstrip(b"\n")


def _text_hit_lines(shard: Path, registry: Path) -> list[TextHitLine]:
    items = read_blocks(shard, FieldMap(), open_index(registry), lambda _e: None)
    return [item for item in items if isinstance(item, TextHitLine)]


def test_text_hit_lines_filter_the_same_both_ways(texts: Texts, tmp_path: Path) -> None:
    registry = _registry(texts, tmp_path / "snap")
    shard = tmp_path / "mixed.jsonl"
    shard.write_bytes(_mixed(texts))
    lines = _text_hit_lines(shard, registry)
    assert len(lines) > 20
    assert {line.work_ids for line in lines} >= {(1, 2, 3, 4), (1, 2, 3), (1, 2), (5,), (6,), ()}
    result = _same_both_ways(shard, registry, tmp_path, on_error="skip")
    report = (tmp_path / "blocks" / "exclusions.jsonl").read_text("utf-8").splitlines()
    nested = next(json.loads(x) for x in report if json.loads(x)["id"] == "nested")
    assert [(r["work_id"], r["code"]) for r in nested["reasons"]] == [
        (1, "objection"), (1, "opt_out"), (2, "opt_out"), (4, "opt_out")
    ]  # fmt: skip
    assert result.excluded >= 6


@settings(max_examples=15, deadline=None)
@given(picks=st.lists(st.integers(0, 60), min_size=1, max_size=40), size=st.integers(1, 4096))
def test_text_hit_lines_across_block_boundaries(
    texts: Texts, tmp_path_factory: pytest.TempPathFactory, picks: list[int], size: int
) -> None:
    tmp = tmp_path_factory.mktemp("mix")
    lines = line_pool(texts) + _text_lines(texts)
    shard = tmp / "mix.jsonl"
    shard.write_bytes(b"".join(lines[p % len(lines)] for p in picks))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonl_blocks, "BLOCK_BYTES", size)
        _same_both_ways(shard, _registry(texts, tmp / "snap"), tmp, on_error="skip")


def test_lines_matching_url_rules_too_take_the_document_path(texts: Texts, tmp_path: Path) -> None:
    """Once the registry reads URLs, a matching line with a URL is decided in full: its
    exclusions line lists the text works and the URL rule."""
    rules = (UrlRule("prefix", PRIVATE, Reason("opt_out", "opt_out:9")),)
    registry = _registry(texts, tmp_path / "snap", rules)
    nested = texts["en/pride-and-prejudice"][21_400:23_200]
    records = [
        {"id": "both", "text": nested, "url": PRIVATE + "/2020/p"},
        {"id": "text-only", "text": nested, "url": "https://a.example/p"},
        {"id": "no-url", "text": nested},
        {"id": 'q"\\ é\t', "text": nested, "url": PRIVATE + '/é\n"x', "metadata": {"a": 1}},
    ]
    shard = tmp_path / "urls.jsonl"
    lines = [_dumps(r) + b"\n" for r in records]
    lines.append(json.dumps(records[-1]).encode() + b"\n")  # its strings' escapes as \u
    shard.write_bytes(b"".join(lines))
    assert [line.id for line in _text_hit_lines(shard, registry)] == ["no-url"]
    _same_both_ways(shard, registry, tmp_path)
    report = (tmp_path / "blocks" / "exclusions.jsonl").read_text("utf-8").splitlines()
    both = json.loads(report[0])
    assert [r["match"] for r in both["reasons"]][-2:] == ["text", "url_prefix"]


_texts = st.text(max_size=12)
_reasons = st.lists(st.builds(Reason, _texts, _texts), max_size=3)


@settings(max_examples=200)
@given(
    file=_texts,
    record_id=_texts,
    snapshot_id=_texts,
    reasons=st.lists(_reasons, min_size=1, max_size=5),
    picks=st.lists(st.integers(1, 7), max_size=6),
    line=st.integers(1, 10**9),
)
def test_text_exclusion_lines_are_the_encoders_bytes(
    file: str,
    record_id: str,
    snapshot_id: str,
    reasons: list[list[Reason]],
    picks: list[int],
    line: int,
) -> None:
    """Any strings (quotes, backslashes, control characters), works excluded or not or
    not in the snapshot: the line is what ``json.dumps`` gives for the full entry."""
    works = tuple(SnapshotWork(i + 1, "t", None, (), tuple(r)) for i, r in enumerate(reasons))
    index = SnapshotIndex(Snapshot("registry", "generative_ai_training", AT, works))
    work_ids = tuple(sorted(set(picks)))
    item = TextHitLine(line, record_id, None, work_ids, 0, memoryview(b""), [], 0)
    hits = [TextMatch(w, 0, 60, 0, 60, 2, 2.0) for w in work_ids]
    excluded = [m for m in index.match_text(hits) if m.excluded]
    got = TextExclusions(index, file, snapshot_id).line(item)
    if not excluded:
        assert got is None
        return
    doc = Document(record_id, "", None, {}, {}, "x", line)
    entry = excluded_entry(file, doc, excluded, snapshot_id)
    assert got == json.dumps(entry, ensure_ascii=False, sort_keys=True)
