"""Locating the public-domain texts the demo registers as works and mixes into a corpus."""

from __future__ import annotations

import os
from pathlib import Path

from trainclear.errors import ValidationFailed

TEXT_FILES = {
    "lunyu": "zh/lunyu.txt",
    "shijing": "zh/shijing.txt",
    "songci": "zh/songci-sanbaishou.txt",
    "youmengying": "zh/youmengying.txt",
    "pride": "en/pride-and-prejudice.txt",
    "dracula": "en/dracula.txt",
    "jekyll": "en/strange-case-of-dr-jekyll-and-mr-hyde.txt",
    "wuthering": "en/wuthering-heights.txt",
    "dorian": "en/the-picture-of-dorian-gray.txt",
    "scarlet": "en/a-study-in-scarlet.txt",
}


def find_texts(explicit: Path | None = None) -> Path:
    """The texts folder: ``explicit``, ``TRAINCLEAR_DEMO_TEXTS``, or ``../shared`` beside
    the checkout (or the current directory)."""
    candidates = [explicit] if explicit else []
    if env := os.environ.get("TRAINCLEAR_DEMO_TEXTS"):
        candidates.append(Path(env))
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidates.append(base.parent / "shared" / "data" / "texts" / "dev")
    for folder in candidates:
        if folder is not None and all((folder / f).is_file() for f in TEXT_FILES.values()):
            return folder
    raise ValidationFailed(
        "invalid",
        field="--texts",
        problem="the demo texts (shared/data/texts/dev) were not found; pass --texts DIR",
    )


def load_texts(folder: Path) -> dict[str, str]:
    """Every demo text by its short name."""
    return {name: (folder / rel).read_text(encoding="utf-8") for name, rel in TEXT_FILES.items()}
