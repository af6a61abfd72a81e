"""The matchers under test, behind one interface: ``build(works)``, ``match(text)``.

Peers (MinHash + LSH, the usual near-duplicate tooling):

* ``datasketch``: ``MinHashLSH(threshold=0.2, num_perm=128)`` (datasketch picks 28 bands
  of 2 rows), one ``MinHash`` per work and per page, default SHA-1 hashing, filled with
  ``update_batch``.
* ``rensa``: ``RMinHash(num_perm=128, seed=42)`` per work and page,
  ``RMinHashLSH(threshold=0.2, num_perm=128, num_bands=64)`` (rensa needs the bands to
  divide 128; 64 bands of 2 rows is the nearest to datasketch's choice).
* ``rensa-windowed``: the same sketch and LSH over overlapping windows of works and of
  pages (English 150 word 3-grams, step 75; Chinese 800 character 5-grams, step 400;
  the last window ends at the text's end): a page window
  that shares enough shingles with a work window finds that work, so excerpts of
  about a window's length are found inside longer pages.

For every peer an LSH candidate counts only if its estimated Jaccard similarity with the
query is at least the threshold (0.2), as a deduplicator checks candidates.
Shingles: text NFKC-normalised and case-folded; English word 3-grams (words are
``\\w+`` runs), Chinese character 5-grams over letters and digits (punctuation and
whitespace removed). A text is Chinese when CJK ideographs are at least 30% of its
characters. Peers do not convert between traditional and simplified Chinese.

``ours``: :class:`trainclear.fingerprint.textindex.TextIndex` at a given setting.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

THRESHOLD = 0.2
NUM_PERM = 128
SEED = 42
WINDOW = {"en": (150, 75), "zh": (800, 400)}

_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


class Matcher(Protocol):
    name: str

    def build(self, works: Iterable[tuple[int, str]]) -> None: ...

    def match(self, text: str) -> set[int]: ...

    def index_bytes(self) -> int: ...


def is_chinese(text: str) -> bool:
    return len(_CJK.findall(text)) >= 0.3 * max(1, len(text))


def tokens(text: str) -> tuple[list[str], str]:
    """Words (English) or letters and digits (Chinese) of the folded text, and the language."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if is_chinese(text):
        return list(_NON_WORD.sub("", folded)), "zh"
    return _WORD.findall(folded), "en"


def shingles(units: Sequence[str], lang: str) -> list[str]:
    """Word 3-grams (English) or character 5-grams (Chinese); the units themselves if fewer."""
    if lang == "zh":
        text = "".join(units)
        return [text[i : i + 5] for i in range(len(text) - 4)] or [text]
    return list(map(" ".join, zip(units, units[1:], units[2:], strict=False))) or [" ".join(units)]


class Datasketch:
    """datasketch ``MinHashLSH`` over whole works and whole pages."""

    name = "datasketch"

    def __init__(self) -> None:
        from datasketch import MinHashLSH  # type: ignore[import-untyped]

        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self.sketches: dict[int, Any] = {}

    def _sketch(self, text: str) -> Any:
        from datasketch import MinHash

        sketch = MinHash(num_perm=NUM_PERM)
        sketch.update_batch([s.encode() for s in set(shingles(*tokens(text)))])
        return sketch

    def build(self, works: Iterable[tuple[int, str]]) -> None:
        for work_id, text in works:
            sketch = self._sketch(text)
            self.lsh.insert(work_id, sketch)
            self.sketches[work_id] = sketch

    def match(self, text: str) -> set[int]:
        sketch = self._sketch(text)
        found = self.lsh.query(sketch)
        return {k for k in found if sketch.jaccard(self.sketches[k]) >= THRESHOLD}

    def index_bytes(self) -> int:
        return len(pickle.dumps((self.lsh, self.sketches)))


