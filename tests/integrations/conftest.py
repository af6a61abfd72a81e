"""The pipeline tests' corpus, snapshot file and Ray session, and the filter's verdicts.

Integrations promise to drop a record exactly when trainclear's own filter would, so
their tests compare against the filter's exclusions, not against hand-kept lists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.pipeline import conftest as pipeline
from tests.pipeline.conftest import Corpus, write_jsonl
from trainclear.pipeline import EXCLUSIONS, open_index, run_filter

texts = pipeline.texts
corpus = pipeline.corpus
snapshot_file = pipeline.snapshot_file
ray_session = pipeline.ray_session

Verdicts = dict[str, str | None]
"""Record id → the filter's reason code for dropping it, or None when kept."""


def filter_verdicts(records: list[dict[str, Any]], snapshot: Path, folder: Path) -> Verdicts:
    """Run trainclear's filter over ``records`` and read back each record's fate."""
    source = write_jsonl(folder / "records.jsonl", records)
    run_filter([source], folder / "out", open_index(snapshot))
    lines = (folder / "out" / EXCLUSIONS).read_text("utf-8").splitlines()
    reasons = {entry["id"]: entry["reason"] for entry in map(json.loads, lines)}
    return {r["id"]: reasons.get(r["id"]) for r in records}


def kept(verdicts: Verdicts) -> list[str]:
    return [rid for rid, reason in verdicts.items() if reason is None]


@pytest.fixture(scope="session")
def verdicts(
    tmp_path_factory: pytest.TempPathFactory, corpus: Corpus, snapshot_file: Path
) -> Verdicts:
    """The filter's verdict on every corpus record (text, URL and metadata all read)."""
    found = filter_verdicts(corpus.records, snapshot_file, tmp_path_factory.mktemp("verdicts"))
    assert found["fp-whole"] == "opt_out"  # a whole opted-out text: dropped by any matcher
    assert found["keep-plain-2"] is None
    return found
