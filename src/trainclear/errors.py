"""Domain exceptions, each carrying its HTTP status and a bilingual message.

Hierarchy (one JSON error shape is produced from it by the web layer)::

    TrainclearError                 400 bad_request
    ├── ValidationFailed            422 invalid
    │   └── RecordError             422 invalid_record   (file, line, field)
    ├── Unauthenticated             401 unauthenticated
    ├── Forbidden                   403 forbidden
    ├── NotFound                    404 not_found
    └── Conflict                    409 conflict

A raise site names a message key from :mod:`trainclear.messages` and its parameters,
so every error reads the same in zh-CN and en wherever it surfaces (API, CLI, web).
"""

from __future__ import annotations

from typing import Any, ClassVar

from trainclear.messages import Lang, render


class TrainclearError(Exception):
    """Base of every error a user can cause; never raised for programming bugs."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by key, parameters and attributes, so errors cross process boundaries.

        The default would call ``cls(message)``, losing the key (and failing for
        :class:`RecordError`, whose constructor is keyword-only).
        """
        return (_restore, (type(self), self.key, self.params, dict(self.__dict__)))

    def message(self, lang: Lang = "en") -> str:
        """The message in one language."""
        return render(self.key, lang, **self.params)

    def to_dict(self, lang: Lang = "en") -> dict[str, Any]:
        """The one JSON error shape: code, status, message in both languages, detail."""
        return {
            "error": {
                "code": self.code,
                "status": self.status,
                "key": self.key,
                "message": self.message(lang),
                "messages": {"en": self.message("en"), "zh-CN": self.message("zh-CN")},
                "detail": {k: _jsonable(v) for k, v in self.params.items()},
            }
        }


class ValidationFailed(TrainclearError):
    status = 422
    code = "invalid"


class RecordError(ValidationFailed):
    """A malformed input record: names the file, line (1-based) and field."""

    code = "invalid_record"

    def __init__(self, *, file: str, line: int, field: str, problem: str) -> None:
        super().__init__("record.invalid", file=file, line=line, field=field, problem=problem)
        self.file, self.line, self.field, self.problem = file, line, field, problem


class Unauthenticated(TrainclearError):
    status = 401
    code = "unauthenticated"


class Forbidden(TrainclearError):
    status = 403
    code = "forbidden"


class NotFound(TrainclearError):
    status = 404
    code = "not_found"


class Conflict(TrainclearError):
    status = 409
    code = "conflict"


def _restore(
    cls: type[TrainclearError], key: str, params: dict[str, Any], state: dict[str, Any]
) -> TrainclearError:
    """Rebuild an unpickled error without calling its (possibly keyword-only) constructor."""
    error = cls.__new__(cls)
    TrainclearError.__init__(error, key, **params)
    error.__dict__.update(state)
    return error


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value)
