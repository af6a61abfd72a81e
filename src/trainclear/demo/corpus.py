"""The developer's small demo corpus: copies of some registered works, a reformatted copy,
records from an opted-out domain, and unrelated chunks, in a JSONL and a JSONL.zst shard."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import zstandard

Record = dict[str, Any]
CHUNK = 2_000


def build_corpus(folder: Path, texts: dict[str, str]) -> list[Path]:
    """Write the two shards and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    first = folder / "crawl-000.jsonl"
    second = folder / "crawl-001.jsonl.zst"
    _write_jsonl(first, _shard_one(texts))
    _write_zst(second, _shard_two(texts))
    return [first, second]


def _shard_one(texts: dict[str, str]) -> Iterator[Record]:
    yield _rec("lunyu", texts["lunyu"], "https://classics.example.cn/lunyu")
    yield _rec("pride-shouted", _reformat(texts["pride"]), "https://mirror.example.net/pp.html")
    yield _rec("dracula", texts["dracula"], "https://books.example.com/dracula")
    yield _rec("jekyll", texts["jekyll"], "https://books.example.com/jekyll")
    yield _rec("songci", texts["songci"], "https://poetry.example.cn/songci")
    yield from _chunks("dorian", texts["dorian"], "https://samreed.example/blog", limit=3)
    yield from _chunks("scarlet", texts["scarlet"], "https://stories.example.org/scarlet")


def _shard_two(texts: dict[str, str]) -> Iterator[Record]:
    yield _rec("shijing", texts["shijing"], "https://classics.example.cn/shijing")
    yield _rec(
        "wuthering-page", "Chapter I (web page)", "https://www.example.com/wuthering-heights/"
    )
    yield from _chunks("youmengying", texts["youmengying"], "https://essays.example.cn/ymy")


def _rec(rid: str, text: str, url: str, **meta: Any) -> Record:
    return {"id": rid, "text": text, "url": url, "metadata": meta}


def _chunks(prefix: str, text: str, base_url: str, limit: int | None = None) -> Iterator[Record]:
    pieces = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)]
    for n, piece in enumerate(pieces[:limit]):
        yield _rec(f"{prefix}-{n:03d}", piece, f"{base_url}/{n}")


def _reformat(text: str) -> str:
    """Upper-case, full-width punctuation and re-wrapped lines: the same work, normalised."""
    words = text.upper().replace(",", "，").split()
    return "\n".join(" ".join(words[i : i + 9]) for i in range(0, len(words), 9))


def _lines(records: Iterator[Record]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


def _write_jsonl(path: Path, records: Iterator[Record]) -> None:
    path.write_bytes(_lines(records))


def _write_zst(path: Path, records: Iterator[Record]) -> None:
    path.write_bytes(zstandard.ZstdCompressor(level=3).compress(_lines(records)))
