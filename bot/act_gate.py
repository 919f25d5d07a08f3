"""Dialogue acts must be clear, or the message goes to the search.

A question about a procedure classified as ``feedback``, ``ask_stats`` or ``ask_human`` with middling
confidence ("Sửa thông tin sai trong giấy khai sinh …" → feedback 0.61) would be answered with a
thank-you, a count or a hotline, and the search would never see it. Below ``threshold`` such an intent
becomes ``nlu_fallback``, which the rules send to the procedure action: the search's decision model
then says whether any procedure fits. Payloads ("/feedback{…}", buttons) bypass the pipeline, and a
rating entity keeps a feedback message as it is.

Registered as a graph component; config.yml lists it after the FallbackClassifier.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.components import MadeFromConfig

FALLBACK = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DialogueActGate(MadeFromConfig, GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "threshold": 0.9,
            "acts": [
                "feedback",
                "ask_stats",
                "ask_data_date",
                "ask_human",
                "bot_challenge",
                "greet",
                "goodbye",
                "thanks",
            ],
            "kept_with_entities": {"feedback": "rating"},
        }

    def __init__(self, config: dict[str, Any]) -> None:
        self.threshold = float(config["threshold"])
        self.acts = frozenset(config["acts"])
        self.kept_with_entities = dict(config["kept_with_entities"])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name, confidence = intent.get(INTENT_NAME_KEY), intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0
            if name not in self.acts or confidence >= self.threshold:
                continue
            required = self.kept_with_entities.get(name)
            if required and any(e.get("entity") == required for e in message.get(ENTITIES) or []):
                continue
            message.set(INTENT, {INTENT_NAME_KEY: FALLBACK, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)
        return messages
