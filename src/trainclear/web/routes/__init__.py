"""One small router per resource, all under ``/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from trainclear.web.routes import (
    datasets,
    disputes,
    distributions,
    health,
    log,
    notices,
    objections,
    optouts,
    parties,
    signals,
    snapshots,
    tariffs,
    usage,
    works,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    parties.router,
    works.router,
    optouts.router,
    notices.router,
    objections.router,
    disputes.router,
    snapshots.router,
    signals.router,
    log.router,
    datasets.router,
    tariffs.router,
    usage.router,
    distributions.router,
)
