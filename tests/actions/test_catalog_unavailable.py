"""A catalog API that is down or slow: the citizen gets an apology within two seconds."""

from __future__ import annotations

import time
from typing import Any

import pytest

pytest.importorskip("rasa_sdk")

from actions.answer import ActionAnswerProcedure
from actions.stats import ActionStats
from deploy.processes import free_port
from tests.actions.catalog_server import SlowCatalog
from tests.actions.helpers import entity, make_tracker, rendered, run


@pytest.mark.parametrize("action", [ActionAnswerProcedure(), ActionStats()])
def test_catalog_down_apologises(monkeypatch, responses: dict, action: Any, caplog) -> None:
    monkeypatch.setenv("CATALOG_API_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    monkeypatch.setenv("PORTAL_URL", "https://dichvucong.gov.vn")
    tracker = make_tracker("khai sinh cần giấy tờ gì", "ask_documents", [entity("procedure", "khai sinh")])
    started = time.monotonic()
    dispatcher, events = run(action, tracker)
    assert time.monotonic() - started < 2.0
    assert [m["response"] for m in dispatcher.messages] == ["utter_catalog_unavailable"]
    assert "https://dichvucong.gov.vn" in rendered(dispatcher, responses)[0]
    assert events == []
    assert "catalog unavailable" in caplog.text


@pytest.mark.parametrize("action", [ActionAnswerProcedure(), ActionStats()])
def test_slow_catalog_apologises_within_two_seconds(monkeypatch, action: Any) -> None:
    with SlowCatalog(delay_s=3.0) as slow:
        monkeypatch.setenv("CATALOG_API_URL", slow.url)
        tracker = make_tracker("khai sinh nước ngoài lệ phí", "ask_fee", [entity("procedure", "khai sinh nuoc ngoai")])
        started = time.monotonic()
        dispatcher, _ = run(action, tracker)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert [m["response"] for m in dispatcher.messages] == ["utter_catalog_unavailable"]


def test_two_slowish_calls_stay_within_the_action_budget(monkeypatch) -> None:
    with SlowCatalog(delay_s=1.0) as slow:  # search + record: 2 s, over the 1.5 s budget
        monkeypatch.setenv("CATALOG_API_URL", slow.url)
        tracker = make_tracker("khai sinh nước ngoài lệ phí", "ask_fee", [entity("procedure", "khai sinh nuoc ngoai")])
        started = time.monotonic()
        dispatcher, _ = run(ActionAnswerProcedure(), tracker)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert [m["response"] for m in dispatcher.messages] == ["utter_catalog_unavailable"]
