"""The distribution's inputs as columns of ``int64``: canonical order, validated, read-only.

A run over a million works cannot afford a Python object per row, so every input table
is a handful of numpy columns. Each table sorts itself by its key on construction, which
is what makes a run independent of input order: the same rows given in any order become
the same arrays, the same hash and the same result. Small inputs (tests, the worked
example, a CMO with a few hundred works) are built from rows with ``of``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self

import numpy as np

from trainclear.errors import ValidationFailed
from trainclear.royalties.vector import I64, as_i64

UNIDENTIFIED = -1
"""The holder id of an owner nobody has identified; its share goes to the reserve."""


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Table:
    """Equal-length ``int64`` columns sorted by the leading ``KEY`` columns, which are unique."""

    KEY: ClassVar[int] = 1
    NAME: ClassVar[str] = "table"

    def __post_init__(self) -> None:
        names = [f.name for f in fields(self)]
        columns = [as_i64(getattr(self, name)) for name in names]
        if len({c.size for c in columns}) > 1:
            raise ValueError(f"{self.NAME}: columns of different lengths")
        if not _strictly_ascending(columns[: self.KEY]):
            order = np.lexsort(tuple(reversed(columns[: self.KEY])))
            columns = [column[order] for column in columns]
            self._check_unique(columns[: self.KEY])
        for name, column in zip(names, columns, strict=True):
            column.flags.writeable = False
            object.__setattr__(self, name, column)

    def _check_unique(self, keys: list[I64]) -> None:
        """Refuse a repeated key (``keys`` sorted), naming it."""
        if not keys[0].size:
            return
        same = np.ones(keys[0].size - 1, bool)
        for key in keys:
            same &= key[1:] == key[:-1]
        if bool(same.any()):
            row = int(np.argmax(same)) + 1
            raise ValidationFailed(
                "royalties.duplicate_row",
                table=self.NAME,
                row="/".join(str(int(k[row])) for k in keys),
            )

    @classmethod
    def of_columns(cls, columns: Sequence[I64]) -> Self:
        """The table from its columns in declaration order (see :meth:`columns`)."""
        names = [f.name for f in fields(cls)]
        if len(columns) != len(names):
            raise ValueError(f"{cls.NAME}: expected columns {names}")
        return cls(**dict(zip(names, columns, strict=True)))

    def __len__(self) -> int:
        return int(getattr(self, fields(self)[0].name).size)

    def non_negative(self, *names: str) -> Self:
        """Refuse a negative value in any of the columns ``names``, naming the row."""
        for name in names:
            column: I64 = getattr(self, name)
            if column.size and int(column.min()) < 0:
                row = int(np.argmin(column))
                raise ValidationFailed(
                    "royalties.negative", field=f"{self.NAME}[{row}].{name}", value=int(column[row])
                )
        return self

    def digest(self, sha: Any) -> None:
        """Feed the table's name, size and columns (little-endian) into a running hash."""
        sha.update(f"{self.NAME}:{len(self)}:".encode())
        for f in fields(self):
            sha.update(np.ascontiguousarray(getattr(self, f.name), dtype="<i8").tobytes())

    def columns(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(f.name for f in fields(self))

    def rows(self) -> Iterable[tuple[int, ...]]:
        """The rows as tuples of Python ints (for small tables, statements and JSON)."""
        columns = [getattr(self, f.name).tolist() for f in fields(self)]
        return zip(*columns, strict=True)


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Collections(Table):
    """Collected amounts per invoice and work (paid invoice lines of the CMO's works)."""

    work_id: I64
    invoice_id: I64
    amount: I64
    KEY: ClassVar[int] = 2
    NAME: ClassVar[str] = "collections"

    @classmethod
    def of(cls, rows: Iterable[tuple[int, int, int]]) -> Collections:
        """From ``(work_id, invoice_id, amount)`` rows."""
        return cls.of_columns(_columns(rows, 3)).non_negative("amount")


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Uses(Table):
    """Measured use per work: the weight of the use pool (any integer measure; ratios matter)."""

    work_id: I64
    weight: I64
    NAME: ClassVar[str] = "uses"

    @classmethod
    def of(cls, rows: Iterable[tuple[int, int]]) -> Uses:
        return cls.of_columns(_columns(rows, 2)).non_negative("weight")


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Scores(Table):
    """Output-attribution scores per work as integers (see :func:`~.owners.scores_of`)."""

    work_id: I64
    score: I64
    NAME: ClassVar[str] = "scores"


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Owners(Table):
    """Co-owners per work: a holder (or ``UNIDENTIFIED``) and a share ``num/den``.

    ``den == 0`` on every row of a work means no shares are registered: equal split.
    At most one ``UNIDENTIFIED`` row per work (merge unknown co-owners into it).
    """

    work_id: I64
    holder_id: I64
    share_num: I64
    share_den: I64
    KEY: ClassVar[int] = 2
    NAME: ClassVar[str] = "owners"


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Balances(Table):
    """Per-holder balances carried forward from earlier runs (payouts below the threshold)."""

    holder_id: I64
    amount: I64
    NAME: ClassVar[str] = "balances"

    @classmethod
    def of(cls, rows: Iterable[tuple[int, int]]) -> Balances:
        return cls.of_columns(_columns(rows, 2)).non_negative("amount", "holder_id")


def _strictly_ascending(keys: list[I64]) -> bool:
    """Whether rows are already in key order with no key repeated (one pass, no sort)."""
    if keys[0].size < 2:
        return True
    after = np.zeros(keys[0].size - 1, bool)
    tied = np.ones(keys[0].size - 1, bool)
    for key in keys:
        after |= tied & (key[1:] > key[:-1])
        tied &= key[1:] == key[:-1]
    return bool(after.all())


def _columns(rows: Iterable[tuple[int, ...]], width: int) -> list[I64]:
    """Columns from rows of Python ints, refusing anything else (floats above all)."""
    items = [tuple(row) for row in rows]
    for row in items:
        for value in row:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationFailed("royalties.not_minor_units", field="row", value=repr(value))
            if not -(2**63) <= value < 2**63:
                raise ValidationFailed("royalties.too_large", field="row", value=value)
    array = np.array(items, dtype=np.int64).reshape(len(items), width)
    return [np.ascontiguousarray(array[:, i]) for i in range(width)]


def table_hash(*tables: Table, header: bytes) -> str:
    """SHA-256 over a canonical header and the tables, in the order given."""
    sha = hashlib.sha256(header)
    for table in tables:
        table.digest(sha)
    return sha.hexdigest()
