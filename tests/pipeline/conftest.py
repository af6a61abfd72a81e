"""Fixtures for the corpus engine: real texts, a corpus built from them, and its snapshot.

The corpus holds one record for every way a record can match the registry (whole-text
fingerprint, reformatted copy, metadata identifier, work URL, URL prefix, domain), a
registered work that is not excluded, look-alikes that must be kept, and plain
excerpts. ``Corpus.excluded`` names the records a filter must drop, nothing more.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from trainclear.fingerprint.text import text_fingerprint
from trainclear.snapshot.files import write_snapshot
from trainclear.snapshot.index import SnapshotIndex
from trainclear.snapshot.model import Reason, Snapshot, SnapshotWork, UrlRule

Texts = dict[str, str]
WriteShard = Callable[[Path, list[dict[str, Any]]], Path]


@pytest.fixture(scope="session")
def texts(shared_dir: Path) -> Texts:
    """Every dev text, keyed ``en/dracula`` style, read in place from the shared folder."""
    root = shared_dir / "data" / "texts" / "dev"
    found = {
        f"{p.parent.name}/{p.stem}": p.read_text(encoding="utf-8") for p in root.glob("*/*.txt")
    }
    assert len(found) >= 12, f"dev texts missing under {root}"
    return found


def reformat_en(text: str) -> str:
    """Upper case, full-width ASCII letters and re-wrapped whitespace: same fingerprint."""
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text.upper())
    return wide.replace("\n", "\r\n   ").replace(" ", "\t ")


def reformat_zh(text: str) -> str:
    """Half-width punctuation, an ideographic space after each full stop, doubled breaks."""
    narrow = unicodedata.normalize("NFKC", text)
    return narrow.replace("。", "。\u3000").replace("\n", "\n\n")


@dataclass(frozen=True)
class Corpus:
    records: list[dict[str, Any]]
    snapshot: Snapshot
    excluded: dict[str, str]
    """Record id → expected match kind of the first excluded match."""

    @property
    def kept(self) -> list[str]:
        return [r["id"] for r in self.records if r["id"] not in self.excluded]

    @property
    def index(self) -> SnapshotIndex:
        return SnapshotIndex(self.snapshot)


def _record(rid: str, text: str, url: str | None = None, **metadata: Any) -> dict[str, Any]:
    return {"id": rid, "text": text, "url": url, "metadata": metadata}


def _records(t: Texts) -> list[dict[str, Any]]:
    pp, jekyll = t["en/pride-and-prejudice"], t["en/strange-case-of-dr-jekyll-and-mr-hyde"]
    return [
        _record("fp-whole", pp, "https://gutenberg.example/pp"),
        _record("keep-plain-1", t["zh/shijing"][:3000], "https://poems.example.com/shijing"),
        _record("fp-mirror", pp, "https://mirror.example.com/pp.txt"),
        _record("fp-reformatted-en", reformat_en(t["en/dracula"])),
        _record("fp-reformatted-zh", reformat_zh(t["zh/lunyu"]), "https://classics.example.cn/ly"),
        _record("ident-isbn", jekyll[:5000], isbn="978-0-14-143951-8", source="web"),
        _record("ident-doi", t["en/a-study-in-scarlet"][:4000], doi=["x", "doi:10.5555/ABC.123"]),
        _record("work-url", t["en/wuthering-heights"][:6000], "HTTP://Example.org/works/wh/"),
        _record("prefix", t["zh/chuci"][:2000], "https://blog.example.net/private/2020/post"),
        _record("domain", t["zh/youmengying"][:2500], "https://news.optout.cn/a?b=1"),
        _record("registered-free", t["zh/tangshi-sanbaishou"], "https://poems.example.com/ts"),
        _record("keep-prefix-lookalike", t["zh/chuci"][2000:4000], "https://blog.example.net/pri"),
        _record("keep-domain-lookalike", t["zh/songci-sanbaishou"][:900], "https://notoptout.cn/"),
        _record("keep-bad-isbn", jekyll[5000:9000], isbn="978-0-00-000000-0"),
        _record("keep-excerpt", pp[:20000], "https://gutenberg.example/pp-part"),
        _record("keep-plain-2", t["en/the-picture-of-dorian-gray"][:7000]),
    ]


def _snapshot(t: Texts) -> Snapshot:
    jekyll = t["en/strange-case-of-dr-jekyll-and-mr-hyde"]
    works = (
        _work(1, "Pride and Prejudice", t["en/pride-and-prejudice"], reasons=("opt_out", "1")),
        _work(2, "Dracula", t["en/dracula"], reasons=("objection", "2")),
        _work(3, "论语", t["zh/lunyu"], reasons=("disputed", "3")),
        _work(4, "Jekyll", jekyll[:5000], ("isbn", "9780141439518"), reasons=("opt_out", "4")),
        _work(5, "Scarlet", None, ("doi", "10.5555/abc.123"), reasons=("cmo_opted_out", "5")),
        _work(
            6, "Wuthering", None, ("url", "https://example.org/works/wh"), reasons=("opt_out", "6")
        ),
        _work(9, "唐诗三百首", t["zh/tangshi-sanbaishou"]),
    )
    rules = (
        UrlRule("prefix", "https://blog.example.net/private", Reason("opt_out", "opt_out:7")),
        UrlRule("domain", "optout.cn", Reason("opt_out", "opt_out:8")),
    )
    return Snapshot("registry", "training", "2026-03-02T09:00:00+00:00", works, rules)


def _work(
    work_id: int,
    title: str,
    text: str | None,
    *identifiers: tuple[str, str],
    reasons: tuple[str, str] | None = None,
) -> SnapshotWork:
    reason = (Reason(reasons[0], f"{reasons[0]}:{reasons[1]}"),) if reasons else ()
    fingerprint = text_fingerprint(text) if text is not None else None
    return SnapshotWork(work_id, title, fingerprint, identifiers, reason)


@pytest.fixture(scope="session")
def corpus(texts: Texts) -> Corpus:
    excluded = {
        "fp-whole": "fingerprint",
        "fp-mirror": "fingerprint",
        "fp-reformatted-en": "fingerprint",
        "fp-reformatted-zh": "fingerprint",
        "ident-isbn": "fingerprint",
        "ident-doi": "identifier",
        "work-url": "url",
        "prefix": "url_prefix",
        "domain": "domain",
    }
    return Corpus(_records(texts), _snapshot(texts), excluded)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    """JSONL with deliberately non-canonical spacing, to show kept lines stay unchanged."""
    lines = [
        json.dumps(r, ensure_ascii=True, indent=None, separators=(", ", " : ")) for r in records
    ]
    data = ("\n".join(lines) + "\n").encode()
    if path.name.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


def write_parquet(path: Path, records: list[dict[str, Any]]) -> Path:
    """Parquet with small row groups and schema metadata, to check both survive a filter."""
    table = pa.Table.from_pylist(records).replace_schema_metadata({"origin": "trainclear-tests"})
    pq.write_table(table, path, row_group_size=5)
    return path


def write_shard(path: Path, records: list[dict[str, Any]]) -> Path:
    """Write ``records`` in the format ``path``'s suffix names."""
    if path.suffix == ".parquet":
        return write_parquet(path, records)
    return write_jsonl(path, records)


