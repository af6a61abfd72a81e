"""Hugging Face ``datasets``: ``Dataset.filter`` with trainclear's keep-functions."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from tests.integrations.conftest import Verdicts, filter_verdicts, kept
from tests.pipeline.conftest import Corpus
from trainclear.integrations.hf import keep_batch_fn, keep_fn


@pytest.fixture
def dataset(monkeypatch: pytest.MonkeyPatch, corpus: Corpus) -> Any:
    """The corpus as an in-memory ``datasets.Dataset``; the hub is never contacted."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    datasets = pytest.importorskip("datasets")
    return datasets.Dataset.from_list(corpus.records)


def test_filter_keeps_exactly_what_the_trainclear_filter_keeps(
    dataset: Any, verdicts: Verdicts, snapshot_file: Path
) -> None:
    fn = keep_fn(snapshot_file, url_column="url", metadata_column="metadata")
    assert dataset.filter(fn)["id"] == kept(verdicts)


def test_the_batched_variant_agrees(dataset: Any, verdicts: Verdicts, snapshot_file: Path) -> None:
    fn = keep_batch_fn(snapshot_file, url_column="url", metadata_column="metadata")
    assert dataset.filter(fn, batched=True, batch_size=5)["id"] == kept(verdicts)


def test_without_url_and_metadata_columns_only_the_text_is_matched(
    dataset: Any, corpus: Corpus, snapshot_file: Path, tmp_path: Path
) -> None:
    text_only = [{"id": r["id"], "text": r["text"]} for r in corpus.records]
    expected = kept(filter_verdicts(text_only, snapshot_file, tmp_path))
    assert dataset.filter(keep_fn(snapshot_file))["id"] == expected
    assert {"prefix", "domain"} <= set(expected)  # URL rules cannot apply without URLs


def test_a_keep_function_pickles_as_the_snapshot_path(snapshot_file: Path, corpus: Corpus) -> None:
    fn = keep_fn(snapshot_file, url_column="url")
    assert fn({"text": corpus.records[0]["text"], "url": None}) is False
    data = pickle.dumps(fn)
    assert len(data) < 1_000
    assert pickle.loads(data)({"text": "anything else", "url": "https://a.example/"}) is True
