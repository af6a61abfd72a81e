"""Web accounts (the portals' sign-in): sign up, sign in with a rate limit, sessions.

Rights holders and developers sign up themselves; CMO and administration accounts are
created by the operator (``trainclear account create``). Passwords are kept as argon2id
hashes. A session is a random cookie value of which only the SHA-256 is stored, with
its own CSRF secret; it ends after :data:`SESSION_LIFETIME` or at sign-out. The JSON API
does not read sessions: it keeps its Bearer tokens (:mod:`trainclear.services.parties`).

Failed sign-ins are counted per address and per client address over
:data:`FAILURE_WINDOW`; past the limit a sign-in is refused before the password is
checked, with the minutes left. Failures are not registry events, so they stay out of
the public transparency log, as do e-mail addresses.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind
from trainclear.errors import (
    Conflict,
    Forbidden,
    TrainclearError,
    Unauthenticated,
    ValidationFailed,
)
from trainclear.schemas.accounts import (
    AccountCreate,
    AccountPublic,
    SessionIssued,
    SignUp,
    WebSessionInfo,
)
from trainclear.services.platform import Platform, get_or_404, record_event
from trainclear.store.models import Party, SignInFailure, WebAccount, WebSession

SESSION_LIFETIME = timedelta(hours=12)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_CLIENT = 10
"""A client address may be an office's shared NAT, so it gets a few more tries."""
MIN_PASSWORD = 10
SELF_SERVICE = (PartyKind.RIGHTS_HOLDER, PartyKind.DEVELOPER)