@pytest.fixture
def shard() -> WriteShard:
    return write_shard


def read_jsonl_bytes(path: Path) -> bytes:
    """A JSONL shard's decompressed bytes."""
    data = path.read_bytes()
    if path.name.endswith(".zst"):
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
            return reader.read()
    return data


SHARD_NAMES = ("a.jsonl", "b.jsonl.zst", "c.parquet", "d.jsonl")
MALFORMED = b'{"id": "ok", "text": "fine"}\n{"id": \n[1, 2]\n{"id": "late", "text": "also fine"}\n'


@pytest.fixture(scope="session")
def snapshot_file(tmp_path_factory: pytest.TempPathFactory, corpus: Corpus) -> Path:
    """The corpus snapshot written to disk: executors hand workers its path."""
    return write_snapshot(corpus.snapshot, tmp_path_factory.mktemp("snapshots"))


@pytest.fixture
def shards(tmp_path: Path, corpus: Corpus) -> list[Path]:
    """The corpus dealt into a shard of each format, then a shard with malformed lines."""
    folder = tmp_path / "in"
    folder.mkdir()
    paths = [write_shard(folder / name, corpus.records[i::4]) for i, name in enumerate(SHARD_NAMES)]
    (folder / "e.jsonl").write_bytes(MALFORMED)
    return [*paths, folder / "e.jsonl"]


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


RAY_WARNINGS = (
    "ignore:`use_push_based_shuffle` is deprecated:DeprecationWarning",
    "ignore:`use_polars` is deprecated:DeprecationWarning",
    "ignore:`use_arrow_tensor_v2` is deprecated:DeprecationWarning",
)
"""Warnings Ray Data itself emits when its context is created (not ours to fix)."""


@pytest.fixture(scope="session")
def ray_session() -> Iterator[None]:
    """A local two-CPU Ray for the whole session: starting one takes seconds."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    yield
    ray.shutdown()
