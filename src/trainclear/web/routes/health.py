"""Liveness and readiness: the API answers and its database does too."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from trainclear import __version__
from trainclear.web.deps import PlatformDep

router = APIRouter(prefix="/v1", tags=["health"])


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: str
    """The SQL dialect in use: ``sqlite`` or ``postgresql``."""


@router.get("/health")
def health(p: PlatformDep) -> Health:
    """Round-trip to the database, so a load balancer sees an unreachable database as down."""
    with p.db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return Health(status="ok", version=__version__, database=p.db.engine.dialect.name)
