"""The block path of the filter gives what the per-record path gives, byte for byte.

Every class of line a corpus can hold (plain, matching, malformed in each field, the
lines the compiled scan leaves to the parser, odd line endings) is filtered both ways,
alone, mixed at random and across block boundaries; the kept shard, the exclusions
report, the counts and the errors must be the same.
"""

from __future__ import annotations

import base64
import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pipeline.conftest import Texts
from trainclear.errors import RecordError
from trainclear.fingerprint.textindex import sample_text
from trainclear.pipeline.fields import FieldMap
from trainclear.pipeline.filter import ShardFilter
from trainclear.pipeline.loading import open_index
from trainclear.pipeline.manifest import ShardResult
from trainclear.pipeline.readers import jsonl_blocks
from trainclear.pipeline.readers.jsonl_blocks import reads_in_blocks
from trainclear.pipeline.scan import scan_report, scan_shard
from trainclear.pipeline.writers import JsonlReportWriter
from trainclear.signals.records import SignalConfig
from trainclear.snapshot.delta import write_delta
from trainclear.snapshot.files import load_snapshot, write_snapshot
from trainclear.snapshot.index import SnapshotIndex
from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork, UrlRule

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
IMAGE = base64.b64encode(b"\x89PNG\r\n\x1a\n not a whole image").decode()


def _work(work_id: int, title: str, text: str, *ids: tuple[str, str], excluded: bool = True):
    sample = sample_text(text)
    reasons = (Reason("opt_out", f"opt_out:{work_id}"),) if excluded else ()
    work = SnapshotWork(work_id, title, None, ids, reasons, len(text), sample.folded_length)
    return work, (work_id, sample.keys, sample.fpos)


