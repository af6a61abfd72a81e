"""Turning submitted forms into the services' input models.

Parsing only: the rules (who may do what, what is valid) stay in the services and their
schemas; a schema's validation error becomes a :class:`ValidationFailed` naming the
field, so the form page can show it in either language.
"""

from __future__ import annotations

import base64
from typing import Any, TypeVar

from fastapi import UploadFile
from pydantic import BaseModel, ValidationError

from trainclear.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)

MAX_UPLOAD = 32 * 1024 * 1024


def build(schema: type[M], /, **fields: Any) -> M:
    """Validate ``fields`` into ``schema``; the first problem becomes a ValidationFailed."""
    try:
        return schema.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or schema.__name__
        raise ValidationFailed("invalid", field=where, problem=error["msg"]) from exc


def upload_bytes(upload: UploadFile | None, *, field: str) -> bytes | None:
    """The content of a file input; None when no file was chosen."""
    if upload is None or not upload.filename:
        return None
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValidationFailed("invalid", field=field, problem=f"larger than {MAX_UPLOAD} bytes")
    return data or None


def upload_text(upload: UploadFile | None, *, field: str) -> str | None:
    """A text file input as text (UTF-8, a BOM dropped); None when no file was chosen."""
    data = upload_bytes(upload, field=field)
    if data is None:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed("web.file_not_text", field=field) from exc


def upload_base64(upload: UploadFile | None, *, field: str) -> str | None:
    data = upload_bytes(upload, field=field)
    return base64.b64encode(data).decode("ascii") if data is not None else None


def int_list(text: str, *, field: str) -> list[int]:
    """Whole numbers separated by commas, spaces or new lines."""
    items = text.replace(",", " ").replace("，", " ").split()
    try:
        return [int(item) for item in items]
    except ValueError as exc:
        raise ValidationFailed("invalid", field=field, problem="not a list of numbers") from exc


def optional_int(text: str, *, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise ValidationFailed("invalid", field=field, problem="not a whole number") from exc


def tariff_choice(value: str) -> tuple[str | None, int | None]:
    """A tariff chosen in a form as ``cmo:code`` → (code, CMO); empty → (None, None)."""
    if not value.strip():
        return None, None
    cmo, _, code = value.strip().partition(":")
    return code, optional_int(cmo, field="tariff")
