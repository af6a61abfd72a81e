"""``trainclear dataset`` and ``trainclear model``: provenance of what a model was trained on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trainclear.cli.context import state
from trainclear.cli.output import emit
from trainclear.schemas.datasets import DatasetVersionCreate, ModelCreate
from trainclear.services import datasets

app = typer.Typer(no_args_is_help=True)
models = typer.Typer(no_args_is_help=True)
COLUMNS = ("id", "name", "version", "parent_id", "records", "added", "removed", "created_at")


@app.command("register")
def register(
    ctx: typer.Context,
    name: str,
    folder: Annotated[Path, typer.Argument(help="A filter run's output folder.")],
    parent: Annotated[int | None, typer.Option(help="The version this one follows.")] = None,
    scan_report: Annotated[Path | None, typer.Option(help="A scan report of it.")] = None,
) -> None:
    """Register a filtered dataset version: Merkle root, membership sketch, changes."""
    st = state(ctx)
    data = DatasetVersionCreate(
        name=name,
        folder=str(folder.resolve()),
        parent_id=parent,
        scan_report=str(scan_report.resolve()) if scan_report else None,
    )
    emit(ctx, datasets.register_version(st.open(), actor=st.actor(), data=data))


@app.command("list")
def list_(ctx: typer.Context, name: Annotated[str | None, typer.Option()] = None) -> None:
    """List dataset versions."""
    emit(ctx, datasets.list_versions(state(ctx).open(), name=name), columns=COLUMNS)


@app.command("show")
def show(ctx: typer.Context, version_id: int) -> None:
    emit(ctx, datasets.get_version(state(ctx).open(), version_id=version_id))


@app.command("query")
def query(ctx: typer.Context, version_id: int, text_file: Path) -> None:
    """Test whether a text is in a version, by its membership sketch."""
    text = text_file.read_text(encoding="utf-8")
    emit(ctx, datasets.query_sketch(state(ctx).open(), version_id=version_id, text=text))


@app.command("affected")
def affected(
    ctx: typer.Context,
    work_id: int,
    text_file: Annotated[Path | None, typer.Option(help="The work's text, for sketches.")] = None,
) -> None:
    """Which dataset versions and models contain a work, with the evidence."""
    text = text_file.read_text(encoding="utf-8") if text_file else None
    emit(ctx, datasets.affected(state(ctx).open(), work_id=work_id, text=text))


@models.command("register")
def register_model(
    ctx: typer.Context,
    name: str,
    dataset: Annotated[list[int], typer.Option("--dataset", help="A version trained on.")],
) -> None:
    """Register a model against the dataset versions it was trained on."""
    st = state(ctx)
    data = ModelCreate(name=name, dataset_version_ids=dataset)
    emit(ctx, datasets.register_model(st.open(), actor=st.actor(), data=data))
