"""Named accounts: the first administrator from the command line, logins, roles, and the audit log of it all."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from api.staff import auth, users
from tests.staff.conftest import BEARER, HTML, ORIGIN, ClientFactory, account_login, add_account

ROOT = Path(__file__).resolve().parents[2]


def test_the_first_administrator_comes_from_the_command_line(make_client: ClientFactory, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'first' / 'staff.db'}"
    env = {**os.environ, "STAFF_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "api.staff.accounts", "create", "--username", "lan", "--name", "Nguyễn Thị Lan"]
    created = subprocess.run(
        [*command, "--role", "quản trị"], input="mat-khau-quan-tri-01\n", env=env, capture_output=True, text=True
    )
    assert created.returncode == 0, created.stderr
    assert "mat-khau" not in created.stdout + created.stderr
    assert stat.S_IMODE((tmp_path / "first" / "staff.db").stat().st_mode) == 0o600  # it holds password hashes
    short = subprocess.run(
        [*command, "--role", "xem"], input="ngan\n", env=env, capture_output=True, text=True, cwd=ROOT
    )
    assert short.returncode == 2
    assert "Mật khẩu dài từ 10" in short.stderr

    # No STAFF_TOKEN at all: the account alone opens the console.
    client = make_client(staff_token="", staff_database_url=url)
    assert client.get("/staff/login", headers=HTML).status_code == 200
    account_login(client, "lan", "mat-khau-quan-tri-01")
    page = client.get("/staff/accounts", headers=HTML)
    assert page.status_code == 200
    assert "Nguyễn Thị Lan · quản trị" in page.text
    assert 'name="token"' not in client.get("/staff/login", headers=HTML).text  # no token to log in with
    log = client.get("/staff/audit", headers=HTML).text
    assert "tạo tài khoản" in log and "dòng lệnh" in log


def test_wrong_passwords_are_refused_then_throttled(make_client: ClientFactory) -> None:
    client = make_client(staff_login_burst=3, staff_login_attempts_per_minute=1)
    password = add_account(client, "binh", "sửa")
    wrong = {"username": "binh", "password": "not-the-password", "next": "/staff"}
    for _ in range(3):
        response = client.post("/staff/login", data=wrong, headers=ORIGIN, follow_redirects=False)
        assert response.status_code == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
        assert auth.COOKIE_NAME not in response.cookies
    unknown = client.post(
        "/staff/login", data={**wrong, "username": "khong-co"}, headers=ORIGIN, follow_redirects=False
    )
    assert unknown.status_code == 429  # the burst is spent: even the right password waits now
    right = client.post("/staff/login", data={**wrong, "password": password}, headers=ORIGIN, follow_redirects=False)
    assert right.status_code == 429
    assert int(right.headers["retry-after"]) > 0
    assert "thử lại sau" in right.text


def test_roles_decide_who_manages_accounts(make_client: ClientFactory) -> None:
    client = make_client()
    password = add_account(client, "chi", "xem")
    account_login(client, "chi", password)
    assert client.get("/staff/audit", headers=HTML).status_code == 200
    denied = client.get("/staff/accounts")
    assert denied.status_code == 403
    assert "vai trò «xem»" in denied.json()["detail"] and "«quản trị»" in denied.json()["detail"]
    data = {"username": "moi", "name": "", "role": "quản trị", "password": "mat-khau-thu-0123"}
    assert client.post("/staff/accounts", data=data, headers=ORIGIN).status_code == 403
    page = client.get("/staff", headers=HTML).text
    assert "Cán bộ chi · xem" in page
    assert 'href="/staff/accounts"' not in page  # not offered to whom it would refuse


def test_a_disabled_account_is_out_at_once_and_the_log_says_who(make_client: ClientFactory) -> None:
    admin = make_client()
    password = add_account(admin, "dung", "sửa")
    user_id = next(u.id for u in users.all_users(admin.app.state.staff_console.db) if u.username == "dung")
    account_login(admin, "dung", password)
    assert admin.get("/staff", headers=HTML).status_code == 200
    locked = admin.post(
        f"/staff/accounts/{user_id}", data={"change": "disable"}, headers=BEARER, follow_redirects=False
    )
    assert locked.status_code == 303
    assert admin.get("/staff", headers=HTML, follow_redirects=False).status_code == 303  # session no longer valid
    again = admin.post(
        "/staff/login", data={"username": "dung", "password": password}, headers=ORIGIN, follow_redirects=False
    )
    assert again.status_code == 401
    rows = admin.get("/staff/audit", headers=BEARER).text
    assert rows.index("khoá tài khoản") < rows.index("tạo tài khoản")  # newest first
    assert "hệ thống" in rows


def test_sessions_are_signed_per_account() -> None:
    key = b"k" * 32
    cookie = auth.new_user_session(key, 7, "$argon2id$hash-1", now=1_000.0)
    assert auth.session_user_id(cookie) == 7
    assert auth.user_session_valid(key, cookie, 7, "$argon2id$hash-1", now=1_001.0)
    assert not auth.user_session_valid(key, cookie, 7, "$argon2id$hash-2", now=1_001.0)  # new password
    assert not auth.user_session_valid(key, cookie, 8, "$argon2id$hash-1", now=1_001.0)
    assert not auth.user_session_valid(b"x" * 32, cookie, 7, "$argon2id$hash-1", now=1_001.0)
    assert not auth.user_session_valid(key, cookie, 7, "$argon2id$hash-1", now=1_000.0 + auth.SESSION_SECONDS + 1)
    forged = cookie.replace("u7.", "u8.", 1)
    assert auth.session_user_id(forged) == 8
    assert not auth.user_session_valid(key, forged, 8, "$argon2id$hash-1", now=1_001.0)
    for junk in ["u².1.2", "u7", "u.1.2", "7.1.2", "u7.1.2.3", "u" + "9" * 20 + ".1.2"]:
        assert auth.session_user_id(junk) is None or not auth.user_session_valid(key, junk, 7, "h", now=0)
