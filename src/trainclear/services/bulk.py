"""Inserting and reading many plain rows without the ORM (a run may have millions).

Rows go in with ``COPY … FROM STDIN`` on PostgreSQL and the driver's ``executemany`` on
SQLite, in the caller's transaction, as :mod:`trainclear.services.log_append` does for
the log. Reading back gives ``int64`` columns for the engine's tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, Select, Table

from trainclear.royalties.vector import I64

AnySelect = Select[*tuple[Any, ...]]
"""A select of any columns."""


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in ``columns`` order) into ``table``."""
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        driver = conn.connection.driver_connection
        assert driver is not None
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    items = [tuple(row) for row in rows]
    if items:
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", items)


def table_rows(run_id: int, columns: Sequence[I64]) -> Iterable[tuple[int, ...]]:
    """Rows ``(run_id, *values)`` of the engine's columns, as Python ints."""
    lists = [column.tolist() for column in columns]
    return ((run_id, *values) for values in zip(*lists, strict=True))


def int_columns(conn: Connection, stmt: AnySelect, width: int) -> list[I64]:
    """The result of ``stmt`` (``width`` integer columns) as ``int64`` arrays."""
    rows = conn.execute(stmt).all()
    array = np.array(rows, dtype=np.int64).reshape(len(rows), width)
    return [np.ascontiguousarray(array[:, i]) for i in range(width)]
