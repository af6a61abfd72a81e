"""The CMO console, part one: its repertoire, its tariffs and its distribution settings.

Invoices and distribution runs are in :mod:`.cmo_runs`. Every page admits only a CMO and
shows only its own records: the services scope each query to the signed-in party.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Form, Query
from starlette.responses import Response

from trainclear.domain import Stance, WorkType
from trainclear.errors import TrainclearError
from trainclear.fingerprint.identifiers import Scheme
from trainclear.royalties import ReservePolicy, Unit
from trainclear.schemas.tariffs import CmoSettingsUpdate, TariffCreate, TariffEnd
from trainclear.schemas.works import MandateUpdate, WorkCreate
from trainclear.services import cmo_settings, cmo_views, tariffs, works
from trainclear.web.pages.deps import CmoPage, page_router
from trainclear.web.pages.forms import build, optional_int
from trainclear.web.pages.page import Page

router = page_router()

Field = Annotated[str, Form()]
Fields = Annotated[list[str] | None, Form()]
SCHEDULES = 2
TIERS = 3
FEE_BRACKETS = 3
HOLDER_ROWS = 2


@router.get("/cmo/repertoire")
def repertoire(
    page: CmoPage,
    q: Annotated[str, Query(max_length=200)] = "",
    n: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    found = cmo_views.repertoire(page.platform, actor=page.actor, query=q, page=n)
    return page.render("cmo/repertoire.html", results=found, stances=list(Stance))


@router.post("/cmo/repertoire/{work_id}/stance")
def change_stance(page: CmoPage, work_id: int, stance: Field = "") -> Response:
    data = build(MandateUpdate, cmo_id=page.actor.party_id, cmo_stance=stance)
    works.set_mandate(page.platform, actor=page.actor, work_id=work_id, data=data)
    return page.redirect("/cmo/repertoire", flash="flash.stance_changed", n=work_id)


@router.get("/cmo/repertoire/new")
def new_work_form(page: CmoPage) -> Response:
    return _work_form(page, None, {})


@router.post("/cmo/repertoire/new")
def register_work(
    page: CmoPage,
    type: Field = "text",
    title: Field = "",
    text: Field = "",
    scheme: Field = "",
    identifier: Field = "",
    stance: Field = Stance.DEFAULT_LICENCE.value,
    unidentified: Field = "",
    holder: Fields = None,
    share: Fields = None,
) -> Response:
    form = {"type": type, "title": title, "text": text, "scheme": scheme}
    form |= {"identifier": identifier, "stance": stance, "unidentified": unidentified}
    try:
        holders = [
            {"holder_id": optional_int(h, field="holder"), "share": sh.strip() or "1"}
            for h, sh in zip(holder or [], share or [], strict=False)
            if h.strip()
        ]
        ids = [{"scheme": scheme, "value": identifier.strip()}] if identifier.strip() else []
        data = build(
            WorkCreate,
            type=type,
            title=title.strip(),
            text=text if text.strip() else None,
            identifiers=ids,
            holders=holders,
            cmo_stance=stance,
            holder_unidentified=bool(unidentified),
        )
        work = works.register_work(page.platform, actor=page.actor, data=data)
    except TrainclearError as exc:
        return _work_form(page, exc, form)
    return page.redirect("/cmo/repertoire", flash="flash.work_registered", n=work.id)


def _work_form(page: Page, error: TrainclearError | None, form: Mapping[str, str]) -> Response:
    return page.render(
        "cmo/work_new.html",
        status=error.status if error else 200,
        error=error.message(page.lang) if error else None,
        form=form,
        types=list(WorkType),
        schemes=list(Scheme),
        stances=list(Stance),
        holder_rows=HOLDER_ROWS,
    )


@router.get("/cmo/tariffs")
def tariff_list(page: CmoPage) -> Response:
    return _tariffs_page(page, None, {})


@router.post("/cmo/tariffs")
def create_tariff(
    page: CmoPage,
    code: Field = "",
    title: Field = "",
    currency: Field = "CNY",
    effective_from: Field = "",
    effective_to: Field = "",
    work_type: Fields = None,
    unit: Fields = None,
    minimum_fee: Fields = None,
    up_to: Fields = None,
    rate: Fields = None,
) -> Response:
    form: dict[str, object] = {"code": code, "title": title, "currency": currency}
    form |= {"effective_from": effective_from, "effective_to": effective_to}
    form |= {"work_type": work_type or [], "unit": unit or [], "minimum_fee": minimum_fee or []}
    form |= {"up_to": up_to or [], "rate": rate or []}
    try:
        data = build(
            TariffCreate,
            code=code.strip(),
            title=title.strip(),
            currency=currency.strip().upper(),
            effective_from=effective_from or None,
            effective_to=effective_to or None,
            schedules=_schedules(work_type, unit, minimum_fee, up_to, rate),
        )
        made = tariffs.create_tariff(page.platform, actor=page.actor, data=data)
    except TrainclearError as exc:
        return _tariffs_page(page, exc, form)
    return page.redirect("/cmo/tariffs", flash="flash.tariff_created", n=made.id)


@router.post("/cmo/tariffs/{tariff_id}/end")
def end_tariff(page: CmoPage, tariff_id: int, effective_to: Field = "") -> Response:
    try:
        data = build(TariffEnd, effective_to=effective_to or None)
        tariffs.end_tariff(page.platform, actor=page.actor, tariff_id=tariff_id, data=data)
    except TrainclearError as exc:
        return _tariffs_page(page, exc, {})
    return page.redirect("/cmo/tariffs", flash="flash.tariff_ended", n=tariff_id)


def _schedules(
    work_type: list[str] | None,
    unit: list[str] | None,
    minimum_fee: list[str] | None,
    up_to: list[str] | None,
    rate: list[str] | None,
) -> list[dict[str, object]]:
    """The schedule rows the form filled in (a work type chosen), each with its rated tiers."""
    out = []
    for i, kind in enumerate(work_type or []):
        if not kind:
            continue
        bounds = (up_to or [])[i * TIERS : (i + 1) * TIERS]
        rates = (rate or [])[i * TIERS : (i + 1) * TIERS]
        tiers = [
            {"up_to": bound.strip() or None, "rate": r.strip()}
            for bound, r in zip(bounds, rates, strict=False)
            if r.strip()
        ]
        fee = optional_int(_at(minimum_fee, i), field="minimum_fee") or 0
        out.append({"work_type": kind, "unit": _at(unit, i), "minimum_fee": fee, "tiers": tiers})
    return out


def _at(values: list[str] | None, i: int) -> str:
    return values[i] if values and i < len(values) else ""


def _tariffs_page(
    page: Page, error: TrainclearError | None, form: Mapping[str, object]
) -> Response:
    return page.render(
        "cmo/tariffs.html",
        status=error.status if error else 200,
        error=error.message(page.lang) if error else None,
        form=form,
        tariffs=tariffs.list_tariffs(page.platform, cmo_id=page.actor.party_id),
        today=page.platform.now().date(),
        types=list(WorkType),
        units=list(Unit),
        schedules=SCHEDULES,
        tiers=TIERS,
    )


@router.get("/cmo/settings")
def settings_form(page: CmoPage) -> Response:
    return _settings_page(page, None, None)


@router.post("/cmo/settings")
def save_settings(
    page: CmoPage,
    currency: Field = "CNY",
    up_to: Fields = None,
    rate: Fields = None,
    minimum_payout: Field = "0",
    reserve_claim_years: Field = "",
    reserve_policy: Field = "",
) -> Response:
    form: dict[str, object] = {"currency": currency, "minimum_payout": minimum_payout}
    form |= {"reserve_claim_years": reserve_claim_years, "reserve_policy": reserve_policy}
    pairs = list(zip(up_to or [], rate or [], strict=False))
    form["brackets"] = pairs
    try:
        brackets = [
            {"up_to": optional_int(bound, field="up_to"), "rate": r.strip()}
            for bound, r in pairs
            if r.strip()
        ]
        data = build(
            CmoSettingsUpdate,
            currency=currency.strip().upper(),
            fee_schedule=brackets,
            minimum_payout=minimum_payout.strip() or "0",
            reserve_claim_years=reserve_claim_years.strip(),
            reserve_policy=reserve_policy,
        )
        cmo_settings.set_cmo_settings(page.platform, actor=page.actor, data=data)
    except TrainclearError as exc:
        return _settings_page(page, exc, form)
    return page.redirect("/cmo/settings", flash="flash.settings_saved")


def _settings_page(
    page: Page, error: TrainclearError | None, form: Mapping[str, object] | None
) -> Response:
    """The form shows what was submitted after an error, else the CMO's current rules."""
    current = cmo_settings.get_cmo_settings(page.platform, cmo_id=page.actor.party_id)
    shown = form or {
        "currency": current.currency,
        "minimum_payout": str(current.minimum_payout),
        "reserve_claim_years": str(current.reserve_claim_years),
        "reserve_policy": str(current.reserve_policy),
        "brackets": [(b.up_to or "", b.rate) for b in current.fee_schedule],
    }
    return page.render(
        "cmo/settings.html",
        status=error.status if error else 200,
        error=error.message(page.lang) if error else None,
        form=shown,
        settings=current,
        brackets=FEE_BRACKETS,
        policies=list(ReservePolicy),
    )
