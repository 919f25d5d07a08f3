"""Rasa 3.6 tokenizer for Vietnamese: the shared normaliser, then underthesea word segmentation.

Registered as a graph component; config.yml refers to it as ``bot.tokenizer.VietnameseTokenizer``.
Each token's ``text`` is exactly ``message_text[start:end]`` (entity values are cut from the message
with these offsets), and its ``lemma`` is the accent-folded word, which the featurizers use so that
"đăng ký" and "dang ky" look alike.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.components import MadeFromConfig
from vitext.segment import segment


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(MadeFromConfig, Tokenizer):
    """Word tokenizer for Vietnamese built on ``underthesea.word_tokenize``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["underthesea"]

    @staticmethod
    def supported_languages() -> list[str] | None:
        return ["vi"]

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute)
        if not isinstance(text, str):
            return []
        tokens = [Token(span.text, span.start, span.end, lemma=span.lemma) for span in segment(text)]
        return self._apply_token_pattern(tokens)
