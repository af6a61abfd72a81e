"""How a positive page is derived from a registered unit: reformatting, edits, script variants.

Every function takes a seeded :class:`random.Random` and is deterministic given it.
Reformatting never changes the letters and digits of a text, only their case, width and
what lies between them; so ``plain(reformat(t)) == plain(t)`` for :func:`plain` below.
"""

from __future__ import annotations

import functools
import random
import re
import textwrap
import unicodedata
from collections.abc import Callable

REFORMAT_OPS = ("punctuation", "case", "width", "wrap", "whitespace")

_NON_WORD = re.compile(r"[\W_]+")
_BLANKS = re.compile(r"[ \t]+")
_EN_DROPPABLE = re.compile(r"[,;:](?=\s)")
_ZH_DROPPABLE = re.compile(r"[，、；：]")
_TO_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)} | {0x20: 0x3000}
_ZH_TO_ASCII = str.maketrans("，。！？：；（）、“”‘’", ",.!?:;(),\"\"''")
_ZH_QUOTES = str.maketrans("“”‘’。，", "「」『』．、")
_EN_PUNCT = (("--", "—"), ("...", "…"), (";", ","), ("!", "."))


def plain(text: str) -> str:
    """Letters and digits only, NFKC and case folded: what reformatting must preserve."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def reformat(text: str, lang: str, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """Apply two to five of :data:`REFORMAT_OPS`, chosen at random, in a fixed order."""
    chosen = set(rng.sample(REFORMAT_OPS, rng.randint(2, len(REFORMAT_OPS))))
    ops = tuple(op for op in REFORMAT_OPS if op in chosen)
    for op in ops:
        text = _OPS[op](text, lang, rng)
    return text, ops


def _segments(text: str, rng: random.Random, lo: int = 40, hi: int = 400) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        step = rng.randint(lo, hi)
        out.append(text[pos : pos + step])
        pos += step
    return out


def _per_segment(text: str, rng: random.Random, change: Callable[[str], str], p: float) -> str:
    return "".join(change(s) if rng.random() < p else s for s in _segments(text, rng))


def _punctuation(text: str, lang: str, rng: random.Random) -> str:
    """Swap punctuation styles and drop some pauses (never gluing two words together)."""
    if lang == "zh":
        text = _per_segment(text, rng, lambda s: s.translate(_ZH_QUOTES), 0.5)
        return _per_segment(text, rng, lambda s: _ZH_DROPPABLE.sub("", s), 0.3)
    text = _curly_quotes(text, rng)
    for old, new in _EN_PUNCT:
        text = _per_segment(text, rng, functools.partial(_replace, old=old, new=new), 0.5)
    return _per_segment(text, rng, lambda s: _EN_DROPPABLE.sub("", s), 0.3)


def _replace(text: str, old: str, new: str) -> str:
    return text.replace(old, new)


def _curly_quotes(text: str, rng: random.Random) -> str:
    def curl(segment: str) -> str:
        parts = segment.split('"')
        quotes = ("“", "”")
        joined = parts[0] + "".join(quotes[i % 2] + part for i, part in enumerate(parts[1:]))
        return joined.replace("'", "’")

    return _per_segment(text, rng, curl, 0.5)


def _case(text: str, lang: str, rng: random.Random) -> str:
    changes = (str.upper, str.lower, str.title, str.swapcase)
    return _per_segment(text, rng, lambda s: rng.choice(changes)(s), 0.5)


def _width(text: str, lang: str, rng: random.Random) -> str:
    """ASCII to full-width forms (English), CJK punctuation to ASCII (Chinese)."""
    if lang == "zh":
        return _per_segment(text, rng, lambda s: s.translate(_ZH_TO_ASCII), 0.6)
    return _per_segment(text, rng, lambda s: s.translate(_TO_FULL_WIDTH), 0.3)


def _wrap(text: str, lang: str, rng: random.Random) -> str:
    """Unwrap each paragraph and wrap it again at a random width (0: one line each)."""
    paragraphs = text.split("\n\n")
    if lang == "zh":
        width = rng.choice((0, rng.randint(10, 40)))
        lines = ("".join(p.split("\n")) for p in paragraphs)
        if width:
            lines = ("\n".join(p[i : i + width] for i in range(0, len(p), width)) for p in lines)
        return "\n\n".join(lines)
    width = rng.choice((0, rng.randint(40, 100)))
    if not width:
        return "\n\n".join(" ".join(p.split()) for p in paragraphs)
    wrap = textwrap.TextWrapper(width, break_long_words=False, break_on_hyphens=False)
    return "\n\n".join(wrap.fill(p) for p in paragraphs)


def _whitespace(text: str, lang: str, rng: random.Random) -> str:
    """Vary runs of blanks, CRLF line ends, and letter-spaced runs of Chinese."""
    blanks = (" ", "  ", "\t", " \u3000", "   ")
    text = _BLANKS.sub(lambda _: rng.choice(blanks), text)
    if lang == "zh":
        text = _per_segment(text, rng, " ".join, 0.2)
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    return text


_OPS: dict[str, Callable[[str, str, random.Random], str]] = {
    "punctuation": _punctuation,
    "case": _case,
    "width": _width,
    "wrap": _wrap,
    "whitespace": _whitespace,
}


def edit(text: str, rate: float, rng: random.Random) -> tuple[str, int]:
    """Substitute, insert or delete (one of the three at random) at ``rate`` of the characters.

    New characters are drawn from the text itself (not whitespace), so an English text
    gets English letters and a Chinese text Chinese characters. Returns the text and
    the number of edits.
    """
    count = round(rate * len(text))
    pieces, prev = [], 0
    for pos in sorted(rng.sample(range(len(text)), count)):
        op = rng.randrange(3)
        pieces.append(text[prev:pos])
        if op == 0:
            pieces.append(_draw_char(text, rng, avoid=text[pos]))
            prev = pos + 1
        elif op == 1:
            pieces.append(_draw_char(text, rng))
            prev = pos
        else:
            prev = pos + 1
    pieces.append(text[prev:])
    return "".join(pieces), count


def _draw_char(text: str, rng: random.Random, avoid: str = "") -> str:
    for _ in range(100):
        char = text[rng.randrange(len(text))]
        if not char.isspace() and char != avoid:
            return char
    return "x"


@functools.cache
def _converter(config: str):  # type: ignore[no-untyped-def]
    import opencc  # a benchmark-only dependency

    return opencc.OpenCC(config)


def script_variant(text: str, script: str) -> str:
    """The other Chinese script: simplified → traditional, traditional → simplified."""
    return str(_converter("t2s" if script == "traditional" else "s2t").convert(text))
