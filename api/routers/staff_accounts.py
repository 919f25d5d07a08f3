"""Console pages for accounts («Tài khoản», administrators only) and the audit log («Nhật ký»)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.staff import audit, users
from api.staff.access import AdminDep, ConsoleDep, SameOrigin, Staff, StaffUserDep
from api.staff.pages import render

router = APIRouter(prefix="/staff", tags=["staff"], include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]  # what an INTEGER column holds, in SQLite and PostgreSQL
AUDIT_PAGE_SIZE = 50


def _accounts_page(request: Request, console: ConsoleDep, status: int = 200, **context: object) -> Response:
    return render(
        request,
        "accounts.html",
        status,
        page="accounts",
        accounts=users.all_users(console.db),
        roles=users.ROLES,
        role_labels=users.ROLE_LABELS,
        **context,
    )


@router.get("/accounts")
def accounts(request: Request, console: ConsoleDep, admin: AdminDep) -> Response:
    return _accounts_page(request, console)


@router.post("/accounts", dependencies=[Staff, SameOrigin])
async def create_account(request: Request, console: ConsoleDep, admin: AdminDep) -> Response:
    form = await request.form()
    username, name = str(form.get("username") or "")[:64], str(form.get("name") or "")[:200]
    role, password = str(form.get("role") or ""), str(form.get("password") or "")[:1000]
    try:
        user = await run_in_threadpool(users.create, console.db, username, name, password, role, admin.username)
    except users.AccountError as exc:
        kept = {"username": username, "name": name, "role": role}
        return await run_in_threadpool(_accounts_page, request, console, 400, error=str(exc), kept=kept)
    await run_in_threadpool(
        audit.record, console.db, admin, "tạo tài khoản", user.username, {"vai trò": user.role, "họ tên": user.name}
    )
    return RedirectResponse("/staff/accounts", status_code=303)


@router.post("/accounts/{user_id}", dependencies=[Staff, SameOrigin])
async def change_account(request: Request, user_id: RowId, console: ConsoleDep, admin: AdminDep) -> Response:
    """Disable or enable an account, or change its role; an administrator cannot lock themself out."""
    form = await request.form()
    change, role = str(form.get("change") or ""), str(form.get("role") or "")
    try:
        if user_id == admin.id:
            raise users.AccountError("Không thể tự khoá hay đổi vai trò của chính tài khoản đang đăng nhập.")
        if change in {"disable", "enable"}:
            user = await run_in_threadpool(users.change, console.db, user_id, active=change == "enable")
            action = "mở khoá tài khoản" if user.active else "khoá tài khoản"
            detail: dict[str, str] = {}
        elif change == "role":
            user = await run_in_threadpool(users.change, console.db, user_id, role=role)
            action, detail = "đổi vai trò", {"vai trò": user.role}
        else:
            raise users.AccountError("Yêu cầu không hợp lệ.")
    except users.AccountError as exc:
        return await run_in_threadpool(_accounts_page, request, console, 400, error=str(exc))
    await run_in_threadpool(audit.record, console.db, admin, action, user.username, detail)
    return RedirectResponse("/staff/accounts", status_code=303)


@router.get("/audit")
def audit_page(
    request: Request,
    console: ConsoleDep,
    user: StaffUserDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    total, entries = audit.entries(console.db, AUDIT_PAGE_SIZE, (page - 1) * AUDIT_PAGE_SIZE)
    pages = max(1, -(-total // AUDIT_PAGE_SIZE))
    return render(request, "audit.html", page="audit", entries=entries, total=total, number=page, pages=pages)
