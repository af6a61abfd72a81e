"""Tariffs (付酬标准): a CMO publishes effective-dated versions of its codes; anyone reads them.

A tariff is identified by its CMO and code; each version is in force over a closed range
of days, and two versions of one code may never be in force on the same day (the engine's
:func:`~trainclear.royalties.check_versions`). A notice names its tariff by code, and a
usage report is priced by the version in force over its whole period.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind
from trainclear.errors import Conflict, Forbidden, NotFound, ValidationFailed
from trainclear.royalties import (
    Tariff,
    check_versions,
    select_tariff,
    tariff_from_dict,
    tariff_to_dict,
)
from trainclear.schemas.tariffs import TariffCreate, TariffEnd, TariffPublic
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.store.models import TariffVersion, UsageReportRecord


def create_tariff(p: Platform, *, actor: Actor, data: TariffCreate) -> TariffPublic:
    """A CMO publishes a version of one of its tariffs (a new code, or a later version)."""
    require_kind(actor, PartyKind.CMO)
    tariff = tariff_from_dict(data.model_dump(mode="json"))
    now = p.now()
    with p.db.transaction() as s:
        versions = [t for _, t in versions_of(s, cmo_id=actor.party_id, code=tariff.code)]
        check_versions([*versions, tariff])
        row = TariffVersion(
            cmo_id=actor.party_id,
            code=tariff.code,
            title=tariff.title,
            currency=tariff.currency,
            effective_from=tariff.effective_from,
            effective_to=tariff.effective_to,
            body=tariff_to_dict(tariff),
            created_at=now,
        )
        s.add(row)
        s.flush()
        _event(s, p, actor, row, "tariff.created")
        return tariff_public(row)


def end_tariff(p: Platform, *, actor: Actor, tariff_id: int, data: TariffEnd) -> TariffPublic:
    """The CMO sets a version's last day (to make room for the next version, or extend it).

    A version cannot end before the last day of a period it has already priced.
    """
    with p.db.transaction() as s:
        row = own_tariff(s, actor, tariff_id)
        changed = replace(engine_tariff(row), effective_to=data.effective_to)
        others = [t for r, t in versions_of(s, cmo_id=row.cmo_id, code=row.code) if r.id != row.id]
        check_versions([*others, changed])
        priced_to = s.scalar(
            select(func.max(UsageReportRecord.period_end)).where(
                UsageReportRecord.tariff_id == row.id
            )
        )
        if priced_to is not None and priced_to > data.effective_to:
            raise Conflict("remuneration.tariff_used", id=row.id, day=priced_to.isoformat())
        row.effective_to = data.effective_to
        row.body = tariff_to_dict(changed)
        _event(s, p, actor, row, "tariff.amended")
        return tariff_public(row)


def list_tariffs(
    p: Platform, *, cmo_id: int | None = None, code: str | None = None, on: date | None = None
) -> list[TariffPublic]:
    """Published tariffs (public), optionally one CMO's, one code's, or those in force on a day."""
    with p.db.transaction() as s:
        stmt = select(TariffVersion).order_by(
            TariffVersion.cmo_id, TariffVersion.code, TariffVersion.effective_from
        )
        if cmo_id is not None:
            stmt = stmt.where(TariffVersion.cmo_id == cmo_id)
        if code is not None:
            stmt = stmt.where(TariffVersion.code == code)
        rows = list(s.scalars(stmt))
        return [tariff_public(r) for r in rows if on is None or engine_tariff(r).in_force(on)]


def get_tariff(p: Platform, *, tariff_id: int) -> TariffPublic:
    with p.db.transaction() as s:
        return tariff_public(get_or_404(s, TariffVersion, tariff_id, "tariff"))


def versions_of(s: Session, *, cmo_id: int, code: str) -> list[tuple[TariffVersion, Tariff]]:
    """Every version of a CMO's tariff code, oldest first, with its engine value."""
    stmt = (
        select(TariffVersion)
        .where(TariffVersion.cmo_id == cmo_id, TariffVersion.code == code)
        .order_by(TariffVersion.effective_from)
    )
    return [(row, engine_tariff(row)) for row in s.scalars(stmt)]


def tariff_cmo(s: Session, *, code: str, cmo_id: int | None) -> int:
    """The CMO whose tariff ``code`` is meant: the one given, or the only one using the code."""
    if cmo_id is not None:
        return cmo_id
    found = sorted(set(s.scalars(select(TariffVersion.cmo_id).where(TariffVersion.code == code))))
    if not found:
        raise NotFound("not_found", kind="tariff", id=code)
    if len(found) > 1:
        raise ValidationFailed(
            "remuneration.tariff_ambiguous", code=code, cmos=", ".join(map(str, found))
        )
    return found[0]


def in_force(s: Session, *, cmo_id: int, code: str, on: date) -> TariffVersion:
    """The version of a CMO's tariff code in force on ``on`` (refused when there is none)."""
    versions = versions_of(s, cmo_id=cmo_id, code=code)
    chosen = select_tariff([t for _, t in versions], code=code, on=on)
    return next(row for row, t in versions if t is chosen)


def own_tariff(s: Session, actor: Actor, tariff_id: int) -> TariffVersion:
    row = get_or_404(s, TariffVersion, tariff_id, "tariff")
    if row.cmo_id != actor.party_id:
        raise Forbidden("remuneration.not_yours", kind="tariff", id=tariff_id)
    return row


def engine_tariff(row: TariffVersion) -> Tariff:
    return tariff_from_dict(row.body)


def tariff_public(row: TariffVersion) -> TariffPublic:
    body = row.body
    return TariffPublic.model_validate(
        {
            "id": row.id,
            "cmo_id": row.cmo_id,
            "code": row.code,
            "title": row.title,
            "currency": row.currency,
            "effective_from": row.effective_from,
            "effective_to": row.effective_to,
            "schedules": body["schedules"],
            "created_at": row.created_at,
        }
    )


def _event(s: Session, p: Platform, actor: Actor, row: TariffVersion, kind: str) -> None:
    record_event(
        s,
        at=p.now(),
        kind=kind,
        subject=f"tariff:{row.id}",
        actor=actor,
        payload={
            "code": row.code,
            "effective_from": row.effective_from.isoformat(),
            "effective_to": row.effective_to.isoformat() if row.effective_to else None,
            "body": row.body,
        },
    )
