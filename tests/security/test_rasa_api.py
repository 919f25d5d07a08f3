"""Rasa's HTTP API needs its token; the action server answers only Rasa; no secret goes where it is not needed."""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import uuid
from pathlib import Path

from deploy.processes import ROOT
from deploy.stack import rasa_model, rasa_python
from deploy.tokens import ACTION_TOKEN_VARIABLE
from tests.security.conftest import (
    STAFF_TOKEN,
    Secured,
    environ_of,
    listening_addresses,
    pids_listening,
    post_json,
    request,
)

PERSONAL = "tôi cần làm lại căn cước, CCCD 001099012345, sđt 0912345678, email an.nguyen@gmail.com"
FORGED = {"event": "bot", "text": '<img src=x onerror="alert(1)"> Xem tại https://evil.example/'}


def _port(url: str) -> int:
    return int(urllib.parse.urlsplit(url).port or 0)


def test_another_citizens_conversation_is_not_readable_or_writable_without_the_token(secured: Secured) -> None:
    sender = f"victim-{uuid.uuid4().hex[:8]}"
    assert secured.say(sender, PERSONAL).status == 200
    tracker = f"/conversations/{sender}/tracker"
    for url in (f"{secured.rasa}{tracker}", f"{secured.rasa}{tracker}?token=wrong"):
        refused = request(url)
        assert refused.status in (401, 403), refused
        assert "001099012345" not in refused.text
    forged = post_json(f"{secured.rasa}{tracker}/events", FORGED)
    assert forged.status in (401, 403), forged
    for path, body in (
        (f"/conversations/{sender}/trigger_intent", {"name": "greet"}),
        (f"/conversations/{sender}/execute", {"name": "utter_greet"}),
        (f"/conversations/{sender}/predict", None),
        (f"/conversations/{sender}/messages", {"text": "xin chào", "sender": "user"}),
        ("/model/parse", {"text": "xin chào"}),
    ):
        answer = post_json(f"{secured.rasa}{path}", body)
        assert answer.status in (401, 403), (path, answer)
    # With the token, the conversation is there, and no forged bot message was stored in it.
    events = request(secured.authed(tracker)).json()["events"]
    assert not any("evil.example" in str(e.get("text")) for e in events)
    assert any(e.get("event") == "user" for e in events)


def test_rasa_refuses_to_start_its_http_api_without_a_token(tmp_path: Path) -> None:
    """Whatever starts it: `rasa run --enable-api` without --auth-token exits with a message saying how."""
    rasa = rasa_python().parent / "rasa"
    command = [str(rasa), "run", "--enable-api", "--model", str(rasa_model()), "--port", "9"]
    command += ["--credentials", "credentials.yml", "--endpoints", str(tmp_path / "none.yml")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "--auth-token" in done.stdout + done.stderr, (done.stdout + done.stderr)[-3000:]


def test_action_server_is_loopback_only_and_needs_rasas_secret(secured: Secured) -> None:
    port = _port(secured.stack.actions_url)
    assert listening_addresses(port) == {"0100007F"}, "the action server listens beyond 127.0.0.1"
    assert request(f"{secured.stack.actions_url}/health").status == 200
    listing = request(f"{secured.stack.actions_url}/actions")
    assert listing.status == 401 and "action_" not in listing.text, listing
    call = {"next_action": "action_answer", "sender_id": "x", "tracker": {"sender_id": "x", "events": []}}
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        body = json.dumps(call).encode()
        answer = request(
            f"{secured.stack.actions_url}/webhook", "POST", body, {"Content-Type": "application/json", **headers}
        )
        assert answer.status == 401, answer
    # Rasa itself gets through: a question that needs the action server is answered with its procedure.
    reply = secured.say(f"citizen-{uuid.uuid4().hex[:8]}", "đăng ký khai sinh cần giấy tờ gì")
    assert reply.status == 200 and "1.001193" in reply.text, reply


def test_secrets_reach_only_the_processes_that_need_them(secured: Secured) -> None:
    rasa_pids = pids_listening(_port(secured.rasa))
    action_pids = pids_listening(_port(secured.stack.actions_url))
    api_pids = pids_listening(_port(secured.api))
    assert rasa_pids and action_pids and api_pids
    for pid in rasa_pids + action_pids:
        env = environ_of(pid)
        assert "STAFF_TOKEN" not in env and STAFF_TOKEN not in env.values(), pid
        assert "RASA_AUTH_TOKEN" not in env, pid
        assert env.get(ACTION_TOKEN_VARIABLE), pid  # the one secret they share
    for pid in api_pids:
        assert environ_of(pid).get("STAFF_TOKEN") == STAFF_TOKEN
        assert ACTION_TOKEN_VARIABLE not in environ_of(pid)
    # The action server's secret is in no file: the endpoints file names the variable.
    endpoints = (secured.stack.workdir / "endpoints.yml").read_text()
    assert "${ACTION_SERVER_TOKEN}" in endpoints
    assert environ_of(rasa_pids[0])[ACTION_TOKEN_VARIABLE] not in endpoints


def test_tracker_database_and_logs_are_owner_only(secured: Secured) -> None:
    secured.say(f"files-{uuid.uuid4().hex[:8]}", "xin chào")
    files = [secured.stack.tracker_db, *secured.stack.workdir.glob("*.log")]
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is {oct(path.stat().st_mode & 0o777)}"
