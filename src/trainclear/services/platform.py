"""The Platform: what every service needs (database, clock, settings) and shared helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from trainclear.clock import Clock, FixedClock, SystemClock
from trainclear.domain import Actor, PartyKind
from trainclear.errors import Forbidden, NotFound
from trainclear.services.log_append import PendingEvent, defer_append
from trainclear.settings import Settings
from trainclear.store.db import Database
from trainclear.store.models import Base

T = TypeVar("T", bound=Base)


@dataclass
class Platform:
    """One trainclear installation: database, clock and settings."""

    db: Database
    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=SystemClock)
    caches: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Read-side caches that live as long as this platform (e.g. the bulk check's indexes)."""

    @classmethod
    def from_settings(cls, settings: Settings | None = None, *, migrate: bool = True) -> Platform:
        """Open the configured database (migrating it) with the configured clock."""
        settings = settings or Settings()
        settings.home.mkdir(parents=True, exist_ok=True)
        db = Database(settings.resolved_database_url)
        if migrate:
            db.upgrade()
        clock: Clock = FixedClock(settings.now) if settings.now else SystemClock()
        return cls(db=db, settings=settings, clock=clock)

    def now(self) -> datetime:
        return self.clock.now()


def record_event(
    session: Session,
    *,
    at: datetime,
    kind: str,
    subject: str,
    actor: Actor | None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Record the event of a state change: its row and its transparency-log entry are
    written when the caller's transaction commits, in that transaction (both land or
    neither does), so the row is not visible to queries before then."""
    actor_id = actor.party_id if actor else None
    defer_append(session, PendingEvent(at, kind, subject, actor_id, payload or {}))


def get_or_404(session: Session, model: type[T], ident: object, kind: str) -> T:
    """Load a row by primary key or raise NotFound naming what was missing."""
    row = session.get(model, ident)
    if row is None:
        raise NotFound("not_found", kind=kind, id=ident)
    return row


def require_kind(actor: Actor, *kinds: PartyKind) -> None:
    """Refuse an actor whose party kind is not one of ``kinds``."""
    if actor.kind not in kinds:
        expected = " / ".join(str(k) for k in kinds)
        raise Forbidden("auth.wrong_kind", expected=expected, actual=str(actor.kind))
