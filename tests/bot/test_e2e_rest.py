"""End to end: the real catalog API, action server and Rasa server, talking over the REST channel.

The model is the one ``make bot-test`` trains (it passes ``RASA_MODEL``); the catalog API runs in its
own Python 3.11 environment (``API_PYTHON``). Outside make, without those, the test is skipped, unless
``TRO_LY_REQUIRE_E2E`` is set. Every server is stopped at the end, whatever happened.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import free_port, server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rasa_url(catalog_api_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    model = os.environ.get("RASA_MODEL")
    if not model:
        if os.environ.get("TRO_LY_REQUIRE_E2E"):
            pytest.fail("RASA_MODEL must name the trained model (`make bot-test` passes it)")
        pytest.skip("set RASA_MODEL to a trained model (`make bot-test` does)")
    pytest.importorskip("rasa")
    tmp = tmp_path_factory.mktemp("e2e")
    rasa_bin = Path(sys.executable).parent / "rasa"
    action_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp / 'tracker.db'}\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CATALOG_API_URL": catalog_api_url,
        "RASA_TELEMETRY_ENABLED": "false",
    }
    env.setdefault("RASA_CACHE_DIRECTORY", str(tmp / "cache"))
    actions = [rasa_bin, "run", "actions", "--actions", "actions", "--port", str(action_port)]
    rasa = [
        *(rasa_bin, "run", "--enable-api", "--model", Path(model).expanduser(), "--interface", "127.0.0.1"),
        *("--port", str(rasa_port), "--endpoints", endpoints, "--credentials", ROOT / "credentials.yml"),
    ]
    with (
        server(actions, f"http://127.0.0.1:{action_port}/health", tmp / "actions.log", env, 120),
        server(rasa, f"http://127.0.0.1:{rasa_port}/status", tmp / "rasa.log", env, 300),
    ):
        yield f"http://127.0.0.1:{rasa_port}"


def say(rasa_url: str, sender: str, text: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def everything(replies: list[dict]) -> str:
    """Texts and button titles of the bot's replies."""
    return "\n".join([r.get("text", "") for r in replies] + [b["title"] for r in replies for b in r.get("buttons", [])])


def test_documents_question_names_the_procedure_and_follow_up(rasa_url: str) -> None:
    first = say(rasa_url, "e2e-1", "đăng ký khai sinh cần giấy tờ gì")
    assert "(mã 1.001193)" in everything(first), first
    assert "xin lỗi" not in everything(first).lower(), first
    follow_up = everything(say(rasa_url, "e2e-1", "còn lệ phí thì sao?"))
    assert "(mã 1.001193)" in follow_up and "miễn phí" in follow_up, follow_up


def test_model_parse_and_hand_off(rasa_url: str) -> None:
    request = urllib.request.Request(
        f"{rasa_url}/model/parse",
        data=json.dumps({"text": "cho tôi gặp nhân viên"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.loads(response.read())["intent"]["name"] == "ask_human"
    assert "18001096" in everything(say(rasa_url, "e2e-2", "cho tôi gặp nhân viên"))
