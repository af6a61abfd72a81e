"""Reading remuneration input files: tariffs (JSON, YAML), usage reports (JSON, CSV), scores.

Bad input is refused with :class:`~trainclear.errors.RecordError`, naming the file, the
line and the field (``lines[2].characters``), and nothing is written. Numbers that are
money rates or scores must be integers or strings: a float in a file (``rate: 12.5``) is
refused, because it has already lost the decimal it was written as.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from trainclear.errors import RecordError, ValidationFailed
from trainclear.schemas.usage import UsageLineIn, UsageReportCreate

M = TypeVar("M", bound=BaseModel)
USAGE_COLUMNS = ("work_id", "records", "characters", "images", "minutes")
INTEGER_COLUMNS = ("work_id", "records", "characters", "images")


def read_model(path: Path, model: type[M], **given: Any) -> M:
    """A JSON or YAML document as ``model``; ``given`` values (not None) fill or override it."""
    text = _text(path)
    data = _document(path, text)
    _refuse_floats(path, text, data, ())
    data.update({k: v for k, v in given.items() if v is not None})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        line = _line_of(text, error["loc"])
        raise RecordError(
            file=str(path), line=line, field=_field(error["loc"]), problem=error["msg"]
        ) from None


def usage_report_file(path: Path, **given: Any) -> UsageReportCreate:
    """A usage report from JSON / YAML (the whole report) or CSV (its lines; the rest given).

    CSV columns: ``work_id`` and any of ``records, characters, images, minutes``.
    """
    if path.suffix.lower() != ".csv":
        return read_model(path, UsageReportCreate, **given)
    lines = [_usage_line(path, number, row) for number, row in _csv_rows(path, USAGE_COLUMNS)]
    for name in ("dataset_version_id", "period", "model", "epochs"):
        if given.get(name) is None:
            option = "--" + name.replace("_id", "").replace("_", "-")
            problem = "needed with a CSV file (it holds only the lines)"
            raise ValidationFailed("invalid", field=option, problem=problem)
    try:
        return UsageReportCreate(lines=lines, **{k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        error = exc.errors()[0]
        raise ValidationFailed(
            "invalid", field=_field(error["loc"]), problem=error["msg"]
        ) from None


def scores_file(path: Path) -> dict[int, str]:
    """Attribution scores: CSV ``work_id,score`` or a JSON / YAML mapping of work id to score."""
    if path.suffix.lower() == ".csv":
        return {
            _integer(path, number, row, "work_id"): _score(path, number, row.get("score"))
            for number, row in _csv_rows(path, ("work_id", "score"))
        }
    text = _text(path)
    scores = {}
    for key, value in _document(path, text).items():
        line = _line_of(text, (key,))
        try:
            work_id = int(key)
        except ValueError:
            raise RecordError(
                file=str(path), line=line, field=str(key), problem="not a work id"
            ) from None
        scores[work_id] = _score(path, line, value, field=str(key))
    return scores


def _usage_line(path: Path, number: int, row: dict[str, str]) -> UsageLineIn:
    values: dict[str, Any] = {
        name: _integer(path, number, row, name)
        for name in INTEGER_COLUMNS
        if (row.get(name) or "").strip()
    }
    if (row.get("minutes") or "").strip():
        values["minutes"] = row["minutes"].strip()
    try:
        return UsageLineIn.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise RecordError(
            file=str(path), line=number, field=_field(error["loc"]), problem=error["msg"]
        ) from None


def _csv_rows(path: Path, known: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(_text(path)))
    header = reader.fieldnames or []
    if known[0] not in header:
        raise RecordError(file=str(path), line=1, field=known[0], problem="missing column")
    for name in header:
        if name not in known:
            problem = f"unknown column; expected {', '.join(known)}"
            raise RecordError(file=str(path), line=1, field=name, problem=problem)
    rows = []
    for row in reader:
        rows.append((reader.line_num, row))
    return rows


def _integer(path: Path, number: int, row: dict[str, str], name: str) -> int:
    text = (row.get(name) or "").strip()
    try:
        return int(text)
    except ValueError:
        problem = f"{text!r} is not a whole number"
        raise RecordError(file=str(path), line=number, field=name, problem=problem) from None


def _score(path: Path, line: int, value: object, field: str = "score") -> str:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip():
        problem = f'{value!r}: write a score as an integer or a string ("0.6", "2/3")'
        raise RecordError(file=str(path), line=line, field=field, problem=problem)
    return str(value).strip()


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed("invalid", field=str(path), problem=str(exc)) from None


def _document(path: Path, text: str) -> dict[str, Any]:
    """A JSON file with :mod:`json` (floats stay floats, to be refused); else YAML."""
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise RecordError(file=str(path), line=exc.lineno, field="", problem=exc.msg) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise RecordError(file=str(path), line=line, field="", problem=str(exc)) from None
    if not isinstance(data, dict):
        raise RecordError(file=str(path), line=1, field="", problem="expected a mapping")
    return data


def _refuse_floats(path: Path, text: str, data: object, loc: tuple[int | str, ...]) -> None:
    """Refuse the first float in ``data``, naming its line and field."""
    if isinstance(data, float):
        problem = f'{data!r} is a float, which is not exact; write it as a string ("{data}")'
        raise RecordError(
            file=str(path), line=_line_of(text, loc), field=_field(loc), problem=problem
        )
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        _refuse_floats(path, text, value, (*loc, key))


def _line_of(text: str, loc: tuple[int | str, ...]) -> int:
    """The 1-based line of the node at ``loc`` (JSON is YAML too); the deepest one found."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return 1
    line = 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if str(k.value) == str(part)]
            if not found:
                break
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _field(loc: tuple[int | str, ...]) -> str:
    """``lines[2].characters`` from a pydantic location (union member names left out)."""
    while loc and loc[-1] in ("str", "int"):
        loc = loc[:-1]
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
