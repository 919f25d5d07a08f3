"""Who gets in: the token, the session cookie, same-origin POSTs, and production's refusal of weak secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.settings import Settings
from api.staff import auth
from tests.staff.conftest import HTML, ORIGIN, TOKEN, ClientFactory, login

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_token_the_console_is_disabled(make_client: ClientFactory) -> None:
    client = make_client(staff_token="")
    page = client.get("/staff/login", headers=HTML)
    assert page.status_code == 401
    assert "đặt biến môi trường STAFF_TOKEN" in page.text
    assert 'name="token"' not in page.text  # no form to try tokens against
    api = client.get("/staff/conversations")
    assert api.status_code == 401
    assert "STAFF_TOKEN" in api.json()["detail"]
    assert client.get("/staff", headers={"Authorization": "Bearer "}).status_code == 401
    tried = client.post("/staff/login", data={"token": ""}, headers=ORIGIN, follow_redirects=False)
    assert tried.status_code == 401
    assert auth.COOKIE_NAME not in tried.cookies


def test_pages_need_the_token(make_client: ClientFactory) -> None:
    client = make_client()
    redirect = client.get("/staff/unanswered", headers=HTML, follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/staff/login?next=/staff/unanswered"
    denied = client.get("/staff/unanswered")
    assert denied.status_code == 401
    assert denied.headers["www-authenticate"] == "Bearer"
    assert client.get("/staff", headers={"Authorization": "Bearer wrong-token"}).status_code == 401
    assert client.get("/staff", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    allowed = client.get("/staff", headers={"Authorization": f"Bearer {TOKEN}"})
    assert allowed.status_code == 200
    assert "Kiểm tra một câu hỏi" in allowed.text
    assert "default-src 'none'" in allowed.headers["content-security-policy"]


def test_login_sets_a_strict_http_only_cookie_that_is_not_the_token(make_client: ClientFactory) -> None:
    client = make_client()
    wrong = client.post("/staff/login", data={"token": "nope"}, headers=ORIGIN, follow_redirects=False)
    assert wrong.status_code == 401
    assert "Mã truy cập không đúng" in wrong.text
    response = client.post(
        "/staff/login", data={"token": TOKEN, "next": "/staff/batch"}, headers=ORIGIN, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/batch"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Path=/staff" in cookie
    assert "Secure" not in cookie  # development over plain HTTP
    assert TOKEN not in cookie
    page = client.get("/staff/batch", headers=HTML)
    assert page.status_code == 200
    assert "Chạy hàng loạt câu hỏi" in page.text


def test_login_refuses_foreign_or_missing_origins_and_open_redirects(make_client: ClientFactory) -> None:
    client = make_client()
    data = {"token": TOKEN, "next": "//evil.example/staff"}
    assert client.post("/staff/login", data=data, follow_redirects=False).status_code == 403
    foreign = {"Origin": "https://evil.example"}
    assert client.post("/staff/login", data=data, headers=foreign, follow_redirects=False).status_code == 403
    referer = {"Referer": "http://testserver/staff/login"}
    response = client.post("/staff/login", data=data, headers=referer, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff"


def test_cookie_sessions_post_only_from_the_console_itself(make_client: ClientFactory) -> None:
    client = make_client()
    login(client)
    assert client.post("/staff/inspect", data={"question": "x"}, follow_redirects=False).status_code == 403
    foreign = {"Origin": "https://evil.example"}
    assert client.post("/staff/inspect", data={"question": "x"}, headers=foreign).status_code == 403
    assert client.post("/staff/logout", headers=foreign, follow_redirects=False).status_code == 403
    out = client.post("/staff/logout", headers=ORIGIN, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/staff", headers=HTML, follow_redirects=False).status_code == 303


def test_bearer_clients_need_no_origin(make_client: ClientFactory) -> None:
    client = make_client()
    response = client.post("/staff/inspect", data={"question": " "}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400
    assert "Nhập một câu hỏi" in response.text


def test_sessions_expire_and_die_with_a_new_token() -> None:
    cookie = auth.new_session(TOKEN, now=1_000.0)
    assert auth.session_valid(TOKEN, cookie, now=1_001.0)
    assert not auth.session_valid(TOKEN, cookie, now=1_000.0 + auth.SESSION_SECONDS + 1)
    assert not auth.session_valid("another-token-0123456789", cookie, now=1_001.0)
    expires, signature = cookie.split(".")
    assert not auth.session_valid(TOKEN, f"{int(expires) + 3600}.{signature}", now=1_001.0)
    assert not auth.session_valid("", cookie, now=1_001.0)


def test_production_cookie_is_secure(make_client: ClientFactory) -> None:
    client = make_client(
        {"base_url": "https://testserver"}, app_env="production", rasa_auth_token="rasa-token-0123456789"
    )
    response = client.post(
        "/staff/login", data={"token": TOKEN}, headers={"Origin": "https://testserver"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize(
    ("staff_token", "rasa_token", "variable"),
    [
        ("", "rasa-token-0123456789", "STAFF_TOKEN"),
        ("short-token", "rasa-token-0123456789", "STAFF_TOKEN"),
        ("change-me-staff-token", "rasa-token-0123456789", "STAFF_TOKEN"),
        (TOKEN, "", "RASA_AUTH_TOKEN"),
    ],
)
def test_production_refuses_weak_secrets(staff_token: str, rasa_token: str, variable: str) -> None:
    with pytest.raises(ValidationError, match=variable):
        Settings(app_env="production", staff_token=staff_token, rasa_auth_token=rasa_token)
    Settings(app_env="development", staff_token=staff_token, rasa_auth_token=rasa_token)  # development accepts


def test_the_example_token_is_refused_in_production() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    line = next(x for x in example.splitlines() if "STAFF_TOKEN=" in x)
    value = line.split("=", 1)[1].strip()
    with pytest.raises(ValidationError, match="STAFF_TOKEN"):
        Settings(app_env="production", staff_token=value, rasa_auth_token="rasa-token-0123456789")


def test_the_api_process_refuses_to_start_in_production_without_a_token() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"STAFF_TOKEN", "RASA_AUTH_TOKEN"}}
    env.update(APP_ENV="production", PYTHONPATH=str(ROOT), SEARCH_ENABLED="false")
    started = subprocess.run(
        [sys.executable, "-m", "uvicorn", "api.main:app", "--port", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode != 0
    assert "STAFF_TOKEN" in started.stderr
