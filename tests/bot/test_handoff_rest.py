"""The hand-off through Rasa itself: offer, accept (pause), staff take / say / end, the widget's poll.

A real Rasa server with this repository's credentials.yml (the hand-off channel included) and the real
action server; the staff console's side is played by plain HTTP calls with Rasa's token, as the console
makes them (api/staff/rasa_client.py).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from deploy.stack import say
from tests.bot.live_rasa import live_rasa


@pytest.fixture(scope="module")
def rasa(catalog_api_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with live_rasa(tmp_path_factory, "handoff", catalog_api_url, extra_env={"HANDOFF_HOURS": "always"}) as started:
        yield started


def post(url: str, body: Any, token: str | None = None) -> tuple[int, Any]:
    target = f"{url}?token={token}" if token else url
    request = urllib.request.Request(
        target, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_offer_accept_take_say_end(rasa: tuple[str, str]) -> None:
    url, token = rasa
    hook, sender = f"{url}/webhooks/handoff", "handoff-rest-1"
    offer = say(url, sender, "cho tôi nói chuyện với cán bộ")
    assert [b["payload"] for r in offer for b in r.get("buttons", [])] == ["/handoff_accept"], offer
    assert "tel:18001096" in texts(offer)

    queued = say(url, sender, "/handoff_accept")
    assert "chuyển cuộc trò chuyện tới cán bộ trực" in texts(queued)
    assert {"handoff": "waiting"} in [r.get("custom") for r in queued]
    assert say(url, sender, "tôi hỏi về đất đai") == []  # paused: logged, not answered
    assert post(f"{hook}/poll", {"sender": sender, "after": 0}) == (200, {"state": "waiting", "messages": []})

    # Staff only, with Rasa's token; replying needs taking first; someone else cannot take it over.
    assert post(f"{hook}/take", {"sender": sender, "staff": "Lan"})[0] == 401
    assert post(f"{hook}/say", {"sender": sender, "staff": "Lan", "text": "Chào bạn"}, token)[0] == 409
    status, taken = post(f"{hook}/take", {"sender": sender, "staff": "Lan"}, token)
    assert status == 200 and taken["state"] == "taken" and taken["delivered"] is False  # REST: the widget polls
    assert post(f"{hook}/take", {"sender": sender, "staff": "Minh"}, token)[0] == 409
    status, said = post(f"{hook}/say", {"sender": sender, "staff": "Lan", "text": "Bạn ở phường nào?"}, token)
    assert status == 200

    status, polled = post(f"{hook}/poll", {"sender": sender, "after": 0})
    assert status == 200 and polled["state"] == "taken"
    assert [m["text"] for m in polled["messages"]][-1] == "Bạn ở phường nào?"
    assert "Cán bộ Lan đã tiếp nhận" in polled["messages"][0]["text"]
    assert post(f"{hook}/poll", {"sender": sender, "after": said["id"]})[1]["messages"] == []

    status, ended = post(f"{hook}/end", {"sender": sender, "staff": "Lan"}, token)
    assert status == 200 and ended["state"] == "bot"
    polled = post(f"{hook}/poll", {"sender": sender, "after": said["id"]})[1]
    assert polled["state"] == "bot" and "Trợ lý ảo tiếp tục" in polled["messages"][0]["text"]
    assert "(mã 1.001193)" in texts(say(url, sender, "đăng ký khai sinh cần giấy tờ gì"))


@pytest.mark.parametrize(
    "body",
    [[], {"sender": ""}, {"sender": "x" * 200}, {"sender": "a", "after": "yesterday"}],
)
def test_bad_polls_are_refused_in_vietnamese(rasa: tuple[str, str], body: Any) -> None:
    status, answer = post(f"{rasa[0]}/webhooks/handoff/poll", body)
    assert status == 400 and answer["error"]


def test_staff_text_has_a_size_limit(rasa: tuple[str, str]) -> None:
    url, token = rasa
    say(url, "handoff-rest-2", "cho tôi gặp nhân viên")
    say(url, "handoff-rest-2", "/handoff_accept")
    assert post(f"{url}/webhooks/handoff/take", {"sender": "handoff-rest-2", "staff": "Lan"}, token)[0] == 200
    status, answer = post(
        f"{url}/webhooks/handoff/say", {"sender": "handoff-rest-2", "staff": "Lan", "text": "x" * 2001}, token
    )
    assert status == 413 and "2000" in answer["error"]
