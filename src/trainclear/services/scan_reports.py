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
        report = _Report.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        problem = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
        raise ValidationFailed("notice.scan_report", path=str(path), problem=problem) from exc
    return report.snapshot_id, report.works


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"
