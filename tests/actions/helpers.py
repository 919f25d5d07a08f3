"""Tracker builders and template rendering for the action tests (needs rasa-sdk)."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

_PLACEHOLDER = re.compile(r"\{([^\n{}]+?)\}")


def make_tracker(
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.97}, "entities": entities or []}
    return Tracker("test-user", slots or {}, latest, events or [], False, None, {}, "action_listen")


def run(action: Any, tracker: Tracker) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    """An action's messages and events, run as the action server runs it."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher, events


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value), "extractor": "DIETClassifier"}


def rendered(dispatcher: CollectingDispatcher, responses: dict[str, str]) -> list[str]:
    """The bot's texts as Rasa would fill them from domain.yml; every placeholder must be filled."""
    texts = []
    for message in dispatcher.messages:
        template = responses[message["response"]]
        values = {k: v for k, v in message.items() if k not in ("response", "buttons")}
        missing = [m for m in _PLACEHOLDER.findall(template) if m not in values]
        assert not missing, f"{message['response']}: unfilled {missing}"
        texts.append(_PLACEHOLDER.sub(lambda m, values=values: str(values[m.group(1)]), template))
    return texts