class Rensa:
    """rensa ``RMinHashLSH`` over whole works and whole pages."""

    name = "rensa"

    def __init__(self) -> None:
        import rensa  # type: ignore[import-untyped]

        self._rensa = rensa
        self.lsh = rensa.RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=64)
        self.sketches: list[Any] = []
        self.owners: list[int] = []

    def _sketch(self, shingled: list[str]) -> Any:
        sketch = self._rensa.RMinHash(num_perm=NUM_PERM, seed=SEED)
        sketch.update(shingled)
        return sketch

    def _pieces(self, text: str) -> list[list[str]]:
        return [shingles(*tokens(text))]

    def build(self, works: Iterable[tuple[int, str]]) -> None:
        for work_id, text in works:
            for piece in self._pieces(text):
                self.lsh.insert(len(self.sketches), sketch := self._sketch(piece))
                self.sketches.append(sketch)
                self.owners.append(work_id)

    def match(self, text: str) -> set[int]:
        found = set()
        for piece in self._pieces(text):
            sketch = self._sketch(piece)
            for key in self.lsh.query(sketch):
                if sketch.jaccard(self.sketches[key]) >= THRESHOLD:
                    found.add(self.owners[key])
        return found

    def index_bytes(self) -> int:
        return len(pickle.dumps((self.lsh, self.sketches, self.owners)))


class RensaWindowed(Rensa):
    """rensa over overlapping windows of works and pages (see :data:`WINDOW`)."""

    name = "rensa-windowed"

    def _pieces(self, text: str) -> list[list[str]]:
        units, lang = tokens(text)
        grams = shingles(units, lang)
        size, step = WINDOW[lang]
        starts = list(range(0, max(1, len(grams) - size + 1), step))
        if starts[-1] + size < len(grams):
            starts.append(len(grams) - size)
        return [grams[s : s + size] for s in starts]


class Ours:
    """trainclear's text index; ``setting`` is ``DEFAULT`` or ``STRICT``."""

    def __init__(self, setting: str = "DEFAULT", suffix: str = "") -> None:
        from trainclear.fingerprint import textindex

        self._textindex = textindex
        self.params = getattr(textindex, setting)
        self.name = f"ours-{setting.lower()}{suffix}"
        self.index: Any = None

    def warm_up(self) -> None:
        """Load the compiled kernels and the fold table before anything is timed."""
        text = "warm up the compiled kernels 預熱 " * 50
        index = self._textindex.TextIndex.build([(0, text)], params=self.params)
        index.match(text)
        index.match_many([text, text])

    def build(self, works: Iterable[tuple[int, str]]) -> None:
        self.index = self._textindex.TextIndex.build(works, params=self.params)

    def matches(self, text: str) -> list[Any]:
        return list(self.index.match(text))

    def matches_many(self, texts: list[str]) -> list[list[Any]]:
        """The matches of many texts in one compiled call (see ``TextIndex.match_many``)."""
        return list(self.index.match_many(texts))

    def match(self, text: str) -> set[int]:
        return {m.work_id for m in self.index.match(text)}

    def index_bytes(self) -> int:
        """The bytes of the index's numpy arrays (see :func:`array_bytes`)."""
        return array_bytes(self.index)


def array_bytes(obj: Any) -> int:
    """The index's own ``nbytes`` if it reports one, else the numpy arrays it holds.

    The fallback walks attributes, lists, tuples and dicts, counting each array once.
    """
    import numpy as np

    if isinstance(getattr(obj, "nbytes", None), int):
        return int(obj.nbytes)
    seen: dict[int, int] = {}
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, np.ndarray):
            seen[id(item)] = item.nbytes
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif item is obj:
            slots = getattr(item, "__slots__", ())
            stack.extend(getattr(item, "__dict__", {}).values())
            stack.extend(getattr(item, name) for name in slots if hasattr(item, name))
    return sum(seen.values())


def all_matchers() -> list[Matcher]:
    return [Ours("DEFAULT"), Ours("STRICT"), Datasketch(), Rensa(), RensaWindowed()]
