"""A seeded generator of the labelled corpus: registered works, unrelated pages, positives.

Split (per language, fixed, see :data:`REGISTERED`): three dev texts are registered, the
other three only ever supply unrelated text. Registered *units* are each whole text plus
its chunks at every level of ``CorpusConfig.levels`` (by default 5–20k and 1–5k
characters, cut at the next line break), so the registry holds a few hundred works that
overlap the way a book, its chapters and its poems do.

Pages (one JSONL record each; the matcher sees ``id``, ``text`` and ``url`` only):

* ``negative``: 1–10k characters cut at random from the unregistered texts, English,
  Chinese, or both mixed (2–4 alternating pieces).
* ``exact``: a registered unit, verbatim.
* ``reformatted``: a unit after two to five of :data:`.transforms.REFORMAT_OPS`.
* ``variant`` (Chinese only): a unit converted to the other script with OpenCC.
* ``edited``: a unit with 5% of its characters substituted, inserted or deleted.
* ``excerpt1k`` / ``excerpt300``: 1,000–3,000 / 300–999 characters of a unit embedded at a
  random place in a 1–10k unrelated page of the same language.

Each page has a :class:`Label` (kept apart from the page) naming the unit, the source
span it came from and, for excerpts, where it sits in the page.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson

from benchmarks.matching import transforms
from benchmarks.matching.sources import DEFAULT_TEXTS, Source, load_sources

REGISTERED = {
    "en": ("en/pride-and-prejudice.txt", "en/dracula.txt", "en/wuthering-heights.txt"),
    "zh": ("zh/shijing.txt", "zh/songci-sanbaishou.txt", "zh/tangshi-sanbaishou.txt"),
}
CLASSES = ("exact", "reformatted", "variant", "edited", "excerpt1k", "excerpt300")
COPY_CLASSES = ("exact", "reformatted", "variant", "edited")
EXCERPT_LENGTHS = {"excerpt1k": (1000, 3000), "excerpt300": (300, 999)}
LANGS = ("en", "zh")


@dataclass(frozen=True, slots=True)
class CorpusConfig:
    """What to generate. ``positives`` is per class and language."""

    seed: int = 20250603
    negatives: int = 10_000
    positives: int = 200
    levels: tuple[tuple[int, int], ...] = ((5_000, 20_000), (1_000, 5_000))
    page_chars: tuple[int, int] = (1_000, 10_000)
    edit_rate: float = 0.05
    mixed_share: float = 0.2


QUICK = CorpusConfig(negatives=1_000, positives=40)


@dataclass(frozen=True, slots=True)
class Work:
    """A registered unit: ``text`` is ``source.text[start:end]``."""

    work_id: int
    lang: str
    source: str
    start: int
    end: int
    text: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Page:
    """One record as the matcher sees it."""

    id: str
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Label:
    """What a page really is. Spans are end-exclusive character offsets.

    ``source_start:source_end`` is the registered text it reproduces (in the source file),
    ``record_start:record_end`` where that sits in the page, ``work_start:work_end`` the
    same stretch in the unit ``work_id``. Negatives leave them empty (work id 0).
    """

    page_id: str
    cls: str
    lang: str
    work_id: int = 0
    source: str = ""
    source_start: int = 0
    source_end: int = 0
    record_start: int = 0
    record_end: int = 0
    work_start: int = 0
    work_end: int = 0
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Corpus:
    config: CorpusConfig
    works: list[Work]
    pages: list[Page]
    labels: list[Label]
    """Aligned with ``pages``."""


def generate(config: CorpusConfig = CorpusConfig(), texts_dir: Path = DEFAULT_TEXTS) -> Corpus:
    """The corpus for ``config``: the same seed always gives the same works, pages and labels."""
    sources = load_sources(texts_dir)
    works = register(sources, config)
    builder = _PageBuilder(sources, works, config)
    drafts = [*builder.positives(), *builder.negatives()]
    random.Random(f"{config.seed}:order").shuffle(drafts)
    pages, labels = [], []
    for i, (text, label) in enumerate(drafts):
        page_id = f"p{i:06d}"
        digest = hashlib.blake2b(f"{config.seed}:{i}".encode(), digest_size=8).hexdigest()
        pages.append(Page(page_id, text, f"https://pages.example/{digest}"))
        labels.append(dataclasses.replace(label, page_id=page_id))
    return Corpus(config, works, pages, labels)


def extra_negatives(
    config: CorpusConfig, count: int, texts_dir: Path = DEFAULT_TEXTS
) -> Iterator[str]:
    """``count`` more unrelated pages like the corpus's, from their own seeded stream.

    They are not written out: they only widen the false-positive measurement.
    """
    sources = load_sources(texts_dir)
    builder = _PageBuilder(sources, register(sources, config), config)
    return (text for text, _ in builder.negatives(count, stream="extra-negative"))


def register(sources: dict[str, Source], config: CorpusConfig) -> list[Work]:
    """Whole registered texts and their chunks at each level, numbered from 1."""
    rng = random.Random(f"{config.seed}:works")
    spans: list[tuple[Source, int, int]] = []
    for lang in LANGS:
        for name in REGISTERED[lang]:
            source = sources[name]
            spans.append((source, 0, len(source.text)))
            for lo, hi in config.levels:
                spans.extend((source, a, b) for a, b in _chunks(source.text, lo, hi, rng))
    return [
        Work(i, s.lang, s.name, a, b, s.text[a:b]) for i, (s, a, b) in enumerate(spans, start=1)
    ]


def _chunks(text: str, lo: int, hi: int, rng: random.Random) -> Iterator[tuple[int, int]]:
    pos = 0
    while pos < len(text):
        end = pos + rng.randint(lo, hi)
        newline = text.find("\n", end, end + 500)
        end = newline + 1 if newline != -1 else end
        if len(text) - end < lo:
            end = len(text)
        yield pos, end
        pos = end


def unregistered(sources: dict[str, Source], lang: str) -> list[Source]:
    registered = {name for names in REGISTERED.values() for name in names}
    return [s for s in sources.values() if s.lang == lang and s.name not in registered]


class _PageBuilder:
    """Drafts ``(text, label fields)``; one seeded stream per kind of page."""

    def __init__(self, sources: dict[str, Source], works: list[Work], config: CorpusConfig):
        self.sources = sources
        self.config = config
        self.works = {lang: [w for w in works if w.lang == lang] for lang in LANGS}
        self.fillers = {lang: unregistered(sources, lang) for lang in LANGS}

    def positives(self) -> Iterator[tuple[str, Label]]:
        for lang in LANGS:
            for cls in CLASSES:
                if cls == "variant" and lang != "zh":
                    continue
                rng = random.Random(f"{self.config.seed}:{cls}:{lang}")
                for _ in range(self.config.positives):
                    yield self._positive(cls, lang, rng)

    def negatives(
        self, count: int | None = None, stream: str = "negative"
    ) -> Iterator[tuple[str, Label]]:
        rng = random.Random(f"{self.config.seed}:{stream}")
        for _ in range(self.config.negatives if count is None else count):
            length = rng.randint(*self.config.page_chars)
            if rng.random() < self.config.mixed_share:
                yield self._mixed(length, rng), Label("", "negative", "mixed")
            else:
                lang = rng.choice(LANGS)
                yield self._filler(lang, length, rng), Label("", "negative", lang)

    def _positive(self, cls: str, lang: str, rng: random.Random) -> tuple[str, Label]:
        if cls in EXCERPT_LENGTHS:
            return self._excerpt(cls, lang, rng)
        work = rng.choice(self.works[lang])
        text, detail = self._derive(cls, work, rng)
        label = _label(cls, work, 0, len(work.text), 0, len(text), detail)
        return text, label

    def _derive(self, cls: str, work: Work, rng: random.Random) -> tuple[str, str]:
        if cls == "reformatted":
            text, ops = transforms.reformat(work.text, work.lang, rng)
            return text, "+".join(ops)
        if cls == "variant":
            script = self.sources[work.source].script
            return transforms.script_variant(work.text, script), f"from {script}"
        if cls == "edited":
            text, count = transforms.edit(work.text, self.config.edit_rate, rng)
            return text, f"{count} edits"
        return work.text, ""

    def _excerpt(self, cls: str, lang: str, rng: random.Random) -> tuple[str, Label]:
        length = rng.randint(*EXCERPT_LENGTHS[cls])
        work = rng.choice([w for w in self.works[lang] if len(w.text) >= length])
        start = rng.randint(0, len(work.text) - length)
        host = self._filler(lang, rng.randint(*self.config.page_chars), rng)
        at = rng.randint(0, len(host))
        before, after = rng.choice(("", " ", "\n", "\n\n")), rng.choice(("", " ", "\n", "\n\n"))
        head = host[:at] + before
        text = head + work.text[start : start + length] + after + host[at:]
        label = _label(cls, work, start, start + length, len(head), len(head) + length, "")
        return text, label

    def _filler(self, lang: str, length: int, rng: random.Random) -> str:
        text = rng.choice(self.fillers[lang]).text
        start = rng.randint(0, len(text) - length)
        return text[start : start + length]

    def _mixed(self, length: int, rng: random.Random) -> str:
        pieces = rng.randint(2, 4)
        cuts = sorted(rng.sample(range(1, length), pieces - 1))
        sizes = [b - a for a, b in zip([0, *cuts], [*cuts, length], strict=True)]
        first = rng.randrange(2)
        return "\n".join(
            self._filler(LANGS[(first + i) % 2], size, rng) for i, size in enumerate(sizes)
        )


def _label(
    cls: str, work: Work, start: int, end: int, rstart: int, rend: int, detail: str
) -> Label:
    """A positive's label, its page id still to be given."""
    return Label(
        "", cls, work.lang, work.work_id, work.source, work.start + start, work.start + end,
        rstart, rend, start, end, detail,
    )  # fmt: skip


