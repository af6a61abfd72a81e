"""Works: registration with co-holders, identifiers and fingerprint; CMO mandates."""

from __future__ import annotations

import base64
import binascii
from fractions import Fraction

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind, Stance, WorkType
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.fingerprint.identifiers import canonical
from trainclear.fingerprint.image import hash_hex, image_hash
from trainclear.fingerprint.text import is_fingerprint, text_fingerprint
from trainclear.fingerprint.textindex import DEFAULT, STORE_BITS, sample_text
from trainclear.schemas.works import (
    HolderPublic,
    HolderShare,
    Identifier,
    MandateUpdate,
    WorkCreate,
    WorkPublic,
)
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.store.models import Party, Work, WorkHolder, WorkIdentifier, WorkText


def register_work(p: Platform, *, actor: Actor, data: WorkCreate) -> WorkPublic:
    """Register a work for its holders (a holder registers its own; a CMO under its mandate)."""
    require_kind(actor, PartyKind.RIGHTS_HOLDER, PartyKind.CMO)
    cmo_id, stance = _mandate_for(actor, data)
    holders = [] if _unidentified(actor, data) else _holders_for(actor, data.holders)
    fingerprint = _fingerprint_for(data)
    now = p.now()
    with p.db.transaction() as s:
        _check_parties(s, [h for h, _ in holders], PartyKind.RIGHTS_HOLDER)
        if cmo_id is not None:
            _check_parties(s, [cmo_id], PartyKind.CMO)
        work = Work(
            image_hash=_image_hash_for(data),
            type=data.type,
            title=data.title,
            fingerprint=fingerprint,
            characters=len(data.text) if data.text is not None else None,
            registered_by=actor.party_id,
            cmo_id=cmo_id,
            cmo_stance=stance,
            created_at=now,
        )
        work.holders = [
            WorkHolder(holder_id=h, share_num=sh.numerator, share_den=sh.denominator)
            for h, sh in holders
        ]
        work.identifiers = _identifiers(s, data.identifiers)
        s.add(work)
        s.flush()
        if data.text is not None:
            s.add(text_row(work.id, data.text))
        record_event(
            s,
            at=now,
            kind="work.registered",
            subject=f"work:{work.id}",
            actor=actor,
            payload={
                "title": work.title,
                "fingerprint": fingerprint,
                "holders": [[h, str(sh)] for h, sh in holders],
            },
        )
        return work_public(work)


def set_mandate(p: Platform, *, actor: Actor, work_id: int, data: MandateUpdate) -> WorkPublic:
    """A holder grants, changes or ends a CMO mandate; the mandated CMO may change its stance."""
    now = p.now()
    with p.db.transaction() as s:
        work = get_or_404(s, Work, work_id, "work")
        is_holder = any(h.holder_id == actor.party_id for h in work.holders)
        cmo_changes_stance = actor.party_id == work.cmo_id and data.cmo_id == work.cmo_id
        if not (is_holder or cmo_changes_stance):
            raise Forbidden("work.not_holder", party_id=actor.party_id, work_id=work_id)
        if data.cmo_id is not None:
            _check_parties(s, [data.cmo_id], PartyKind.CMO)
        work.cmo_id = data.cmo_id
        work.cmo_stance = (data.cmo_stance or Stance.DEFAULT_LICENCE) if data.cmo_id else None
        record_event(
            s,
            at=now,
            kind="work.mandate_set",
            subject=f"work:{work.id}",
            actor=actor,
            payload={"cmo_id": work.cmo_id, "cmo_stance": work.cmo_stance},
        )
        return work_public(work)


def get_work(p: Platform, *, work_id: int) -> WorkPublic:
    with p.db.transaction() as s:
        return work_public(get_or_404(s, Work, work_id, "work"))


def list_works(
    p: Platform, *, holder_id: int | None = None, cmo_id: int | None = None, query: str = ""
) -> list[WorkPublic]:
    """Works, filtered by holder, CMO repertoire, and title or identifier text."""
    with p.db.transaction() as s:
        stmt = select(Work).order_by(Work.id)
        if holder_id is not None:
            stmt = stmt.where(Work.holders.any(WorkHolder.holder_id == holder_id))
        if cmo_id is not None:
            stmt = stmt.where(Work.cmo_id == cmo_id)
        if query:
            like = f"%{query}%"
            stmt = stmt.where(
                or_(Work.title.ilike(like), Work.identifiers.any(WorkIdentifier.value.ilike(like)))
            )
        return [work_public(w) for w in s.scalars(stmt)]


def text_row(work_id: int, text: str) -> WorkText:
    """The sampled n-grams of a work's text at the densest setting, as stored (the text
    itself is not kept); snapshots take the subset their setting needs."""
    sample = sample_text(text, DEFAULT.strict())
    return WorkText(
        work_id=work_id,
        sample_bits=STORE_BITS,
        length=sample.length,
        folded_length=sample.folded_length,
        keys=sample.keys.astype("<u4").tobytes(),
        positions=sample.fpos.astype("<u4").tobytes(),
        levels=sample.level.astype(np.uint8).tobytes(),
    )


