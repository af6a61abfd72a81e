"""Runtime settings, read once from the environment (``TRAINCLEAR_*``).

The embedded default is a SQLite file under the data directory; production points
``TRAINCLEAR_DATABASE_URL`` at PostgreSQL. Conveniences that would be unsafe in
production (a fixed clock) are refused outside local mode.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All configuration of one trainclear installation."""

    model_config = SettingsConfigDict(env_prefix="TRAINCLEAR_", extra="ignore")

    home: Path = Path(".trainclear")
    database_url: str | None = None
    mode: Literal["local", "production"] = "local"
    now: datetime | None = None
    """A fixed clock for demos and manual testing; local mode only."""
    log_key_file: Path | None = None
    """The Ed25519 key that signs the transparency log's tree heads (PEM). In local mode it
    defaults to ``<home>/log-signing-key.pem``, made on first use; elsewhere it must be set."""
    web_secret_file: Path | None = None
    """The secret (32+ random bytes) that signs the web pages' anonymous form tokens. In local
    mode it defaults to ``<home>/web-secret``, made on first use; elsewhere it must be set."""

    @model_validator(mode="after")
    def _refuse_unsafe_outside_local(self) -> Settings:
        if self.mode != "local" and self.now is not None:
            raise ValueError("TRAINCLEAR_NOW (a fixed clock) is only allowed in local mode")
        if self.mode != "local" and self.database_url is None:
            raise ValueError("TRAINCLEAR_DATABASE_URL is required outside local mode")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{(self.home / 'trainclear.db').resolve()}"

    @property
    def signing_key_path(self) -> Path | None:
        """Where the log's signing key is (None outside local mode when none is set)."""
        if self.log_key_file is not None:
            return self.log_key_file
        return self.home / "log-signing-key.pem" if self.mode == "local" else None

    @property
    def snapshot_dir(self) -> Path:
        """Where immutable snapshot files are kept."""
        return self.home / "snapshots"


def normalise_database_url(url: str) -> str:
    """Select the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
