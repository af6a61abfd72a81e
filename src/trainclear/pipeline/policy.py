"""What a run does with a malformed record: stop (``fail``) or note it and go on (``skip``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, get_args

from trainclear.errors import RecordError, ValidationFailed
from trainclear.pipeline.readers.base import OnRecordError, fail_on_error

OnError = Literal["fail", "skip"]


def record_error_policy(on_error: OnError, on_skip: Callable[[RecordError], None]) -> OnRecordError:
    """The reader callback for ``on_error``: raise, or hand the error to ``on_skip``."""
    if on_error not in get_args(OnError):
        problem = f"must be one of {', '.join(get_args(OnError))}, not {on_error!r}"
        raise ValidationFailed("invalid", field="on_error", problem=problem)
    return fail_on_error if on_error == "fail" else on_skip
