"""Parties and API tokens. Creating either is an operator action (CLI, local database access)."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from trainclear.domain import Actor, PartyKind
from trainclear.errors import Unauthenticated
from trainclear.schemas.parties import PartyCreate, PartyPublic, TokenIssued
from trainclear.services.platform import Platform, get_or_404, record_event
from trainclear.store.models import ApiToken, Party

TOKEN_PREFIX = "tc_"


def create_party(p: Platform, *, data: PartyCreate) -> PartyPublic:
    """Register a party (rights holder, developer, CMO or the administration)."""
    now = p.now()
    with p.db.transaction() as s:
        party = Party(kind=data.kind, name=data.name, email=data.email, created_at=now)
        s.add(party)
        s.flush()
        record_event(
            s,
            at=now,
            kind="party.created",
            subject=f"party:{party.id}",
            actor=None,
            payload={"kind": str(data.kind), "name": data.name},
        )
        return PartyPublic.model_validate(party)


def issue_token(p: Platform, *, party_id: int, label: str = "") -> TokenIssued:
    """Create an API token for a party; only its hash is kept, the secret is returned once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = p.now()
    with p.db.transaction() as s:
        get_or_404(s, Party, party_id, "party")
        s.add(
            ApiToken(party_id=party_id, token_hash=hash_token(secret), label=label, created_at=now)
        )
        record_event(
            s,
            at=now,
            kind="token.issued",
            subject=f"party:{party_id}",
            actor=None,
            payload={"label": label},
        )
    return TokenIssued(party_id=party_id, token=secret, label=label)


def revoke_tokens(p: Platform, *, party_id: int) -> int:
    """Revoke every live token of a party; returns how many were revoked."""
    now = p.now()
    with p.db.transaction() as s:
        tokens = s.scalars(
            select(ApiToken).where(ApiToken.party_id == party_id, ApiToken.revoked_at.is_(None))
        ).all()
        for token in tokens:
            token.revoked_at = now
        record_event(s, at=now, kind="token.revoked", subject=f"party:{party_id}", actor=None)
        return len(tokens)


def authenticate(p: Platform, token: str | None) -> Actor:
    """The party behind a token; Unauthenticated when missing, unknown or revoked."""
    if not token:
        raise Unauthenticated("auth.missing")
    with p.db.transaction() as s:
        row = s.execute(
            select(Party)
            .join(ApiToken, ApiToken.party_id == Party.id)
            .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
        ).scalar_one_or_none()
        if row is None:
            raise Unauthenticated("auth.invalid")
        return Actor(party_id=row.id, kind=PartyKind(row.kind), name=row.name)


def list_parties(p: Platform, *, kind: PartyKind | None = None) -> list[PartyPublic]:
    """Every party, optionally of one kind (names and kinds are public)."""
    with p.db.transaction() as s:
        query = select(Party).order_by(Party.id)
        if kind:
            query = query.where(Party.kind == kind)
        return [PartyPublic.model_validate(row) for row in s.scalars(query)]


def get_party(p: Platform, *, party_id: int) -> PartyPublic:
    with p.db.transaction() as s:
        return PartyPublic.model_validate(get_or_404(s, Party, party_id, "party"))


def hash_token(token: str) -> str:
    """SHA-256 of the token (tokens carry 256 random bits, so no slow hash is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
