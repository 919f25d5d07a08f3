"""A captured Zalo webhook cannot be replayed, and socket.io delivers the bot's replies to a real client."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
import uuid
from typing import Any

from bot.channels.signatures import messenger_signature, zalo_signature
from deploy.processes import ROOT
from deploy.stack import rasa_python
from tests.security.conftest import FACEBOOK_APP_SECRET, ZALO_APP_ID, ZALO_OA_SECRET_KEY, Reply, Secured, request


def _zalo(secured: Secured, event: dict[str, Any]) -> Reply:
    body = json.dumps(event, ensure_ascii=False).encode()
    signature = zalo_signature(ZALO_APP_ID, body, str(event["timestamp"]), ZALO_OA_SECRET_KEY)
    headers = {"Content-Type": "application/json", "X-ZEvent-Signature": signature}
    return request(f"{secured.rasa}/webhooks/zalo/webhook", "POST", body, headers)


def _event(sender: str, text: str, at_ms: int, msg_id: str) -> dict[str, Any]:
    return {
        "app_id": ZALO_APP_ID,
        "event_name": "user_send_text",
        "timestamp": str(at_ms),
        "sender": {"id": sender},
        "recipient": {"id": "388613280878808645"},
        "message": {"text": text, "msg_id": msg_id},
    }


def test_a_signed_zalo_event_seven_days_old_is_refused(secured: Secured) -> None:
    sender = str(uuid.uuid4().int)[:19]
    week_ago = int((time.time() - 7 * 24 * 3600) * 1000)
    old = _zalo(secured, _event(sender, "đăng ký khai sinh", week_ago, uuid.uuid4().hex))
    assert old.status == 403 and "window" in old.json()["error"], old
    in_an_hour = int((time.time() + 3600) * 1000)
    assert _zalo(secured, _event(sender, "xin chào", in_an_hour, uuid.uuid4().hex)).status == 403
    tracker = request(secured.authed(f"/conversations/{sender}/tracker")).json()
    assert not [e for e in tracker.get("events", []) if e.get("event") == "user"]


def test_a_signed_messenger_entry_a_day_old_is_refused(secured: Secured) -> None:
    sender = str(uuid.uuid4().int)[:16]

    def messenger(at_ms: int) -> Reply:
        message = {"sender": {"id": sender}, "recipient": {"id": "1"}, "timestamp": at_ms}
        message["message"] = {"mid": uuid.uuid4().hex, "text": "đăng ký khai sinh"}
        payload = {"object": "page", "entry": [{"id": "1", "time": at_ms, "messaging": [message]}]}
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": messenger_signature(FACEBOOK_APP_SECRET, body),
        }
        return request(f"{secured.rasa}/webhooks/facebook/webhook", "POST", body, headers)

    old = messenger(int((time.time() - 24 * 3600) * 1000))
    assert old.status == 403 and "window" in old.json()["error"], old
    assert messenger(int(time.time() * 1000)).status == 200


def test_message_ids_are_remembered_in_the_tracker_database(secured: Secured) -> None:
    """Kept where Rasa keeps conversations, so a restart (or another node) still knows them."""
    msg_id = uuid.uuid4().hex
    event = _event(str(uuid.uuid4().int)[:19], "xin chào", int(time.time() * 1000), msg_id)
    assert _zalo(secured, event).json() == {"status": "accepted"}
    assert _zalo(secured, event).json() == {"status": "duplicate"}
    with sqlite3.connect(f"file:{secured.stack.tracker_db}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT channel FROM webhook_message_ids WHERE message_id = ?", (msg_id,)).fetchall()
    assert rows == [("zalo",)]


SOCKETIO_CLIENT = r"""
import asyncio, json, sys, time
from importlib.metadata import version
import socketio

async def main(url, session_id, text):
    sio = socketio.AsyncClient()
    replies, confirmed = [], asyncio.Event()
    sio.on("session_confirm", lambda data: confirmed.set())
    sio.on("bot_uttered", lambda data: replies.append(data))
    # Long polling: the websocket transport of this python-socketio needs a newer aiohttp than Rasa pins.
    await sio.connect(url, socketio_path="/socket.io", transports=["polling"])
    await sio.emit("session_request", {"session_id": session_id})
    await asyncio.wait_for(confirmed.wait(), 30)
    await sio.emit("user_uttered", {"session_id": session_id, "message": text})
    deadline = time.monotonic() + 90
    while not replies and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    await asyncio.sleep(1)
    await sio.disconnect()
    print(json.dumps({"replies": replies, "version": version("python-socketio")}, ensure_ascii=False))

asyncio.run(main(*sys.argv[1:4]))
"""


def test_socketio_delivers_the_bots_replies(secured: Secured) -> None:
    """A real python-socketio client (the one Rasa installs, run in Rasa's environment)."""
    session_id = uuid.uuid4().hex
    done = subprocess.run(
        [str(rasa_python()), "-c", SOCKETIO_CLIENT, secured.rasa, session_id, "đăng ký khai sinh cần giấy tờ gì"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"python-socketio {result['version']}: {len(result['replies'])} replies")
    assert result["replies"], "no bot_uttered event reached the client"
    assert "1.001193" in json.dumps(result["replies"], ensure_ascii=False)
    assert "was never awaited" not in (secured.stack.workdir / "rasa.log").read_text(errors="replace")
