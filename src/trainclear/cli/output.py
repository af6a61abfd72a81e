"""Printing results: readable tables by default, JSON with ``--json``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from trainclear.cli.context import state

console = Console()


def emit(
    ctx: typer.Context, result: BaseModel | Sequence[BaseModel], *, columns: Sequence[str] = ()
) -> None:
    """Print one model as a field table, or many as rows with ``columns``."""
    if state(ctx).as_json:
        typer.echo(_json(result))
        return
    if isinstance(result, BaseModel):
        console.print(_record_table(result.model_dump(mode="json")))
    else:
        console.print(_rows_table([r.model_dump(mode="json") for r in result], columns))


def emit_dict(ctx: typer.Context, data: dict[str, Any]) -> None:
    """Print a plain mapping (summaries, reports)."""
    if state(ctx).as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        console.print(_record_table(data))


def _json(result: BaseModel | Sequence[BaseModel]) -> str:
    if isinstance(result, BaseModel):
        return result.model_dump_json(indent=2)
    return json.dumps([r.model_dump(mode="json") for r in result], ensure_ascii=False, indent=2)


def _record_table(data: dict[str, Any]) -> Table:
    table = Table(show_header=False, box=None)
    for key, value in data.items():
        table.add_row(f"[bold]{key}[/bold]", _cell(value))
    return table


def _rows_table(rows: list[dict[str, Any]], columns: Sequence[str]) -> Table:
    table = Table()
    names = list(columns) or (list(rows[0]) if rows else [])
    for name in names:
        table.add_column(name)
    for row in rows:
        table.add_row(*(_cell(row.get(name)) for name in names))
    return table


def _cell(value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)
