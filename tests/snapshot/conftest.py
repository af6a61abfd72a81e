"""Fixtures for snapshot tests: the dev texts, read in place from the shared folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def dev_texts(shared_dir: Path) -> dict[str, str]:
    """Every dev text keyed ``lang/stem`` (e.g. ``zh/lunyu``)."""
    root = shared_dir / "data" / "texts" / "dev"
    texts = {f"{p.parent.name}/{p.stem}": p.read_text("utf-8") for p in root.glob("*/*.txt")}
    assert texts, f"dev texts missing under {root}"
    return texts
