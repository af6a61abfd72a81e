"""A CMO's distribution settings: fee schedule, minimum payout, reserve claim period and policy.

Settings are public (a CMO's fee and rules are part of what it publishes) and only the
CMO changes its own. A CMO that has set none distributes in CNY with no fee, no payout
threshold, a claim period of 3 years and expired reserve returned to the use pool.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind
from trainclear.errors import ValidationFailed
from trainclear.royalties import DEFAULT_CLAIM_YEARS, FeeSchedule, ReservePolicy
from trainclear.royalties.money import check_currency
from trainclear.schemas.tariffs import CmoSettingsPublic, CmoSettingsUpdate, FeeBracketPublic
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.store.models import CmoSettings, Party

DEFAULT_CURRENCY = "CNY"


@dataclass(frozen=True, slots=True, kw_only=True)
class DistributionRules:
    """What a run needs from the settings, as engine values."""

    currency: str
    fee_schedule: FeeSchedule
    minimum_payout: int
    reserve_claim_years: int
    reserve_policy: ReservePolicy


DEFAULT_RULES = DistributionRules(
    currency=DEFAULT_CURRENCY,
    fee_schedule=FeeSchedule.flat(0),
    minimum_payout=0,
    reserve_claim_years=DEFAULT_CLAIM_YEARS,
    reserve_policy=ReservePolicy.USE_POOL,
)


def set_cmo_settings(p: Platform, *, actor: Actor, data: CmoSettingsUpdate) -> CmoSettingsPublic:
    """The CMO sets its own distribution settings (they apply to its later runs)."""
    require_kind(actor, PartyKind.CMO)
    check_currency(data.currency)
    schedule = FeeSchedule.of(b.model_dump() for b in data.fee_schedule)
    now = p.now()
    with p.db.transaction() as s:
        row = s.get(CmoSettings, actor.party_id) or CmoSettings(cmo_id=actor.party_id)
        row.currency = data.currency
        row.fee_schedule = schedule.to_list()
        row.minimum_payout = data.minimum_payout
        row.reserve_claim_years = data.reserve_claim_years
        row.reserve_policy = str(data.reserve_policy)
        row.updated_at = now
        s.add(row)
        public = _public(actor.party_id, row)
        record_event(
            s,
            at=now,
            kind="cmo.settings_set",
            subject=f"party:{actor.party_id}",
            actor=actor,
            payload=public.model_dump(mode="json", exclude={"updated_at"}),
        )
        return public


def get_cmo_settings(p: Platform, *, cmo_id: int) -> CmoSettingsPublic:
    """A CMO's settings (public), or the defaults it distributes with when it has set none."""
    with p.db.transaction() as s:
        party = get_or_404(s, Party, cmo_id, "party")
        if party.kind != PartyKind.CMO:
            raise ValidationFailed(
                "party.kind", id=cmo_id, actual=party.kind, expected=str(PartyKind.CMO)
            )
        return _public(cmo_id, s.get(CmoSettings, cmo_id))


def rules_of(s: Session, cmo_id: int) -> DistributionRules:
    """The engine values of a CMO's settings (the defaults when it has set none)."""
    return _rules(s.get(CmoSettings, cmo_id))


def _rules(row: CmoSettings | None) -> DistributionRules:
    if row is None:
        return DEFAULT_RULES
    return DistributionRules(
        currency=row.currency,
        fee_schedule=FeeSchedule.of(row.fee_schedule),
        minimum_payout=row.minimum_payout,
        reserve_claim_years=row.reserve_claim_years,
        reserve_policy=ReservePolicy(row.reserve_policy),
    )


def _public(cmo_id: int, row: CmoSettings | None) -> CmoSettingsPublic:
    rules = _rules(row)
    return CmoSettingsPublic(
        cmo_id=cmo_id,
        currency=rules.currency,
        fee_schedule=[FeeBracketPublic(**b) for b in rules.fee_schedule.to_list()],
        minimum_payout=rules.minimum_payout,
        reserve_claim_years=rules.reserve_claim_years,
        reserve_policy=rules.reserve_policy,
        updated_at=row.updated_at if row else None,
    )