@pytest.fixture(scope="module")
def registry(texts: Texts, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A snapshot with excluded and free text works, an identifier work, a URL work,
    and prefix and domain rules, written to disk."""
    parts = [
        _work(1, "Pride and Prejudice", texts["en/pride-and-prejudice"][:60_000]),
        _work(2, "诗经", texts["zh/shijing"][:20_000], ("isbn", "9780141439518")),
        _work(3, "Dracula", texts["en/dracula"][:30_000], excluded=False),
        _work(4, "Wuthering", texts["en/wuthering-heights"][:9_000], ("url", "https://ex.org/wh")),
    ]
    rules = (
        UrlRule("prefix", "https://blog.example.net/private", Reason("opt_out", "opt_out:7")),
        UrlRule("domain", "optout.cn", Reason("opt_out", "opt_out:8")),
    )
    snapshot = Snapshot(
        "registry", "generative_ai_training", "2026-03-02T09:00:00+00:00",
        tuple(w for w, _ in parts), rules,
    )  # fmt: skip
    return write_snapshot(snapshot, tmp_path_factory.mktemp("snap"), [s for _, s in parts])


def _dumps(record: object, **kwargs: object) -> bytes:
    return json.dumps(record, ensure_ascii=False, **kwargs).encode()  # type: ignore[arg-type]


def line_pool(texts: Texts) -> list[bytes]:
    """One line (with its line break) of every class."""
    pp, zh, dracula = texts["en/pride-and-prejudice"], texts["zh/shijing"], texts["en/dracula"]
    other_en, other_zh = texts["en/the-picture-of-dorian-gray"], texts["zh/lunyu"]
    plain = [
        {"id": "en-plain", "text": other_en[1000:4000], "url": "https://a.example/x"},
        {"id": "zh-plain", "text": other_zh[:2000], "metadata": {"source": "web", "n": 3}},
        {"id": "short", "text": "hello", "url": None, "metadata": None, "image": None},
        {"id": "nested", "text": other_en[:500], "metadata": {"id": 5, "text": 7, "url": 1}},
        {"id": "escapes", "text": "tab\tnew\nline \u00e9 \U0001f600 " + other_en[:300]},
        {"text": other_zh[3000:3500], "id": "text-first"},
    ]
    matching = [
        {
            "id": "pp-excerpt",
            "text": other_en[:800] + pp[20_000:22_000],
            "url": "https://b.example/",
        },
        {"id": "zh-excerpt", "text": zh[5000:7000], "metadata": {"isbn": "bad"}},
        {"id": "free-work", "text": dracula[5000:8000]},
        {"id": "prefix", "text": "x", "url": "https://blog.example.net/private/2020/p"},
        {"id": "domain", "text": "x", "url": "https://news.optout.cn/a?b=1"},
        {"id": "work-url", "text": "x", "url": "http://EX.org/wh"},
        {"id": "isbn", "text": "x", "metadata": {"isbn": "978-0-14-143951-8"}},
        {"id": "image", "text": "x", "image": IMAGE},
    ]
    lines = [_dumps(r) + b"\n" for r in plain + matching]
    lines += [
        _dumps(plain[0], indent=None, separators=(" ,", " : ")) + b"\n",
        _dumps({"id": "crlf", "text": other_en[:300]}) + b"\r\n",
        b"\n",
        b"   \t \n",
        b"\xef\xbb\xbf" + _dumps({"id": "bom", "text": "x"}) + b"\n",
        b'{"id": "broken", "text": \n',
        b"[1, 2]\n",
        b"null\n",
        b'{"text": "no id"}\n',
        b'{"id": 7, "text": "numeric id"}\n',
        b'{"id": null, "text": "null id"}\n',
        b'{"id": "u", "text": "bad url", "url": 5}\n',
        b'{"id": "m", "text": "bad metadata", "metadata": [1]}\n',
        b'{"id": "i", "text": "bad image", "image": "not base64!"}\n',
        b'{"id": "i2", "text": "image number", "image": 3}\n',
        b'{"id": "t", "text": 3}\n',
        b'{"id": "t2"}\n',
        b'{"id": "dup", "text": "a", "id": "dup-last"}\n',
        b'{"\\u0069d": "escaped key", "text": "x"}\n',
        b'{"id": "exp", "text": "x", "metadata": {"v": 1e5}}\n',
        b'{"id": 123456789012345678901234567890, "text": "big id"}\n',
        b'{"id": "NaN", "text": "x", "metadata": {"v": NaN}}\n',
        b'{"id": "lone", "text": "\\ud800"}\n',
        b'{"id": "bad-utf8", "text": "\xff"}\n',
        b'{"id": "trailing", "text": "x"} x\n',
        b'{"id": "cr-inside", "text": "x"}\r\r\n',
    ]
    return lines


def _filter(shard: Path, index: SnapshotIndex, out: Path, *, blocks: bool, **kw) -> ShardResult:
    out.mkdir()
    step = ShardFilter(index, FieldMap(), blocks=blocks, **kw)
    with JsonlReportWriter(out / "exclusions.jsonl") as report:
        return step.run(shard, out / shard.name, report)


def _same_both_ways(shard: Path, registry: Path, tmp: Path, **kw: Any) -> ShardResult:
    """Filter and scan ``shard`` both ways; the outputs must be the same."""
    index = open_index(registry)
    assert reads_in_blocks(shard, FieldMap(), index, kw.get("signals"))
    fast = _filter(shard, index, tmp / "blocks", blocks=True, **kw)
    slow = _filter(shard, open_index(registry), tmp / "records", blocks=False, **kw)
    assert fast == replace(slow, output_sha256=fast.output_sha256)
    for name in (shard.name, "exclusions.jsonl"):
        assert (tmp / "blocks" / name).read_bytes() == (tmp / "records" / name).read_bytes()
    scans = [
        scan_report(index.snapshot_id, [scan_shard(shard, index, blocks=b, **kw)], NOW)
        for b in (True, False)
    ]
    assert scans[0] == scans[1]
    assert scans[0].totals.records == fast.kept + fast.excluded
    return fast


def test_every_line_class_filters_the_same_both_ways(
    texts: Texts, registry: Path, tmp_path: Path
) -> None:
    lines = line_pool(texts)
    shard = tmp_path / "all.jsonl"
    shard.write_bytes(b"".join(lines) + lines[0].rstrip(b"\n"))  # the last line unended
    result = _same_both_ways(shard, registry, tmp_path, on_error="skip")
    report = [
        json.loads(x) for x in (tmp_path / "blocks/exclusions.jsonl").read_text().splitlines()
    ]
    dropped = {r["id"]: r["match"] for r in report if r["reason"] != "malformed"}
    assert dropped == {
        "pp-excerpt": "text", "zh-excerpt": "text", "prefix": "url_prefix",
        "domain": "domain", "work-url": "url", "isbn": "identifier",
    }  # fmt: skip
    assert (result.kept, result.skipped) == (18, 15)


def test_each_line_alone_fails_or_passes_the_same_both_ways(
    texts: Texts, registry: Path, tmp_path: Path
) -> None:
    """With ``on_error="fail"`` a malformed line raises the same error both ways."""
    lines = line_pool(texts)
    for i, line in enumerate(lines):
        shard = tmp_path / f"{i}.jsonl"
        shard.write_bytes(lines[0] + line + lines[1])
        errors = []
        for blocks in (True, False):
            try:
                _filter(shard, open_index(registry), tmp_path / f"{i}-{blocks}", blocks=blocks)
            except RecordError as error:
                errors.append((error.file, error.line, error.field, error.problem))
            else:
                errors.append(None)
        assert errors[0] == errors[1], line


@settings(max_examples=25)
@given(picks=st.lists(st.integers(0, 40), min_size=1, max_size=60), size=st.integers(1, 4096))
def test_random_mixes_across_block_boundaries(
    texts: Texts, registry: Path, tmp_path_factory: pytest.TempPathFactory, picks, size
) -> None:
    lines = line_pool(texts)
    tmp = tmp_path_factory.mktemp("mix")
    shard = tmp / "mix.jsonl"
    shard.write_bytes(b"".join(lines[p % len(lines)] for p in picks))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonl_blocks, "BLOCK_BYTES", size)
        _same_both_ways(shard, registry, tmp, on_error="skip")


def test_signals_read_the_located_members(texts: Texts, registry: Path, tmp_path: Path) -> None:
    """With reservation signals on, every record's headers and HTML are judged."""
    text = texts["en/the-picture-of-dorian-gray"][:1000]
    records = [
        {"id": "h", "text": text, "headers": {"X-Robots-Tag": "noai"}},
        {"id": "html", "text": text, "html": '<meta name="robots" content="noai, noimageai">'},
        {"id": "plain", "text": text, "url": "https://a.example/"},
        {"id": "tdm", "text": text, "headers": [["tdm-reservation", "1"]]},
    ]
    shard = tmp_path / "signals.jsonl"
    shard.write_bytes(b"".join(_dumps(r) + b"\n" for r in records))
    result = _same_both_ways(shard, registry, tmp_path, signals=SignalConfig(), on_error="skip")
    assert result.excluded >= 2


def test_a_delta_text_index_is_matched_too(texts: Texts, registry: Path, tmp_path: Path) -> None:
    """A work added by a delta (a second text index) excludes its copies on both paths."""
    novel = texts["en/a-study-in-scarlet"][:20_000]
    copy = tmp_path / "snap" / registry.name
    shutil.copytree(registry, copy)
    stored = load_snapshot(str(copy), copy.parent)
    added, sample = _work(10, "Scarlet", novel)
    current = replace(stored, works=(*stored.works, added))
    write_delta(copy, copy.name, current, stored, {10: sample[1:]})
    shard = tmp_path / "delta.jsonl"
    records = [{"id": "copy", "text": novel[3000:5000]}, {"id": "other", "text": "plain"}]
    shard.write_bytes(b"".join(_dumps(r) + b"\n" for r in records))
    result = _same_both_ways(shard, copy, tmp_path)
    assert (result.kept, result.excluded) == (1, 1)


def test_dotted_fields_and_whole_text_hashes_take_the_record_path(
    registry: Path, tmp_path: Path
) -> None:
    shard = tmp_path / "a.jsonl"
    index = open_index(registry)
    assert reads_in_blocks(shard, FieldMap(), index, None)
    assert not reads_in_blocks(shard, FieldMap(url="meta.url"), index, None)
    assert not reads_in_blocks(tmp_path / "a.jsonl.zst", FieldMap(), index, None)
    assert not reads_in_blocks(shard, FieldMap(), index, SignalConfig(html_field="page.html"))
    no_text = SnapshotIndex(Snapshot("registry", "training", "2026-01-01T00:00:00+00:00", ()))
    assert not reads_in_blocks(shard, FieldMap(), no_text, None)
