"""Dated legal parameters, kept as YAML data with their citations (OpenFisca style).

A parameter has values keyed by the date they take effect; :meth:`DatedParameter.at`
returns the value in force on a date. Changing the law is a data change with a new
dated entry, never an edit of Python constants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Reference:
    title: str
    href: str


@dataclass(frozen=True, slots=True)
class DatedParameter:
    """One legal parameter: values by effective date, plus where they come from."""

    name: str
    description: dict[str, str]
    unit: str
    values: tuple[tuple[dt.date, int], ...]
    references: tuple[Reference, ...]

    def at(self, when: dt.date | dt.datetime) -> int:
        """The value in force on ``when`` (a datetime is read as its UTC date)."""
        day = when.date() if isinstance(when, dt.datetime) else when
        in_force = [value for start, value in self.values if start <= day]
        if not in_force:
            raise LookupError(f"parameter {self.name} has no value in force on {day}")
        return in_force[-1]

    @property
    def citation(self) -> str:
        """The first reference's title, for error messages and reports."""
        return self.references[0].title if self.references else self.name


@cache
def parameter(name: str) -> DatedParameter:
    """Load the parameter ``name`` from ``law/parameters/<name>.yaml``."""
    text = resources.files("trainclear.law").joinpath(f"parameters/{name}.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    values = tuple(sorted((_as_date(k), int(v)) for k, v in data["values"].items()))
    references = tuple(Reference(r["title"], r["href"]) for r in data.get("reference", []))
    return DatedParameter(name, dict(data["description"]), data["unit"], values, references)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
