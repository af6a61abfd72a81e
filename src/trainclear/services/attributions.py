"""Output-attribution scores (输出归因): a licensee's second pool for a CMO's distribution.

A developer that holds an invoice from a CMO (a licensee) may supply, for a period, scores
per work of that CMO's repertoire and the amount of an attribution pool they split. The
CMO's run for the period takes the pool out of what it distributes and splits it by the
scores (docs/remuneration.md). Scores are exact (decimal or fraction strings, integers).
"""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from trainclear.domain import Actor, PartyKind
from trainclear.errors import Conflict, Forbidden, ValidationFailed
from trainclear.royalties import Period, exact
from trainclear.royalties.money import decimal_text
from trainclear.schemas.usage import AttributionCreate, AttributionPublic
from trainclear.services.platform import Platform, get_or_404, record_event, require_kind
from trainclear.services.remuneration import chunks, is_admin, period_of
from trainclear.store.models import (
    AttributionSubmission,
    DistributionRun,
    InvoiceLineRecord,
    InvoiceRecord,
    Party,
    Work,
)


def submit_attribution(p: Platform, *, actor: Actor, data: AttributionCreate) -> AttributionPublic:
    """A licensee supplies scores and an attribution pool to a CMO for a period not yet run."""
    require_kind(actor, PartyKind.DEVELOPER)
    period = Period.parse(data.period)
    scores = {w: exact(v, f"scores[{w}]") for w, v in sorted(data.scores.items())}
    if data.amount and not any(scores.values()):
        raise ValidationFailed("royalties.nothing_to_allocate", field="scores")
    now = p.now()
    with p.db.transaction() as s:
        _check_cmo(s, data.cmo_id)
        _check_licensee(s, actor.party_id, data.cmo_id)
        _check_repertoire(s, data.cmo_id, list(scores))
        _check_not_distributed(s, data.cmo_id, period)
        if _existing(s, actor.party_id, data.cmo_id, period) is not None:
            raise Conflict(
                "remuneration.attribution_exists",
                developer_id=actor.party_id,
                cmo_id=data.cmo_id,
                period=str(period),
            )
        row = AttributionSubmission(
            developer_id=actor.party_id,
            cmo_id=data.cmo_id,
            period_start=period.start,
            period_end=period.end,
            amount=data.amount,
            scores={str(w): decimal_text(v) for w, v in scores.items()},
            submitted_at=now,
        )
        s.add(row)
        s.flush()
        public = attribution_public(row)
        record_event(
            s,
            at=now,
            kind="attribution.submitted",
            subject=f"attribution:{row.id}",
            actor=actor,
            payload=public.model_dump(mode="json", exclude={"submitted_at"}),
        )
        return public


def list_attributions(p: Platform, *, viewer: Actor) -> list[AttributionPublic]:
    """A developer's own submissions, a CMO's received ones, all for the administration."""
    with p.db.transaction() as s:
        stmt = select(AttributionSubmission).order_by(AttributionSubmission.id)
        if not is_admin(viewer):
            stmt = stmt.where(
                or_(
                    AttributionSubmission.developer_id == viewer.party_id,
                    AttributionSubmission.cmo_id == viewer.party_id,
                )
            )
        return [attribution_public(row) for row in s.scalars(stmt)]


def scores_in(s: Session, *, cmo_id: int, period: Period) -> tuple[int, dict[int, Fraction]]:
    """The attribution pool and scores a run of ``period`` takes: the submissions inside it.

    One submission is used as given. Several are combined so that each pool is split by
    its own scores: work ``w`` weighs ``Σ amount × score_w / Σ scores`` (exact), which
    together split the summed pools as the separate pools would (up to rounding).
    """
    rows = list(
        s.scalars(
            select(AttributionSubmission)
            .where(
                AttributionSubmission.cmo_id == cmo_id,
                AttributionSubmission.period_start >= period.start,
                AttributionSubmission.period_end <= period.end,
            )
            .order_by(AttributionSubmission.id)
        )
    )
    parsed = [(r.amount, {int(w): exact(v, "scores") for w, v in r.scores.items()}) for r in rows]
    if len(parsed) == 1:
        return parsed[0]
    combined: dict[int, Fraction] = {}
    for amount, scores in parsed:
        total = sum(scores.values(), Fraction(0))
        for work_id, score in scores.items():
            weight = amount * score / total if total else Fraction(0)
            combined[work_id] = combined.get(work_id, Fraction(0)) + weight
    return sum(a for a, _ in parsed), combined


def attribution_public(row: AttributionSubmission) -> AttributionPublic:
    return AttributionPublic(
        id=row.id,
        developer_id=row.developer_id,
        cmo_id=row.cmo_id,
        period=str(period_of(row.period_start, row.period_end)),
        amount=row.amount,
        scores={int(w): v for w, v in row.scores.items()},
        submitted_at=row.submitted_at,
    )


def in_repertoire(s: Session, cmo_id: int, work_ids: list[int]) -> set[int]:
    """Which of ``work_ids`` the CMO manages: its mandates, and works it has invoiced for."""
    found: set[int] = set()
    for ids in chunks(work_ids):
        found |= set(s.scalars(select(Work.id).where(Work.id.in_(ids), Work.cmo_id == cmo_id)))
        invoiced = (
            select(InvoiceLineRecord.work_id)
            .join(InvoiceRecord, InvoiceRecord.id == InvoiceLineRecord.invoice_id)
            .where(InvoiceRecord.cmo_id == cmo_id, InvoiceLineRecord.work_id.in_(ids))
        )
        found |= set(s.scalars(invoiced))
    return found


def _check_cmo(s: Session, cmo_id: int) -> None:
    party = get_or_404(s, Party, cmo_id, "party")
    if party.kind != PartyKind.CMO:
        raise ValidationFailed("party.kind", id=cmo_id, actual=party.kind, expected="cmo")


def _check_licensee(s: Session, developer_id: int, cmo_id: int) -> None:
    invoiced = s.scalar(
        select(InvoiceRecord.id)
        .where(InvoiceRecord.developer_id == developer_id, InvoiceRecord.cmo_id == cmo_id)
        .limit(1)
    )
    if invoiced is None:
        raise Forbidden("remuneration.not_licensee", developer_id=developer_id, cmo_id=cmo_id)


def _check_repertoire(s: Session, cmo_id: int, work_ids: list[int]) -> None:
    managed = in_repertoire(s, cmo_id, work_ids)
    for work_id in work_ids:
        if work_id not in managed:
            raise ValidationFailed("remuneration.not_repertoire", work_id=work_id, cmo_id=cmo_id)


def _check_not_distributed(s: Session, cmo_id: int, period: Period) -> None:
    run = s.scalars(
        select(DistributionRun).where(
            DistributionRun.cmo_id == cmo_id,
            DistributionRun.period_start <= period.end,
            DistributionRun.period_end >= period.start,
        )
    ).first()
    if run is not None:
        raise Conflict(
            "royalties.period_distributed",
            cmo_id=cmo_id,
            period=str(period_of(run.period_start, run.period_end)),
            run=run.input_hash[:12],
        )


def _existing(
    s: Session, developer_id: int, cmo_id: int, period: Period
) -> AttributionSubmission | None:
    return s.scalars(
        select(AttributionSubmission).where(
            AttributionSubmission.developer_id == developer_id,
            AttributionSubmission.cmo_id == cmo_id,
            AttributionSubmission.period_start == period.start,
            AttributionSubmission.period_end == period.end,
        )
    ).first()