PASSWORDS = PasswordHasher()
"""argon2id with the library's RFC 9106 low-memory profile (64 MiB, 3 passes)."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class TooManyAttempts(TrainclearError):
    status = 429
    code = "too_many_attempts"


def sign_up(p: Platform, *, data: SignUp) -> SessionIssued:
    """A rights holder or developer creates its party and account, and is signed in."""
    if data.kind not in SELF_SERVICE:
        raise Forbidden("account.kind_not_self_service")
    email = _valid_email(data.email)
    password_hash = _hash(data.password)
    now = p.now()
    try:
        with p.db.transaction() as s:
            party = _new_party(s, data.kind, data.name, email, now)
            account = _new_account(s, party, email, password_hash, now)
            return _open_session(s, account, party, now)
    except IntegrityError as exc:
        raise Conflict("account.email_taken") from exc


def create_account(p: Platform, *, data: AccountCreate) -> AccountPublic:
    """The operator gives a party (an existing one, or a new one of any kind) a web account."""
    email = _valid_email(data.email)
    password_hash = _hash(data.password)
    now = p.now()
    try:
        with p.db.transaction() as s:
            if data.party_id is not None:
                party = get_or_404(s, Party, data.party_id, "party")
            else:
                if data.kind is None or data.name is None:
                    raise ValidationFailed("invalid", field="party", problem="give an id or a kind")
                party = _new_party(s, data.kind, data.name, email, now)
            if s.scalar(select(WebAccount.id).where(WebAccount.party_id == party.id)):
                raise Conflict("account.party_has_account", party_id=party.id)
            account = _new_account(s, party, email, password_hash, now)
            return _public(account, party)
    except IntegrityError as exc:
        raise Conflict("account.email_taken") from exc


def sign_in(p: Platform, *, email: str, password: str, client_ip: str) -> SessionIssued:
    """Check the password and open a session; refused while the rate limit holds."""
    now = p.now()
    address = email.strip().lower()[:320]
    client = client_ip[:64]
    with p.db.transaction() as s:
        account = s.scalars(select(WebAccount).where(WebAccount.email == address)).one_or_none()
        _refuse_when_limited(s, address, client, account, now)
        if account is not None and _matches(account, password):
            return _open_session(s, account, s.get_one(Party, account.party_id), now)
        s.add(SignInFailure(at=now, email=address, client_ip=client))
        s.execute(delete(SignInFailure).where(SignInFailure.at < now - timedelta(days=1)))
    raise Unauthenticated("account.bad_credentials")


def sign_out(p: Platform, *, token: str) -> bool:
    """End the session behind a cookie value; whether there was a live one."""
    now = p.now()
    with p.db.transaction() as s:
        row = s.scalars(
            select(WebSession).where(
                WebSession.token_hash == hash_session_token(token), WebSession.revoked_at.is_(None)
            )
        ).one_or_none()
        if row is None:
            return False
        row.revoked_at = now
        return True


def session_for(p: Platform, *, token: str) -> WebSessionInfo | None:
    """The live session behind a cookie value; None when unknown, expired or ended."""
    now = p.now()
    with p.db.transaction() as s:
        found = s.execute(
            select(WebSession, WebAccount.email, Party)
            .join(WebAccount, WebAccount.id == WebSession.account_id)
            .join(Party, Party.id == WebSession.party_id)
            .where(
                WebSession.token_hash == hash_session_token(token),
                WebSession.revoked_at.is_(None),
                WebSession.expires_at > now,
            )
        ).one_or_none()
        if found is None:
            return None
        session, email, party = found
        return _info(session, email, party)


def get_account(p: Platform, *, party_id: int) -> AccountPublic:
    """The web account of a party (a signed-in party's own page)."""
    with p.db.transaction() as s:
        account = s.scalars(select(WebAccount).where(WebAccount.party_id == party_id)).first()
        if account is None:
            raise Unauthenticated("account.sign_in_required")
        return _public(account, s.get_one(Party, party_id))


def hash_session_token(token: str) -> str:
    """SHA-256 of a cookie value (256 random bits, so no slow hash is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _valid_email(email: str) -> str:
    address = email.strip().lower()
    if not _EMAIL.match(address) or len(address) > 320:
        raise ValidationFailed("account.email_invalid", email=email.strip()[:80])
    return address


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed("account.password_short", minimum=MIN_PASSWORD)
    return PASSWORDS.hash(password)


def _matches(account: WebAccount, password: str) -> bool:
    try:
        PASSWORDS.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if PASSWORDS.check_needs_rehash(account.password_hash):
        account.password_hash = PASSWORDS.hash(password)
    return True


def _refuse_when_limited(
    s: Session, email: str, client: str, account: WebAccount | None, now: datetime
) -> None:
    since = now - FAILURE_WINDOW
    if account is not None and account.last_sign_in_at is not None:
        since = max(since, account.last_sign_in_at)
    by_email = select(SignInFailure.at).where(
        SignInFailure.email == email, SignInFailure.at > since
    )
    by_client = select(SignInFailure.at).where(
        SignInFailure.client_ip == client, SignInFailure.at > now - FAILURE_WINDOW
    )
    for stmt, limit in ((by_email, MAX_FAILURES_PER_ACCOUNT), (by_client, MAX_FAILURES_PER_CLIENT)):
        recent = list(s.scalars(stmt.order_by(SignInFailure.at.desc()).limit(limit)))
        if len(recent) >= limit:
            lifts = recent[-1] + FAILURE_WINDOW
            minutes = max(1, math.ceil((lifts - now).total_seconds() / 60))
            raise TooManyAttempts("account.rate_limited", minutes=minutes)


def _new_party(s: Session, kind: PartyKind, name: str, email: str, now: datetime) -> Party:
    party = Party(kind=kind, name=name, email=email, created_at=now)
    s.add(party)
    s.flush()
    record_event(
        s,
        at=now,
        kind="party.created",
        subject=f"party:{party.id}",
        actor=None,
        payload={"kind": str(kind), "name": name},
    )
    return party


def _new_account(
    s: Session, party: Party, email: str, password_hash: str, now: datetime
) -> WebAccount:
    taken = s.scalar(select(func.count()).where(WebAccount.email == email))
    if taken:
        raise Conflict("account.email_taken")
    account = WebAccount(
        party_id=party.id, email=email, password_hash=password_hash, created_at=now
    )
    s.add(account)
    s.flush()
    record_event(
        s,
        at=now,
        kind="account.created",
        subject=f"party:{party.id}",
        actor=None,
        payload={"party_id": party.id},
    )
    return account


def _open_session(s: Session, account: WebAccount, party: Party, now: datetime) -> SessionIssued:
    token = secrets.token_urlsafe(32)
    session = WebSession(
        token_hash=hash_session_token(token),
        account_id=account.id,
        party_id=party.id,
        csrf_secret=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_LIFETIME,
    )
    s.add(session)
    account.last_sign_in_at = now
    s.flush()
    return SessionIssued(**_info(session, account.email, party).model_dump(), token=token)


def _info(session: WebSession, email: str, party: Party) -> WebSessionInfo:
    return WebSessionInfo(
        session_id=session.id,
        account_id=session.account_id,
        email=email,
        actor=Actor(party_id=party.id, kind=PartyKind(party.kind), name=party.name),
        csrf_secret=session.csrf_secret,
        expires_at=session.expires_at,
    )


def _public(account: WebAccount, party: Party) -> AccountPublic:
    return AccountPublic(
        id=account.id,
        party_id=party.id,
        kind=PartyKind(party.kind),
        name=party.name,
        email=account.email,
        created_at=account.created_at,
        last_sign_in_at=account.last_sign_in_at,
    )
