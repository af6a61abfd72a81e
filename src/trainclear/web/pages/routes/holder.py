"""The rights holder's portal: works, opt-outs, notices using one's works, objections.

The objection form (``/notices/{id}/object``) also serves a CMO, for works under its
mandate: the service decides which works each party may object to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import File, Form, UploadFile
from starlette.responses import Response

from trainclear.domain import OptOutScope, Purpose, WorkType
from trainclear.errors import TrainclearError, ValidationFailed
from trainclear.fingerprint.identifiers import Scheme
from trainclear.schemas.board import BoardQuery
from trainclear.schemas.notices import ObjectionCreate
from trainclear.schemas.optouts import OptOutCreate
from trainclear.schemas.works import WorkCreate
from trainclear.services import board, objections, optouts, portal_views, works
from trainclear.web.pages.deps import HolderPage, ObjectorPage, page_router
from trainclear.web.pages.forms import build, int_list, optional_int, upload_base64, upload_text
from trainclear.web.pages.page import Page

router = page_router()

Field = Annotated[str, Form()]
Fields = Annotated[list[str] | None, Form()]
Upload = Annotated[UploadFile | None, File()]
IDENTIFIER_ROWS = 3
CO_HOLDER_ROWS = 3


@router.get("/holder/works")
def my_works(page: HolderPage) -> Response:
    mine = works.list_works(page.platform, holder_id=page.actor.party_id)
    return page.render("holder/works.html", works=mine)


@router.get("/holder/works/new")
def new_work_form(page: HolderPage) -> Response:
    return _work_form(page, None, {})


@router.post("/holder/works/new")
def register_work(
    page: HolderPage,
    type: Field = "text",
    title: Field = "",
    text: Field = "",
    text_file: Upload = None,
    image_file: Upload = None,
    scheme: Fields = None,
    identifier: Fields = None,
    my_share: Field = "1",
    co_holder: Fields = None,
    co_share: Fields = None,
) -> Response:
    form = {"type": type, "title": title, "text": text, "my_share": my_share}
    try:
        ids = [
            {"scheme": sch, "value": value.strip()}
            for sch, value in zip(scheme or [], identifier or [], strict=False)
            if sch and value.strip()
        ]
        others = [
            {"holder_id": optional_int(h, field="co_holder"), "share": sh.strip() or "0"}
            for h, sh in zip(co_holder or [], co_share or [], strict=False)
            if h.strip()
        ]
        holders = [{"holder_id": page.actor.party_id, "share": my_share.strip()}, *others]
        data = build(
            WorkCreate,
            type=type,
            title=title.strip(),
            text=upload_text(text_file, field="text_file") or (text if text.strip() else None),
            image=upload_base64(image_file, field="image_file"),
            identifiers=ids,
            holders=holders,
        )
        work = works.register_work(page.platform, actor=page.actor, data=data)
    except TrainclearError as exc:
        return _work_form(page, exc, form)
    return page.redirect("/holder/works", flash="flash.work_registered", n=work.id)


def _work_form(page: Page, error: TrainclearError | None, form: dict[str, str]) -> Response:
    return page.render(
        "holder/work_new.html",
        status=error.status if error else 200,
        error=error.message(page.lang) if error else None,
        form=form,
        types=list(WorkType),
        schemes=list(Scheme),
        identifier_rows=IDENTIFIER_ROWS,
        co_holder_rows=CO_HOLDER_ROWS,
    )


@router.get("/holder/opt-outs")
def my_opt_outs(page: HolderPage) -> Response:
    return _opt_outs_page(page, None, {})


@router.post("/holder/opt-outs")
def declare_opt_out(
    page: HolderPage,
    scope: Field = "",
    work_id: Field = "",
    target: Field = "",
    purpose: Field = Purpose.AI_TRAINING.value,
) -> Response:
    form = {"scope": scope, "work_id": work_id, "target": target, "purpose": purpose}
    try:
        fields: dict[str, object] = {"scope": scope, "purpose": purpose}
        if scope == OptOutScope.WORK:
            fields["work_id"] = optional_int(work_id, field="work_id")
        elif scope in (OptOutScope.URL_PREFIX, OptOutScope.DOMAIN):
            fields["target"] = target.strip()
        data = build(OptOutCreate, **fields)
        row = optouts.declare_opt_out(page.platform, actor=page.actor, data=data)
    except TrainclearError as exc:
        return _opt_outs_page(page, exc, form)
    return page.redirect("/holder/opt-outs", flash="flash.opt_out_declared", n=row.id)


@router.post("/holder/opt-outs/{opt_out_id}/withdraw")
def withdraw_opt_out(page: HolderPage, opt_out_id: int) -> Response:
    optouts.withdraw_opt_out(page.platform, actor=page.actor, opt_out_id=opt_out_id)
    return page.redirect("/holder/opt-outs", flash="flash.opt_out_withdrawn", n=opt_out_id)


def _opt_outs_page(page: Page, error: TrainclearError | None, form: dict[str, str]) -> Response:
    me = page.actor.party_id
    return page.render(
        "holder/opt_outs.html",
        status=error.status if error else 200,
        error=error.message(page.lang) if error else None,
        form=form,
        opt_outs=optouts.list_opt_outs(page.platform, declared_by=me, include_withdrawn=True),
        works=works.list_works(page.platform, holder_id=me),
        scopes=list(OptOutScope),
        purposes=list(Purpose),
    )


@router.get("/holder/notices")
def notices_using_my_works(page: HolderPage, n: int = 1) -> Response:
    query = build(BoardQuery, page=n)
    results = board.search_board(page.platform, query=query, scope="holding", viewer=page.actor)
    return page.render("holder/notices.html", results=results)


@router.get("/holder/objections")
def my_objections(page: HolderPage) -> Response:
    rows = portal_views.objections_by(page.platform, actor=page.actor)
    return page.render("holder/objections.html", objections=rows)


@router.get("/notices/{notice_id}/object")
def objection_form(page: ObjectorPage, notice_id: int) -> Response:
    return _objection_page(page, notice_id, None, {})


@router.post("/notices/{notice_id}/object")
def file_objection(
    page: ObjectorPage,
    notice_id: int,
    choice: Field = "all",
    work_id: Fields = None,
    reason: Field = "",
) -> Response:
    form = {"choice": choice, "reason": reason, "work_ids": work_id or []}
    try:
        chosen = None
        if choice != "all":
            chosen = int_list(" ".join(work_id or []), field="work_id")
            if not chosen:
                raise ValidationFailed("web.choose_works")
        data = build(ObjectionCreate, work_ids=chosen, reason=reason.strip())
        filed = objections.file_objection(
            page.platform, actor=page.actor, notice_id=notice_id, data=data
        )
    except TrainclearError as exc:
        return _objection_page(page, notice_id, exc, form)
    return page.redirect(f"/notices/{notice_id}", flash="flash.objection_filed", n=len(filed))


def _objection_page(
    page: Page, notice_id: int, error: TrainclearError | None, form: Mapping[str, object]
) -> Response:
    targets = board.objection_targets(page.platform, notice_id=notice_id, actor=page.actor)
    return page.render(
        "holder/object.html",
        status=error.status if error else 200,
        error=error.message(page.lang) if error else None,
        form=form,
        targets=targets,
        notice=targets.notice,
    )
