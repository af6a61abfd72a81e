"""The character fold table: what every code point becomes before n-grams are taken.

Matching must not care about case, width (full-width ↔ half-width), accents, line
wrapping, whitespace, punctuation or the traditional/simplified form of a Chinese
character. All of that is one per-code-point mapping, computed once into a table so the
compiled kernel applies it with two array reads per character:

* compatibility decomposition (NFKD), case folding, NFKD again;
* traditional → simplified Chinese, character by character (OpenCC's ``TSCharacters``);
* keep only letters and digits (Unicode categories L* and N*): whitespace, punctuation,
  symbols, combining marks and controls are dropped.

A code point may expand to several (``ﬁ`` → ``fi``, ``①`` → ``1``), so the table is
``offsets``/``lengths`` into one ``chars`` buffer. It is cached on disk per Unicode
version and table version, since computing it takes about a second.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

FOLD_VERSION = 1
MAX_CP = 0x110000


EXPANDS = np.uint32(0xFFFFFFFF)


@dataclass(frozen=True, slots=True)
class FoldTable:
    """``chars[offsets[cp] : offsets[cp] + lengths[cp]]`` is what code point ``cp`` folds to.

    ``single[cp]`` is the fast path: the one character ``cp`` folds to, 0 when it is
    dropped, or :data:`EXPANDS` when it folds to several.
    """

    offsets: np.ndarray
    lengths: np.ndarray
    chars: np.ndarray
    single: np.ndarray

    @property
    def version(self) -> str:
        return f"fold-v{FOLD_VERSION}-unicode-{unicodedata.unidata_version}"


@cache
def fold_table() -> FoldTable:
    """The fold table, from the on-disk cache or computed (and cached) now."""
    path = _cache_dir() / f"fold-v{FOLD_VERSION}-{unicodedata.unidata_version}.npz"
    if path.is_file():
        with np.load(path) as data:
            return _with_single(data["offsets"], data["lengths"], data["chars"])
    table = _compute()
    _save(path, table)
    return table


def _compute() -> FoldTable:
    t2s = _traditional_to_simplified()
    offsets = np.zeros(MAX_CP, dtype=np.int32)
    lengths = np.zeros(MAX_CP, dtype=np.uint8)
    chars: list[int] = []
    for cp in range(MAX_CP):
        folded = _fold_one(cp, t2s)
        if folded:
            offsets[cp], lengths[cp] = len(chars), len(folded)
            chars.extend(ord(c) for c in folded)
    return _with_single(offsets, lengths, np.asarray(chars, dtype=np.uint32))


def _with_single(offsets: np.ndarray, lengths: np.ndarray, chars: np.ndarray) -> FoldTable:
    single = np.zeros(MAX_CP, dtype=np.uint32)
    one = lengths == 1
    single[one] = chars[offsets[one]]
    single[lengths > 1] = EXPANDS
    return FoldTable(offsets, lengths, chars, single)


def _fold_one(cp: int, t2s: dict[str, str]) -> str:
    if 0xD800 <= cp < 0xE000:
        return ""
    char = chr(cp)
    if unicodedata.category(char) == "Cn":
        return ""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    kept = (t2s.get(c, c) for c in text if unicodedata.category(c)[0] in "LN")
    return "".join(kept)


def _traditional_to_simplified() -> dict[str, str]:
    """OpenCC's character table, first candidate; single characters only."""
    source = resources.files("opencc").joinpath("dictionary/TSCharacters.txt")
    mapping: dict[str, str] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split(" ")[0] if simp else ""
        if len(trad) == 1 and len(first) == 1:
            mapping[trad] = first
    return mapping


def _cache_dir() -> Path:
    base = os.environ.get("TRAINCLEAR_CACHE") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "trainclear" if not os.environ.get("TRAINCLEAR_CACHE") else root


def _save(path: Path, table: FoldTable) -> None:
    """Best effort: a read-only home only costs a recomputation next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
        np.savez(tmp, offsets=table.offsets, lengths=table.lengths, chars=table.chars)
        os.replace(tmp, path)
    except OSError:
        pass
