"""The staff test console at /staff: server-rendered pages behind staff accounts or STAFF_TOKEN
(docs/staff-console.md; who may do what: api/staff/access.py)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as FormRejected

from api.deps import SettingsDep, StoreDep
from api.settings import Settings
from api.staff import access, auth, users
from api.staff.access import DISABLED, ConsoleDep, SameOrigin, Staff
from api.staff.batch import BatchUploadError, parse_upload
from api.staff.inspection import inspect_question
from api.staff.pages import SCRIPT, SECURITY_HEADERS, STYLESHEET, render
from api.staff.rasa_client import RasaClient
from api.staff.report import report_csv
from api.staff.runner import start_batch
from api.staff.state import ConsoleState
from api.store import CatalogStore

router = APIRouter(prefix="/staff", tags=["staff"], include_in_schema=False)

# The dependencies live in api/staff/access.py; these names stay importable from here.
_console, _login_throttle = access.console, access.login_throttle


def _rasa(settings: Settings) -> RasaClient:
    return RasaClient(settings.rasa_url, settings.rasa_auth_token.get_secret_value(), settings.rasa_timeout_s)


def _safe_next(target: str | None) -> str:
    # Only pages of the console: never an absolute or protocol-relative URL (open redirect).
    if target and target.startswith("/staff") and not target.startswith("//") and "\\" not in target:
        return target
    return "/staff"


@router.get("/console.css")
def stylesheet() -> FileResponse:
    return FileResponse(STYLESHEET, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/console.js")
def script() -> FileResponse:
    return FileResponse(SCRIPT, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/login")
def login_form(request: Request, settings: SettingsDep, console: ConsoleDep, next: str | None = None) -> Response:
    enabled = access.enabled(settings, console)
    return render(
        request,
        "login.html",
        status_code=200 if enabled else 401,
        next=_safe_next(next),
        error=None if enabled else DISABLED,
        enabled=enabled,
        token_login=bool(settings.staff_token.get_secret_value()),
    )


def _session_cookie(response: Response, value: str, settings: Settings, request: Request) -> None:
    response.set_cookie(
        auth.COOKIE_NAME,
        value,
        max_age=auth.SESSION_SECONDS,
        path="/staff",
        httponly=True,
        samesite="strict",
        secure=settings.app_env == "production" or request.url.scheme == "https",
    )


def _account_session(console: ConsoleState, username: str, password: str) -> str | None:
    user = users.authenticate(console.db, username, password)
    found = users.get(console.db, user.id) if user is not None and user.id is not None else None
    if user is None or user.id is None or found is None:
        return None
    return auth.new_user_session(console.session_key, user.id, found[1])


@router.post("/login", dependencies=[SameOrigin])
async def login(request: Request, settings: SettingsDep, console: ConsoleDep) -> Response:
    """An account's username and password; or STAFF_TOKEN (the «hệ thống» actor, for scripts and the first run)."""
    token = settings.staff_token.get_secret_value()
    form = await request.form()
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    given, target = str(form.get("token") or ""), _safe_next(str(form.get("next") or ""))
    page = {"next": target, "token_login": bool(token), "username": username[:64]}
    if not await run_in_threadpool(access.enabled, settings, console):
        return render(request, "login.html", status_code=401, error=DISABLED, enabled=False, **page)
    # Failed attempts per client address: guessing a password or the token gets a few tries a minute, not thousands.
    throttle, client = _login_throttle(request, settings), access.client_address(request)
    wait = throttle.wait_s(client)
    if wait:
        error = f"Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng {wait} giây."
        throttled = render(request, "login.html", status_code=429, error=error, enabled=True, **page)
        throttled.headers["Retry-After"] = str(wait)
        return throttled
    response = RedirectResponse(target, status_code=303)
    if username:
        session = await run_in_threadpool(_account_session, console, username, password)
        if session is not None:
            _session_cookie(response, session, settings, request)
            return response
        throttle.take(client)
        error = "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khoá."
        return render(request, "login.html", status_code=401, error=error, enabled=True, **page)
    if not token or not auth.token_matches(token, given):
        throttle.take(client)
        error = "Mã truy cập không đúng." if token else "Nhập tên đăng nhập và mật khẩu."
        return render(request, "login.html", status_code=401, error=error, enabled=True, **page)
    _session_cookie(response, auth.new_session(token), settings, request)
    return response


