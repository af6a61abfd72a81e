"""Read models of tariffs for the pages: the tariffs a notice may name (the publish form)
and the tariff a notice names, with its CMO and tiers (the public notice page)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainclear.schemas.reports import TariffSummary
from trainclear.services.notice_views import visible_notice
from trainclear.services.platform import Platform
from trainclear.services.tariffs import engine_tariff, versions_of
from trainclear.store.models import Party, TariffVersion


def tariff_choices(p: Platform) -> list[TariffSummary]:
    """Every tariff version in force today, by CMO and code: what a notice may name."""
    today = p.now().date()
    with p.db.transaction() as s:
        rows = s.execute(
            select(TariffVersion, Party.name)
            .join(Party, Party.id == TariffVersion.cmo_id)
            .where(TariffVersion.effective_from <= today)
            .order_by(Party.name, TariffVersion.code, TariffVersion.effective_from)
        )
        return [summary(row, name) for row, name in rows if engine_tariff(row).in_force(today)]


def notice_tariff(
    p: Platform, *, notice_id: int, viewer_id: int | None = None
) -> TariffSummary | None:
    """The tariff a notice names: its version in force today, else the latest one."""
    with p.db.transaction() as s:
        notice = visible_notice(s, notice_id, viewer_id)
        if notice.tariff_code is None or notice.tariff_cmo_id is None:
            return None
        return _version_on(s, notice.tariff_cmo_id, notice.tariff_code, p.now().date())


def _version_on(s: Session, cmo_id: int, code: str, day: date) -> TariffSummary | None:
    versions = versions_of(s, cmo_id=cmo_id, code=code)
    if not versions:
        return None
    current = [row for row, tariff in versions if tariff.in_force(day)]
    row = current[0] if current else versions[-1][0]
    name = s.scalar(select(Party.name).where(Party.id == cmo_id)) or ""
    return summary(row, name)


def summary(row: TariffVersion, cmo_name: str) -> TariffSummary:
    """A tariff version with its CMO's name; schedules and tiers as exact strings."""
    return TariffSummary.model_validate(
        {
            "id": row.id,
            "cmo_id": row.cmo_id,
            "cmo_name": cmo_name,
            "code": row.code,
            "title": row.title,
            "currency": row.currency,
            "effective_from": row.effective_from,
            "effective_to": row.effective_to,
            "schedules": row.body["schedules"],
        }
    )
