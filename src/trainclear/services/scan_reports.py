"""Reading a scan report to list the registered works a notice intends to use."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from trainclear.errors import ValidationFailed
from trainclear.schemas.notices import NoticeWorkIn


class _Report(BaseModel):
    snapshot_id: str
    works: list[NoticeWorkIn]


def works_from_scan_report(path: Path) -> tuple[str, list[NoticeWorkIn]]:
    """The snapshot id and the works (with records and characters used) of a scan report."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationFailed("notice.scan_report", path=str(path), problem=str(exc)) from exc
    return works_from_scan_report_bytes(data, name=str(path))


def works_from_scan_report_bytes(data: bytes, *, name: str) -> tuple[str, list[NoticeWorkIn]]:
    """The same, from a report's bytes (an upload); ``name`` is what errors call it."""
    try:
        report = _Report.model_validate(json.loads(data.decode("utf-8")))
    except ValueError as exc:
        problem = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
        raise ValidationFailed("notice.scan_report", path=name, problem=problem) from exc
    return report.snapshot_id, report.works


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"
