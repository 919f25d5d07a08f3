"""The console's dependencies: who is asking (``StaffUserDep``), what their role allows (``require_role``),
same-origin form posts (``SameOrigin``) and the console's state (``ConsoleDep``).

A request is let in by a bearer token (``Authorization: Bearer <STAFF_TOKEN>``, for scripts and tests: the
«hệ thống» actor with the administrator's rights), a token session cookie (the same actor) or an account
session cookie (the named account, checked against the database on every request so that a disabled
account is out at once). ``request.state.staff_user`` holds the ``StaffUser`` for the routes and pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request

from api.deps import SettingsDep
from api.rate_limit import TokenBuckets
from api.settings import Settings
from api.staff import auth, users
from api.staff.state import ConsoleState
from api.staff.users import ADMIN, EDIT, SYSTEM, StaffUser

DISABLED = (
    "Bảng điều khiển cán bộ đang tắt: đặt biến môi trường STAFF_TOKEN (một chuỗi ngẫu nhiên, ít nhất 16 ký tự) "
    "rồi khởi động lại API, hoặc tạo tài khoản quản trị đầu tiên: "
    'python -m api.staff.accounts create --username <tên> --role "quản trị".'
)
ROLE_NEEDED = "Tài khoản của bạn (vai trò «{have}») không được làm việc này: cần vai trò «{need}»."


def console(request: Request, settings: SettingsDep) -> ConsoleState:
    state: ConsoleState | None = getattr(request.app.state, "staff_console", None)
    if state is None:
        state = ConsoleState.create(settings.tracker_database_url, settings.staff_database_url)
        request.app.state.staff_console = state
    return state


ConsoleDep = Annotated[ConsoleState, Depends(console)]


def login_throttle(request: Request, settings: Settings) -> TokenBuckets:
    throttle: TokenBuckets | None = getattr(request.app.state, "staff_login_throttle", None)
    if throttle is None:
        throttle = TokenBuckets(settings.staff_login_attempts_per_minute, settings.staff_login_burst)
        request.app.state.staff_login_throttle = throttle
    return throttle


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


def enabled(settings: Settings, state: ConsoleState) -> bool:
    return bool(settings.staff_token.get_secret_value()) or users.any_active(state.db)


def session_user(request: Request, settings: Settings, state: ConsoleState) -> StaffUser | None:
    """The actor of the request's session cookie, if it holds a valid one."""
    cookie = request.cookies.get(auth.COOKIE_NAME)
    user_id = auth.session_user_id(cookie)
    if cookie and user_id is not None:
        found = users.get(state.db, user_id)
        if found is None or not found[0].active:
            return None
        account, password_hash = found
        return account if auth.user_session_valid(state.session_key, cookie, user_id, password_hash) else None
    token = settings.staff_token.get_secret_value()
    return SYSTEM if token and auth.session_valid(token, cookie) else None


def require_staff(request: Request, settings: SettingsDep, state: ConsoleDep) -> StaffUser:
    token = settings.staff_token.get_secret_value()
    given = auth.bearer(request.headers)
    if token and given is not None:
        # A wrong bearer token is a guess like a wrong login: same throttle.
        throttle, client = login_throttle(request, settings), client_address(request)
        wait = throttle.wait_s(client)
        if wait:
            detail = f"Sai mã truy cập quá nhiều lần. Vui lòng thử lại sau khoảng {wait} giây."
            raise HTTPException(status_code=429, detail=detail, headers={"Retry-After": str(wait)})
        if auth.token_matches(token, given):
            request.state.staff_bearer, request.state.staff_user = True, SYSTEM
            return SYSTEM
        throttle.take(client)
    user = session_user(request, settings, state)
    if user is not None:
        request.state.staff_bearer, request.state.staff_user = False, user
        return user
    if "text/html" in request.headers.get("accept", ""):
        target = f"/staff/login?next={quote(request.url.path, safe='/')}"
        raise HTTPException(status_code=303, detail="Cần đăng nhập.", headers={"Location": target})
    detail = (
        "Cần đăng nhập (tài khoản cán bộ) hoặc mã truy cập: tiêu đề «Authorization: Bearer <STAFF_TOKEN>»."
        if enabled(settings, state)
        else DISABLED
    )
    raise HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def require_same_origin(request: Request) -> None:
    # A cookie rides along with any form on any site; SameSite=Strict stops it, and the Origin check
    # stops it again for browsers or proxies that would not honour SameSite. A bearer token never
    # travels by itself, so it needs no such check.
    if not getattr(request.state, "staff_bearer", False) and not auth.same_origin(request.headers):
        raise HTTPException(
            status_code=403,
            detail="Yêu cầu bị từ chối: biểu mẫu phải được gửi từ chính trang của bảng điều khiển.",
        )


StaffUserDep = Annotated[StaffUser, Depends(require_staff)]
Staff = Depends(require_staff)
SameOrigin = Depends(require_same_origin)


def require_role(role: str) -> Callable[[StaffUser], StaffUser]:
    """A dependency letting in only accounts with ``role`` or a higher one; others get 403 in Vietnamese."""

    def check(user: StaffUserDep) -> StaffUser:
        if not user.can(role):
            raise HTTPException(status_code=403, detail=ROLE_NEEDED.format(have=user.role, need=role))
        return user

    return check


EditorDep = Annotated[StaffUser, Depends(require_role(EDIT))]
AdminDep = Annotated[StaffUser, Depends(require_role(ADMIN))]
