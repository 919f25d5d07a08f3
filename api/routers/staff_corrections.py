"""Console pages for corrections («Sửa lỗi»): assign the right procedure or intent to a question the
assistant failed, «Áp dụng» them to the running search and re-ask, and export them as YAML."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep
from api.staff import audit
from api.staff import corrections as store
from api.staff.access import ConsoleDep, EditorDep, SameOrigin, Staff, StaffUserDep
from api.staff.corrections_apply import Check, apply_pending, load_overlay, recheck
from api.staff.corrections_export import export_yaml
from api.staff.pages import SECURITY_HEADERS, render
from api.staff.rasa_client import RasaClient
from api.staff.users import EDIT
from index.search_service import SearchService

router = APIRouter(prefix="/staff", tags=["staff"], include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]  # what an INTEGER column holds, in SQLite and PostgreSQL
QuestionQ = Annotated[str, Query(max_length=store.MAX_QUESTION)]
ShortQ = Annotated[str, Query(max_length=300)]


def _search(request: Request) -> SearchService | None:
    return getattr(request.app.state, "search", None)


def _page(
    request: Request,
    console: ConsoleDep,
    status: int = 200,
    checks: list[Check] | None = None,
    error: str | None = None,
    notice: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    items = store.current(console.db)
    return render(
        request,
        "corrections.html",
        status,
        page="corrections",
        pending=[c for c in items if c.applied_at is None],
        applied=[c for c in items if c.applied_at is not None],
        checks=checks,
        intents=[(i, store.INTENT_LABELS.get(i, i)) for i in store.domain_intents()],
        sources=store.SOURCES,
        can_edit=request.state.staff_user.can(EDIT),
        error=error,
        notice=notice,
        form={"question": "", "code": "", "intent": "", "source": "console", "ref": "", **(form or {})},
    )


@router.get("/corrections")
def corrections_page(
    request: Request,
    console: ConsoleDep,
    user: StaffUserDep,
    question: QuestionQ = "",
    code: Annotated[str, Query(max_length=64)] = "",
    source: Annotated[str, Query(max_length=32)] = "console",
    ref: ShortQ = "",
) -> Response:
    """The corrections in force; the form comes prefilled from a link on the other pages."""
    return _page(request, console, form={"question": question, "code": code, "source": source, "ref": ref})


@router.post("/corrections", dependencies=[Staff, SameOrigin])
async def add_correction(request: Request, console: ConsoleDep, store_: StoreDep, user: EditorDep) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "")[:1000] for k in ("question", "code", "intent", "source", "ref")}
    try:
        item = await run_in_threadpool(
            store.add,
            console.db,
            store_,
            user,
            values["question"],
            code=values["code"],
            intent=values["intent"],
            source=values["source"],
            source_ref=values["ref"],
        )
    except store.CorrectionError as exc:
        return await run_in_threadpool(_page, request, console, 400, None, str(exc), None, values)
    action = "gán thủ tục" if item.kind == store.PROCEDURE else "gán ý định"
    detail = {"câu hỏi": item.question, "nguồn": store.SOURCES[item.source], "tham chiếu": item.source_ref}
    await run_in_threadpool(audit.record, console.db, user, action, item.target, detail)
    return RedirectResponse("/staff/corrections", status_code=303)


@router.post("/corrections/apply", dependencies=[Staff, SameOrigin])
async def apply_corrections(request: Request, console: ConsoleDep, settings: SettingsDep, user: EditorDep) -> Response:
    """Pending corrections into the running search (no restart), then each question asked again."""
    applied = await run_in_threadpool(apply_pending, _search(request), console.db, user)
    if not applied:
        return await run_in_threadpool(_page, request, console, 200, None, None, "Không có sửa lỗi nào đang chờ.")
    detail = {"số sửa lỗi": len(applied), "mục": [f"{c.question} → {c.target}" for c in applied][:20]}
    await run_in_threadpool(audit.record, console.db, user, "áp dụng sửa lỗi", f"{len(applied)} sửa lỗi", detail)
    token = settings.rasa_auth_token.get_secret_value()
    async with RasaClient(settings.rasa_url, token, settings.rasa_timeout_s) as rasa:
        checks = await recheck(applied, rasa, console.db, settings.rasa_timeout_s)
    passed = sum(1 for c in checks if c.passed)
    notice = f"Đã áp dụng {len(applied)} sửa lỗi vào tìm kiếm đang chạy. Hỏi lại bot: {passed}/{len(checks)} đạt."
    return await run_in_threadpool(_page, request, console, 200, checks, None, notice)


@router.post("/corrections/{correction_id}/withdraw", dependencies=[Staff, SameOrigin])
async def withdraw_correction(request: Request, correction_id: RowId, console: ConsoleDep, user: EditorDep) -> Response:
    try:
        item = await run_in_threadpool(store.withdraw, console.db, correction_id)
    except store.CorrectionError as exc:
        return await run_in_threadpool(_page, request, console, 404, None, str(exc))
    search = _search(request)
    if search is not None and item.kind == store.PROCEDURE and item.applied_at is not None:
        await run_in_threadpool(load_overlay, search, console.db)
    await run_in_threadpool(audit.record, console.db, user, "gỡ sửa lỗi", item.target, {"câu hỏi": item.question})
    return RedirectResponse("/staff/corrections", status_code=303)


@router.get("/corrections.yaml")
def corrections_export(console: ConsoleDep, user: StaffUserDep) -> Response:
    text = export_yaml(store.current(console.db), user.username)
    headers = {**SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="sua-loi-can-bo.yaml"'}
    return Response(text.encode("utf-8"), media_type="application/yaml; charset=utf-8", headers=headers)
