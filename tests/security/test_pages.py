"""Every page the catalog API serves has security headers, and personal data is masked where staff read it."""

from __future__ import annotations

import csv
import io
import time
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from knowledge.catalog_file import DEFAULT_DIR
from tests.security.conftest import Secured, request
from tests.staff.conftest import TOKEN, console_client, login

PERSONAL = "cccd001203004567 sdt0912345678, hộ chiếu C1234567, stk 0123456789012, 0912 345 678, an.b@gmail.com"
SECRETS = ("001203004567", "0912345678", "C1234567", "0123456789012", "0912 345 678", "an.b@gmail.com")


@pytest.mark.parametrize("path", ["/", "/widget/config.js", "/widget/widget.js", "/services/1.001193", "/docs"])
def test_every_page_has_security_headers(secured: Secured, path: str) -> None:
    answer = request(f"{secured.api}{path}")
    assert answer.status == 200, answer
    assert answer.headers["x-content-type-options"] == "nosniff"
    policy = answer.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "frame-ancestors" in policy and "object-src 'none'" in policy
    if path == "/":
        # The widget may call Rasa (RASA_PUBLIC_URL, here the default) and nothing else.
        assert "script-src 'self';" in policy and "connect-src 'self' http://127.0.0.1:5005;" in policy
        assert "<script>" not in answer.text and "<style" not in answer.text  # nothing the policy would block
    if path == "/docs":  # FastAPI's one inline script, allowed by its hash only
        assert "'sha256-" in policy


def test_staff_pages_keep_their_stricter_policy(secured: Secured) -> None:
    answer = request(f"{secured.api}/staff/login")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


@pytest.fixture(scope="module")
def console(secured: Secured, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The staff console reading the stack's tracker store (in process, as tests/staff/test_live.py)."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path_factory.mktemp('console') / 'catalog.sqlite'}",
        catalog_dir=DEFAULT_DIR,
        search_enabled=False,
        staff_token=TOKEN,
        rasa_url=secured.rasa,
        rasa_auth_token=secured.stack.rasa_token,
        tracker_database_url=f"sqlite:///{secured.stack.tracker_db}",
        rasa_timeout_s=60,
    )
    with console_client(settings) as client:
        login(client)
        yield client


def test_personal_data_is_masked_in_transcripts_unanswered_and_logs(secured: Secured, console: TestClient) -> None:
    sender = f"pii-{uuid.uuid4().hex[:8]}"
    assert secured.say(sender, PERSONAL).status == 200
    pages = {
        "transcript": console.get(f"/staff/conversations/{sender}", headers={"Accept": "text/html"}).text,
        "unanswered": console.get("/staff/unanswered", headers={"Accept": "text/html"}).text,
    }
    assert "[ID-NUMBER]" in pages["transcript"] and "[PASSPORT]" in pages["transcript"]
    for name, text in {**pages, **secured.logs()}.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in {name}"


def test_batch_report_export_is_masked(console: TestClient) -> None:
    upload = "question,expected_codes\n" + f'"{PERSONAL}",1.001193\n'
    origin = {"Origin": "http://testserver"}
    posted = console.post("/staff/batch", data={"pasted": upload}, headers=origin, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    report = posted.headers["location"]
    for _ in range(240):
        exported = console.get(f"{report}.csv")
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        if len(rows) > 1:
            break
        time.sleep(0.5)
    text = exported.content.decode("utf-8-sig")
    assert len(rows) > 1, text
    for secret in SECRETS:
        assert secret not in text, secret
    assert "[PHONE]" in text
