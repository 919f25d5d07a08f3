"""End to end: the real catalog API, action server and Rasa server, talking over the REST channel.

The model is the one ``make bot-test`` trains (it passes ``RASA_MODEL``); the catalog API runs in its
own Python 3.11 environment (``API_PYTHON``). Outside make, without those, the test is skipped, unless
``TRO_LY_REQUIRE_E2E`` is set. Every server is stopped at the end, whatever happened.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.stack import say
from tests.bot.live_rasa import live_rasa

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rasa(catalog_api_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Rasa's URL and the token of its HTTP API (as `make run`, the API is never open)."""
    with live_rasa(tmp_path_factory, "e2e", catalog_api_url) as started:
        yield started


@pytest.fixture(scope="module")
def rasa_url(rasa: tuple[str, str]) -> str:
    return rasa[0]


def everything(replies: list[dict]) -> str:
    """Texts and button titles of the bot's replies."""
    return "\n".join([r.get("text", "") for r in replies] + [b["title"] for r in replies for b in r.get("buttons", [])])


def test_documents_question_names_the_procedure_and_follow_up(rasa_url: str) -> None:
    first = say(rasa_url, "e2e-1", "đăng ký khai sinh cần giấy tờ gì")
    assert "(mã 1.001193)" in everything(first), first
    assert "xin lỗi" not in everything(first).lower(), first
    follow_up = everything(say(rasa_url, "e2e-1", "còn lệ phí thì sao?"))
    assert "(mã 1.001193)" in follow_up and "miễn phí" in follow_up, follow_up


def test_model_parse_and_hand_off(rasa: tuple[str, str]) -> None:
    rasa_url, token = rasa
    request = urllib.request.Request(
        f"{rasa_url}/model/parse?token={token}",
        data=json.dumps({"text": "cho tôi gặp nhân viên"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.loads(response.read())["intent"]["name"] == "ask_human"
    assert "18001096" in everything(say(rasa_url, "e2e-2", "cho tôi gặp nhân viên"))


# The examples of issue 13 (the dialogue keeps what search finds), as a citizen types them.
CODE = re.compile(r"\b[0-9]\.[0-9]{6}\b")


def codes(replies: list[dict]) -> list[str]:
    found: list[str] = []
    for code in CODE.findall(
        everything(replies) + " ".join(b["payload"] for r in replies for b in r.get("buttons", []))
    ):
        if code not in found:
            found.append(code)
    return found


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("tôi muốn đăng ký thường trú", "1.004222"),
        ("toi muon dang ky thuong tru", "1.004222"),
        ("đăng ký kết hôn", "1.000894"),
        ("Thuyên chuyển trường cho học sinh tiểu học, thực hiện là cơ quan nào?", "1.005099"),
    ],
)
def test_questions_the_classifier_used_to_discard_reach_the_search(rasa_url: str, question: str, expected: str) -> None:
    replies = say(rasa_url, f"e2e-route-{abs(hash(question))}", question)
    assert expected in codes(replies), replies
    assert len(codes(replies)) <= 4, replies


def test_lost_land_certificate_offers_the_reissue(rasa_url: str) -> None:
    replies = say(rasa_url, "e2e-so-do", "Mất sổ đỏ phải làm gì để được cấp lại?")
    text = everything(replies)
    assert codes(replies) and "Cấp lại Giấy chứng nhận do bị mất" in text, replies


@pytest.mark.parametrize(
    ("question", "heading"),
    [
        ("lệ phí thủ tục 2.001827 là bao nhiêu?", "Phí, lệ phí"),
        ("căn cứ pháp lý của thủ tục 1.003790", "Căn cứ pháp lý"),
    ],
)
def test_a_code_and_an_attribute_get_that_attribute(rasa_url: str, question: str, heading: str) -> None:
    replies = say(rasa_url, f"e2e-code-{abs(hash(question))}", question)
    code = CODE.search(question).group()  # type: ignore[union-attr]
    assert replies[0]["text"].startswith(f"**{heading}**") and f"(mã {code})" in replies[0]["text"], replies


def test_the_attribute_survives_the_buttons(rasa_url: str) -> None:
    offered = say(rasa_url, "e2e-buttons", "đăng ký xe lệ phí bao nhiêu?")
    assert "Bạn hỏi về phí, lệ phí của thủ tục nào?" in offered[0]["text"], offered
    again = say(rasa_url, "e2e-buttons", "làm online được ko")  # names nothing new: the same choices
    assert "mức dịch vụ công trực tuyến của thủ tục nào" in again[0]["text"], again
    assert codes(again) == codes(offered)
    first = offered[0]["buttons"][0]
    answer = say(rasa_url, "e2e-buttons", first["payload"])
    assert CODE.search(first["payload"]).group() in codes(answer)  # type: ignore[union-attr]
    assert "trực tuyến" in answer[0]["text"], answer  # the last question asked, not documents or legal basis


def test_a_follow_up_stays_on_the_procedure_and_says_which(rasa_url: str) -> None:
    say(rasa_url, "e2e-follow", "đăng ký khai sinh cần giấy tờ gì")
    fee = say(rasa_url, "e2e-follow", "mất bao nhiêu tiền")
    assert fee[0]["text"].startswith("**Phí, lệ phí**") and codes(fee) == ["1.001193"], fee
    online = say(rasa_url, "e2e-follow", "làm online được ko")
    assert "(mã 1.001193)" in online[0]["text"] and codes(online) == ["1.001193"], online


@pytest.mark.parametrize(
    "question", ["đặt lịch tiêm vắc xin cho con", "Án treo với cải tạo không giam giữ khác nhau ở điểm nào?"]
)
def test_nothing_fits_names_no_procedure(rasa_url: str, question: str) -> None:
    replies = say(rasa_url, f"e2e-none-{abs(hash(question))}", question)
    assert codes(replies) == [], replies
    assert "chưa tìm thấy thủ tục" in everything(replies), replies


def test_chit_chat_keeps_its_reply(rasa_url: str) -> None:
    replies = say(rasa_url, "e2e-chat", "hôm nay thời tiết thế nào")
    assert codes(replies) == [] and "chỉ hỗ trợ tra cứu thủ tục" in everything(replies), replies
