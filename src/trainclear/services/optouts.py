"""Opt-outs (选择退出): declared for a work, all works of a holder, a URL prefix or a domain.

An opt-out is never deleted: withdrawal stamps ``withdrawn_at`` so the history of what
was reserved when stays provable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from trainclear.clock import as_utc
from trainclear.domain import Actor, OptOutScope, PartyKind
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.fingerprint.identifiers import canonical_url
from trainclear.schemas.optouts import OptOutCreate, OptOutPublic
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.services.works import acts_for_work
from trainclear.store.models import OptOut, Work, WorkHolder

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def declare_opt_out(p: Platform, *, actor: Actor, data: OptOutCreate) -> OptOutPublic:
    """Record a reservation by a holder (or the CMO holding the work's mandate)."""
    require_kind(actor, PartyKind.RIGHTS_HOLDER, PartyKind.CMO)
    now = p.now()
    effective = as_utc(data.effective_from) if data.effective_from else now
    if effective < now:
        raise ValidationFailed("invalid", field="effective_from", problem="may not be in the past")
    with p.db.transaction() as s:
        row = OptOut(
            declared_by=actor.party_id,
            scope=data.scope,
            purpose=data.purpose,
            source="declaration",
            effective_from=effective,
            created_at=now,
            **_target(s, actor, data),
        )
        add_opt_out(s, row, actor)
        return OptOutPublic.model_validate(row)


def withdraw_opt_out(p: Platform, *, actor: Actor, opt_out_id: int) -> OptOutPublic:
    """Withdraw an opt-out; only its declarant may. The row stays, stamped."""
    now = p.now()
    with p.db.transaction() as s:
        row = get_or_404(s, OptOut, opt_out_id, "opt-out")
        if row.declared_by != actor.party_id:
            raise Forbidden("optout.not_declarant", id=opt_out_id)
        if row.withdrawn_at is not None:
            raise Conflict(
                "optout.already_withdrawn", id=opt_out_id, at=row.withdrawn_at.isoformat()
            )
        row.withdrawn_at, row.withdrawn_by = now, actor.party_id
        record_event(
            s,
            at=now,
            kind="opt_out.withdrawn",
            subject=f"opt_out:{row.id}",
            actor=actor,
        )
        return OptOutPublic.model_validate(row)


def list_opt_outs(
    p: Platform,
    *,
    declared_by: int | None = None,
    work_id: int | None = None,
    include_withdrawn: bool = False,
) -> list[OptOutPublic]:
    """Opt-outs, newest first; reservations are public so crawlers can honour them."""
    with p.db.transaction() as s:
        stmt = select(OptOut).order_by(OptOut.id.desc())
        if declared_by is not None:
            stmt = stmt.where(OptOut.declared_by == declared_by)
        if work_id is not None:
            stmt = stmt.where(OptOut.work_id == work_id)
        if not include_withdrawn:
            stmt = stmt.where(OptOut.withdrawn_at.is_(None))
        return [OptOutPublic.model_validate(r) for r in s.scalars(stmt)]


def add_opt_out(s: Session, row: OptOut, actor: Actor) -> OptOut:
    """Store a new opt-out and append its event (for declarations and late objections)."""
    s.add(row)
    s.flush()
    record_event(
        s,
        at=row.created_at,
        kind="opt_out.declared",
        subject=f"opt_out:{row.id}",
        actor=actor,
        payload=_payload(row),
    )
    return row


def opt_outs_in_force(s: Session, at: datetime) -> list[OptOut]:
    """Every opt-out effective at ``at`` and not withdrawn by then."""
    stmt = select(OptOut).where(
        OptOut.effective_from <= at,
        (OptOut.withdrawn_at.is_(None)) | (OptOut.withdrawn_at > at),
    )
    return list(s.scalars(stmt.order_by(OptOut.id)))


def _target(s: Session, actor: Actor, data: OptOutCreate) -> dict[str, object]:
    scope = data.scope
    given = {"work_id": data.work_id, "target": data.target}
    if scope == OptOutScope.WORK:
        _only(given, "work_id", scope)
        work = get_or_404(s, Work, data.work_id, "work")
        if not acts_for_work(actor, work):
            raise Forbidden("work.not_holder", party_id=actor.party_id, work_id=work.id)
        return {"work_id": work.id}
    if scope == OptOutScope.HOLDER:
        _only(given, None, scope)
        return {"holder_id": _holder_for(s, actor, data.holder_id)}
    _only(given, "target", scope)
    assert data.target is not None
    return {"target": _url_target(scope, data.target), "holder_id": None}


def _holder_for(s: Session, actor: Actor, holder_id: int | None) -> int:
    """A holder opts out all its works; a CMO, all of a member's works under its mandate."""
    if actor.kind == PartyKind.RIGHTS_HOLDER and holder_id in (None, actor.party_id):
        return actor.party_id
    if actor.kind == PartyKind.CMO and holder_id is not None:
        mandated = select(Work.id).where(
            Work.cmo_id == actor.party_id, Work.holders.any(WorkHolder.holder_id == holder_id)
        )
        if s.scalar(mandated.limit(1)) is not None:
            return holder_id
    raise Forbidden("optout.holder_scope")


def _url_target(scope: OptOutScope, target: str) -> str:
    if scope == OptOutScope.URL_PREFIX:
        try:
            return canonical_url(target)
        except ValueError as exc:
            raise ValidationFailed("invalid", field="target", problem=str(exc)) from exc
    domain = target.strip().lower().rstrip(".")
    if not _DOMAIN.match(domain):
        raise ValidationFailed("invalid", field="target", problem="not a domain name")
    return domain


def _only(given: Mapping[str, object], needed: str | None, scope: OptOutScope) -> None:
    for name, value in given.items():
        if (value is None) == (name == needed):
            raise ValidationFailed("optout.scope_target", scope=str(scope), target=needed or "-")


def _payload(row: OptOut) -> dict[str, object]:
    return {
        "scope": row.scope,
        "work_id": row.work_id,
        "holder_id": row.holder_id,
        "target": row.target,
        "purpose": row.purpose,
        "source": row.source,
        "objection_id": row.objection_id,
        "effective_from": row.effective_from.isoformat(),
    }
