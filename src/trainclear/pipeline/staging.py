"""No partial output: a run writes into a hidden staging folder, renamed into place at the end.

Readers of ``out_dir`` therefore see either nothing or a complete, consistent run —
never shards without their manifest after a crash or a malformed record.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trainclear.errors import ValidationFailed


def check_output(out_dir: Path) -> None:
    """Refuse an ``out_dir`` that exists and is not an empty folder."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise ValidationFailed("pipeline.output_exists", path=str(out_dir))


@contextmanager
def staged_directory(out_dir: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``out_dir``; publish it only if the block succeeds.

    On any exception (KeyboardInterrupt included) the staging folder is removed and
    ``out_dir`` is left as it was.
    """
    check_output(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.tmp-{secrets.token_hex(6)}"
    staging.mkdir()
    try:
        yield staging
        _publish(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _publish(staging: Path, out_dir: Path) -> None:
    """Move ``staging`` to ``out_dir``, checking again that nothing appeared there meanwhile."""
    check_output(out_dir)
    if out_dir.exists():
        out_dir.rmdir()
    staging.rename(out_dir)
