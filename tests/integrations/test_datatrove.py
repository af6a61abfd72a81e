"""datatrove: trainclear's filter step in a real datatrove pipeline."""

from __future__ import annotations

import json
import pickle
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.integrations.conftest import Verdicts, kept
from tests.pipeline.conftest import Corpus
from trainclear.pipeline import open_index

pytest.importorskip("datatrove")

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.writers import JsonlWriter

from trainclear.integrations.datatrove import TrainclearFilter


def _documents(corpus: Corpus) -> list[Document]:
    return [
        Document(text=r["text"], id=r["id"], metadata={"url": r["url"], **r["metadata"]})
        for r in corpus.records
    ]


def _dropped(verdicts: Verdicts) -> dict[str, str]:
    return {rid: reason for rid, reason in verdicts.items() if reason is not None}


def _ids(folder: Path) -> list[str]:
    lines = [line for p in sorted(folder.glob("*.jsonl")) for line in p.read_text().splitlines()]
    return [json.loads(line)["id"] for line in lines]


def test_the_step_drops_the_excluded_documents_with_their_reason(
    corpus: Corpus, verdicts: Verdicts, snapshot_file: Path
) -> None:
    step = TrainclearFilter(snapshot_file)
    docs = _documents(corpus)
    assert [doc.id for doc in step.run(iter(docs))] == kept(verdicts)
    dropped = {doc.id: doc.metadata["trainclear"] for doc in docs if "trainclear" in doc.metadata}
    assert {rid: d["reason"] for rid, d in dropped.items()} == _dropped(verdicts)
    assert dropped["fp-whole"] == {
        "reason": "opt_out",
        "ref": "opt_out:1",
        "work_id": 1,
        "match": "fingerprint",
        "snapshot_id": open_index(snapshot_file).snapshot_id,
    }
    for reason, count in Counter(_dropped(verdicts).values()).items():
        assert step.stats[f"dropped_{reason}"].total == count


def test_a_datatrove_executor_runs_it_with_an_exclusion_writer(
    tmp_path: Path, corpus: Corpus, verdicts: Verdicts, snapshot_file: Path
) -> None:
    excluded = JsonlWriter(str(tmp_path / "excluded"), compression=None)
    pipeline: list[Any] = [
        _documents(corpus),
        TrainclearFilter(snapshot_file, exclusion_writer=excluded),
        JsonlWriter(str(tmp_path / "kept"), compression=None),
    ]
    executor = LocalPipelineExecutor(pipeline, tasks=1, workers=1, logging_dir=str(tmp_path / "l"))
    executor.run()
    assert _ids(tmp_path / "kept") == kept(verdicts)
    assert _ids(tmp_path / "excluded") == list(_dropped(verdicts))


def test_the_step_pickles_without_its_index(corpus: Corpus, snapshot_file: Path) -> None:
    step = TrainclearFilter(snapshot_file, url_key="link")
    assert step.filter(Document(text="x", id="1", metadata={"link": "https://optout.cn/a"})) == (
        False,
        "opt_out",
    )
    copy = pickle.loads(pickle.dumps(step))
    assert copy.url_key == "link"
    assert copy.filter(Document(text="x", id="2", metadata={"url": "https://optout.cn/"})) is True