def write(corpus: Corpus, out: Path, shard_size: int = 1_000) -> list[Path]:
    """Write JSONL page shards, ``labels.jsonl``, ``works.jsonl`` and ``composition.json``."""
    out.mkdir(parents=True, exist_ok=True)
    shards = []
    for n, first in enumerate(range(0, len(corpus.pages), shard_size)):
        path = out / f"pages-{n:05d}.jsonl"
        batch = corpus.pages[first : first + shard_size]
        with path.open("wb") as f:
            f.writelines(orjson.dumps(asdict(p)) + b"\n" for p in batch)
        shards.append(path)
    with (out / "labels.jsonl").open("wb") as f:
        f.writelines(orjson.dumps(asdict(label)) + b"\n" for label in corpus.labels)
    with (out / "works.jsonl").open("wb") as f:
        rows = ({k: v for k, v in asdict(w).items() if k != "text"} for w in corpus.works)
        f.writelines(orjson.dumps(row) + b"\n" for row in rows)
    summary = orjson.dumps(composition(corpus), option=orjson.OPT_INDENT_2)
    (out / "composition.json").write_bytes(summary)
    return shards


def composition(corpus: Corpus) -> dict[str, object]:
    """Counts per class and language, distinct pages, sizes: what the corpus is made of."""
    pages: Counter[tuple[str, str]] = Counter()
    distinct: dict[tuple[str, str], set[str]] = {}
    chars: Counter[tuple[str, str]] = Counter()
    for page, label in zip(corpus.pages, corpus.labels, strict=True):
        key = (label.cls, label.lang)
        pages[key] += 1
        chars[key] += len(page.text)
        distinct.setdefault(key, set()).add(hashlib.blake2b(page.text.encode()).hexdigest())
    works = Counter(w.lang for w in corpus.works)
    rows = [
        {
            "cls": c,
            "lang": lang,
            "pages": n,
            "distinct": len(distinct[c, lang]),
            "chars": chars[c, lang],
        }
        for (c, lang), n in sorted(pages.items())
    ]
    return {
        "config": asdict(corpus.config),
        "registered_texts": REGISTERED,
        "works": {lang: works[lang] for lang in LANGS},
        "registered_chars": {
            lang: sum(len(w.text) for w in corpus.works if w.lang == lang) for lang in LANGS
        },
        "pages": rows,
        "bytes": sum(len(p.text.encode()) for p in corpus.pages),
    }


def whole_texts(works: Sequence[Work]) -> list[Work]:
    """The units that are whole registered texts (no chunk of them): a registry without nesting."""
    longest: dict[str, Work] = {}
    for work in works:
        best = longest.get(work.source)
        if best is None or len(work.text) > len(best.text):
            longest[work.source] = work
    return sorted(longest.values(), key=lambda w: w.work_id)


def work_lookup(works: Sequence[Work]) -> dict[int, Work]:
    return {w.work_id: w for w in works}