def acts_for_work(actor: Actor, work: Work) -> bool:
    """Whether the actor is a holder of the work or the CMO holding its mandate."""
    if actor.kind == PartyKind.CMO:
        return work.cmo_id == actor.party_id
    return any(h.holder_id == actor.party_id for h in work.holders)


def work_public(work: Work) -> WorkPublic:
    return WorkPublic(
        id=work.id,
        type=WorkType(work.type),
        title=work.title,
        fingerprint=work.fingerprint,
        image_hash=work.image_hash,
        characters=work.characters,
        identifiers=[Identifier(scheme=i.scheme, value=i.value) for i in work.identifiers],
        holders=[
            HolderPublic(holder_id=h.holder_id, share=str(Fraction(h.share_num, h.share_den)))
            for h in work.holders
        ],
        cmo_id=work.cmo_id,
        cmo_stance=Stance(work.cmo_stance) if work.cmo_stance else None,
        registered_by=work.registered_by,
        created_at=work.created_at,
    )


def parse_share(text: str) -> Fraction:
    """Parse ``1``, ``0.5``, ``1/3`` or ``50%`` exactly; ValidationFailed outside (0, 1]."""
    try:
        value = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationFailed("work.share_invalid", share=text) from exc
    if not 0 < value <= 1:
        raise ValidationFailed("work.share_invalid", share=text)
    return value


def _unidentified(actor: Actor, data: WorkCreate) -> bool:
    """A CMO's repertoire work with no identified holder (its distributions go to the reserve)."""
    if not data.holder_unidentified:
        return False
    if actor.kind != PartyKind.CMO:
        raise Forbidden("auth.wrong_kind", expected=str(PartyKind.CMO), actual=str(actor.kind))
    if data.holders:
        raise ValidationFailed(
            "invalid", field="holders", problem="a work with an unidentified holder lists none"
        )
    return True


def _holders_for(actor: Actor, given: list[HolderShare]) -> list[tuple[int, Fraction]]:
    if not given and actor.kind == PartyKind.RIGHTS_HOLDER:
        given = [HolderShare(holder_id=actor.party_id, share="1")]
    holders = [(h.holder_id, parse_share(h.share)) for h in given]
    seen: set[int] = set()
    for holder_id, _ in holders:
        if holder_id in seen:
            raise ValidationFailed("work.holder_duplicate", holder_id=holder_id)
        seen.add(holder_id)
    total = sum((share for _, share in holders), Fraction(0))
    if total != 1:
        raise ValidationFailed("work.shares_sum", total=str(total))
    if actor.kind == PartyKind.RIGHTS_HOLDER and actor.party_id not in seen:
        raise Forbidden("work.registrant_not_holder")
    return holders


def _mandate_for(actor: Actor, data: WorkCreate) -> tuple[int | None, str | None]:
    cmo_id = data.cmo_id
    if actor.kind == PartyKind.CMO:
        if cmo_id not in (None, actor.party_id):
            raise Forbidden("work.cmo_registers_own_mandate")
        cmo_id = actor.party_id
    if cmo_id is None:
        return None, None
    return cmo_id, str(data.cmo_stance or Stance.DEFAULT_LICENCE)


def _fingerprint_for(data: WorkCreate) -> str | None:
    if data.text is not None:
        return text_fingerprint(data.text)
    if data.fingerprint is not None:
        if not is_fingerprint(data.fingerprint):
            raise ValidationFailed("invalid", field="fingerprint", problem="not sha256:<64 hex>")
        return data.fingerprint
    needs_content = data.type in (WorkType.TEXT, WorkType.CODE, WorkType.IMAGE)
    if needs_content and data.image is None and not data.identifiers:
        raise ValidationFailed("work.no_content")
    return None


def _image_hash_for(data: WorkCreate) -> str | None:
    """The perceptual hash of an image work's file (the file itself is not kept)."""
    if data.image is None:
        return None
    if data.type != WorkType.IMAGE:
        raise ValidationFailed("invalid", field="image", problem="only image works carry an image")
    try:
        raw = base64.b64decode(data.image, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed("invalid", field="image", problem="not base64") from exc
    return hash_hex(image_hash(raw))


def _identifiers(s: Session, given: list[Identifier]) -> list[WorkIdentifier]:
    rows: dict[tuple[str, str], WorkIdentifier] = {}
    for ident in given:
        try:
            value = canonical(ident.scheme, ident.value)
        except ValueError as exc:
            raise ValidationFailed(
                "work.identifier_invalid", scheme=str(ident.scheme), value=ident.value
            ) from exc
        taken = s.scalar(
            select(WorkIdentifier.work_id).where(
                WorkIdentifier.scheme == ident.scheme, WorkIdentifier.value == value
            )
        )
        if taken is not None:
            raise Conflict(
                "work.identifier_taken", scheme=str(ident.scheme), value=value, work_id=taken
            )
        rows[(ident.scheme, value)] = WorkIdentifier(scheme=ident.scheme, value=value)
    return list(rows.values())


def _check_parties(s: Session, ids: list[int], kind: PartyKind) -> None:
    for party_id in ids:
        party = get_or_404(s, Party, party_id, "party")
        if party.kind != kind:
            raise ValidationFailed("party.kind", id=party_id, actual=party.kind, expected=str(kind))