@router.post("/logout", dependencies=[Staff, SameOrigin])
def logout() -> Response:
    response = RedirectResponse("/staff/login", status_code=303)
    response.delete_cookie(auth.COOKIE_NAME, path="/staff", httponly=True, samesite="strict")
    return response


@router.get("", dependencies=[Staff])
def inspect_form(request: Request) -> Response:
    return render(request, "inspect.html", page="inspect", question="", result=None)


@router.post("/inspect", dependencies=[Staff, SameOrigin])
async def inspect(request: Request, settings: SettingsDep) -> Response:
    form = await request.form()
    question = str(form.get("question") or "")
    if not question.strip() or len(question) > 500:
        error = "Nhập một câu hỏi (tối đa 500 ký tự)."
        return render(request, "inspect.html", 400, page="inspect", question=question, result=None, error=error)
    async with _rasa(settings) as rasa:
        result = await inspect_question(question, rasa, getattr(request.app.state, "search", None))
    return render(request, "inspect.html", page="inspect", question=question, result=result)


@router.get("/batch", dependencies=[Staff])
def batch_form(request: Request, console: ConsoleDep, settings: SettingsDep) -> Response:
    return render(request, "batch.html", page="batch", pasted="", reports=console.reports.latest(), limits=settings)


def _fields(store: CatalogStore, codes: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for code in codes:
        record = store.get(code)
        if record is not None and record.field:
            found[code] = record.field
    return found


@router.post("/batch", dependencies=[Staff, SameOrigin])
async def batch(request: Request, settings: SettingsDep, store: StoreDep, console: ConsoleDep) -> Response:
    limit = settings.staff_batch_max_bytes
    pasted, source, raw = "", "", b""
    try:
        async with request.form(max_files=1, max_fields=4, max_part_size=limit + 1) as form:
            pasted = str(form.get("pasted") or "")
            upload = form.get("file")
            if isinstance(upload, UploadFile) and upload.filename:
                source, raw = upload.filename, await upload.read(limit + 1)
            elif pasted.strip():
                source, raw = "nội dung dán vào", pasted.encode("utf-8")
        if not raw:
            raise BatchUploadError("Chọn một tệp CSV hoặc JSONL, hoặc dán nội dung vào ô bên dưới.")
        questions = parse_upload(raw, source, settings.staff_batch_max_rows, limit)
    except FormRejected:  # starlette's form parser refused the body: a field over the size limit
        error = f"Nội dung gửi lên quá lớn: tối đa {limit:,} byte."
        return render(request, "batch.html", 400, page="batch", pasted="", error=error, limits=settings)
    except BatchUploadError as exc:
        kept = pasted if len(pasted) <= limit else ""
        return render(
            request, "batch.html", 400, page="batch", pasted=kept, error=str(exc), source=source, limits=settings
        )
    fields = await run_in_threadpool(_fields, store, {c for q in questions for c in q.expected})
    report = start_batch(
        console.reports,
        questions,
        fields,
        source,
        rasa_url=settings.rasa_url,
        rasa_token=settings.rasa_auth_token.get_secret_value(),
        timeout_s=settings.rasa_timeout_s,
        concurrency=settings.staff_batch_concurrency,
    )
    return RedirectResponse(f"/staff/reports/{report.id}", status_code=303)


@router.get("/reports/{report_id}.csv", dependencies=[Staff])
def report_download(report_id: str, console: ConsoleDep) -> Response:
    report = console.reports.get(report_id)
    if report is None:
        raise HTTPException(status_code=404, detail="Không có báo cáo này (báo cáo chỉ giữ đến khi API khởi động lại).")
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="bao-cao-{report.id}.csv"'}
    return Response(report_csv(report), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/reports/{report_id}", dependencies=[Staff])
def report_page(request: Request, report_id: str, console: ConsoleDep) -> Response:
    report = console.reports.get(report_id)
    if report is None:
        error = "Không có báo cáo này: báo cáo chỉ được giữ trong bộ nhớ đến khi API khởi động lại."
        return render(request, "report.html", 404, page="batch", report=None, error=error)
    return render(request, "report.html", page="batch", report=report)
