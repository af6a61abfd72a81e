"""Ray Data: trainclear's ``map_batches`` callable on every batch format, then on Ray."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from tests.integrations.conftest import Verdicts, filter_verdicts, kept
from tests.pipeline.conftest import RAY_WARNINGS, Corpus
from trainclear.integrations.ray_data import TrainclearFilter
from trainclear.pipeline import open_index


def _rows(corpus: Corpus) -> list[dict[str, Any]]:
    return [{"id": r["id"], "text": r["text"], "url": r["url"]} for r in corpus.records]


@pytest.fixture
def row_verdicts(tmp_path: Path, corpus: Corpus, snapshot_file: Path) -> Verdicts:
    """The filter's verdicts on the rows as given to Ray (no metadata column)."""
    return filter_verdicts(_rows(corpus), snapshot_file, tmp_path)


def _reasons(verdicts: Verdicts) -> dict[str, str]:
    return {rid: reason for rid, reason in verdicts.items() if reason is not None}


def test_a_pyarrow_batch_loses_its_excluded_rows(
    corpus: Corpus, row_verdicts: Verdicts, snapshot_file: Path
) -> None:
    table = pa.Table.from_pylist(_rows(corpus))
    left = TrainclearFilter(snapshot_file)(table)
    assert left.schema == table.schema
    assert left.column("id").to_pylist() == kept(row_verdicts)


def test_a_reason_column_with_drop_false_marks_every_row(
    corpus: Corpus, row_verdicts: Verdicts, snapshot_file: Path
) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_rows(corpus))
    step = TrainclearFilter(snapshot_file, reason_column="reason", drop=False)
    marked = step(frame)
    assert len(marked) == len(frame)
    reasons = {rid: r for rid, r in zip(marked["id"], marked["reason"], strict=True) if pd.notna(r)}
    assert reasons == _reasons(row_verdicts)


def test_numpy_batches_with_metadata_drop_what_the_filter_drops(
    corpus: Corpus, verdicts: Verdicts, snapshot_file: Path
) -> None:
    np = pytest.importorskip("numpy")
    columns = ("id", "text", "url", "metadata")
    batch = {c: np.array([r[c] for r in corpus.records], dtype=object) for c in columns}
    index = open_index(snapshot_file)
    left = TrainclearFilter(index, metadata_column="metadata", reason_column="why")(batch)
    assert left["id"].tolist() == kept(verdicts)
    assert set(left["why"].tolist()) == {None}


@pytest.mark.usefixtures("ray_session")
@pytest.mark.filterwarnings(*RAY_WARNINGS)
def test_map_batches_on_ray_keeps_what_the_filter_keeps(
    corpus: Corpus, row_verdicts: Verdicts, snapshot_file: Path
) -> None:
    ray = pytest.importorskip("ray")
    dataset = ray.data.from_items(_rows(corpus))
    kwargs = {"snapshot": str(snapshot_file), "reason_column": "reason", "drop": False}
    marked = dataset.map_batches(
        TrainclearFilter,
        fn_constructor_kwargs=kwargs,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=1),
    ).take_all()
    reasons = {row["id"]: row["reason"] for row in marked if row["reason"] is not None}
    assert reasons == _reasons(row_verdicts)
    assert len(marked) == len(corpus.records)
