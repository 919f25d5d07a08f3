"""Kill -9 each process mid-conversation and start it again: the conversation carries on.

While the catalog API or the action server is down or slow, the citizen gets an apology within 2 s;
once it is back, the follow-up question is answered for the procedure asked about before the fault.
Real processes throughout (``tests/faults/services.py``); the slow catalog is a real HTTP server that
answers after 3 s.
"""

from __future__ import annotations

import pytest

from tests.actions.catalog_server import SlowCatalog
from tests.faults.services import FaultStack

APOLOGY_WITHIN_S = 2.0
OPENING = "đăng ký khai sinh cần giấy tờ gì"
FOLLOW_UP = "còn lệ phí thì sao?"


def text_of(replies: list[dict]) -> str:
    return "\n".join([r.get("text", "") for r in replies] + [b["title"] for r in replies for b in r.get("buttons", [])])


def open_conversation(stack: FaultStack, sender: str) -> None:
    replies, _ = stack.say(sender, OPENING)
    assert "(mã 1.001193)" in text_of(replies), replies


def assert_follow_up_answered(stack: FaultStack, sender: str) -> None:
    replies, _ = stack.say(sender, FOLLOW_UP)
    answer = text_of(replies)
    assert "(mã 1.001193)" in answer and "miễn phí" in answer, replies


def assert_prompt_apology(stack: FaultStack, sender: str) -> float:
    replies, seconds = stack.say(sender, FOLLOW_UP)
    answer = text_of(replies)
    assert "Xin lỗi" in answer and "gián đoạn" in answer, replies
    assert "dichvucong.gov.vn" in answer, replies  # where to look meanwhile
    assert seconds < APOLOGY_WITHIN_S, f"apology after {seconds:.2f} s"
    return seconds


@pytest.fixture(autouse=True)
def warm(stack: FaultStack) -> None:
    """Rasa's first prediction after a start pays for graph warm-up; no test times that one."""
    stack.say("warm-up", OPENING)


@pytest.mark.parametrize(
    ("process", "who"), [("actions", "the action server"), ("api", "the catalog API")], ids=["actions", "catalog"]
)
def test_process_killed_then_restarted(stack: FaultStack, process: str, who: str) -> None:
    sender = f"fault-{process}"
    open_conversation(stack, sender)
    server = getattr(stack, process)
    server.kill()
    try:
        seconds = assert_prompt_apology(stack, sender)
    finally:
        server.start()
    print(f"apology with {who} down: {seconds:.2f} s")
    assert_follow_up_answered(stack, sender)


def test_slow_catalog_api(stack: FaultStack) -> None:
    open_conversation(stack, "fault-slow")
    real_catalog = stack.actions.env["CATALOG_API_URL"]
    with SlowCatalog(delay_s=3.0) as slow:
        stack.actions.restart(CATALOG_API_URL=slow.url)
        try:
            seconds = assert_prompt_apology(stack, "fault-slow")
        finally:
            stack.actions.restart(CATALOG_API_URL=real_catalog)
    print(f"apology with a catalog API 3 s slow: {seconds:.2f} s")
    assert_follow_up_answered(stack, "fault-slow")


def test_rasa_killed_then_restarted_keeps_the_conversation(stack: FaultStack) -> None:
    open_conversation(stack, "fault-rasa")
    stack.rasa.restart()  # same SQLite tracker file: the conversation is read back from it
    assert_follow_up_answered(stack, "fault-rasa")
