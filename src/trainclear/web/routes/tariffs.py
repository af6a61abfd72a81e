"""Tariffs (付酬标准) and CMO distribution settings: published by CMOs, read by anyone."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from trainclear.schemas.tariffs import (
    CmoSettingsPublic,
    CmoSettingsUpdate,
    TariffCreate,
    TariffEnd,
    TariffPublic,
)
from trainclear.services import cmo_settings, tariffs
from trainclear.web.deps import CurrentActor, PlatformDep

router = APIRouter(prefix="/v1", tags=["remuneration"])


@router.post("/tariffs", status_code=201)
def create_tariff(p: PlatformDep, actor: CurrentActor, data: TariffCreate) -> TariffPublic:
    """A CMO publishes a version of one of its tariffs (rates as exact strings, no floats)."""
    return tariffs.create_tariff(p, actor=actor, data=data)


@router.get("/tariffs")
def list_tariffs(
    p: PlatformDep, cmo_id: int | None = None, code: str | None = None, on: date | None = None
) -> list[TariffPublic]:
    """Published tariffs: one CMO's, one code's, or those in force on a day."""
    return tariffs.list_tariffs(p, cmo_id=cmo_id, code=code, on=on)


@router.get("/tariffs/{tariff_id}")
def get_tariff(p: PlatformDep, tariff_id: int) -> TariffPublic:
    return tariffs.get_tariff(p, tariff_id=tariff_id)


@router.post("/tariffs/{tariff_id}/end")
def end_tariff(
    p: PlatformDep, actor: CurrentActor, tariff_id: int, data: TariffEnd
) -> TariffPublic:
    """The CMO sets a version's last day in force (not before a period it has priced)."""
    return tariffs.end_tariff(p, actor=actor, tariff_id=tariff_id, data=data)


@router.get("/cmos/{cmo_id}/settings")
def get_settings(p: PlatformDep, cmo_id: int) -> CmoSettingsPublic:
    """A CMO's fee schedule, minimum payout and reserve rules (the defaults if none set)."""
    return cmo_settings.get_cmo_settings(p, cmo_id=cmo_id)


@router.put("/cmos/me/settings")
def set_settings(p: PlatformDep, actor: CurrentActor, data: CmoSettingsUpdate) -> CmoSettingsPublic:
    """The CMO sets its own distribution settings."""
    return cmo_settings.set_cmo_settings(p, actor=actor, data=data)
