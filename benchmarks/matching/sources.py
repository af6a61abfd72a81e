"""The dev texts the corpus is cut from, read in place from ``shared/data/texts/dev``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TEXTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "texts" / "dev"


@dataclass(frozen=True, slots=True)
class Source:
    """One dev text: ``name`` is its path under the texts folder (``en/dracula.txt``)."""

    name: str
    lang: str
    script: str
    text: str


def load_sources(texts_dir: Path = DEFAULT_TEXTS) -> dict[str, Source]:
    """Every text listed in the folder's ``manifest.json``, by name."""
    manifest = json.loads((texts_dir / "manifest.json").read_text(encoding="utf-8"))
    sources = {}
    for entry in manifest["files"]:
        name = entry["file"]
        text = (texts_dir / name).read_text(encoding="utf-8")
        script = entry.get("script", "latin")
        sources[name] = Source(name, entry["language"], script, text)
    return sources
