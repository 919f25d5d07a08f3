"""Property tests of the Rasa tokenizer component on arbitrary Unicode (NFD, emoji, control characters).

Rasa cuts entity values out of the message with the tokens' offsets, so every token must be exactly
``text[start:end]``, in order, never overlapping, and the component must never raise on what a citizen
(or a broken client) sends. Runs in the Rasa environment, with underthesea's real segmenter.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytest.importorskip("rasa")

from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.tokenizer import VietnameseTokenizer

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
WORDS = ["đăng ký", "khai sinh", "Hà Nội", "CCCD", "1.001193", "lệ phí", "ở đâu", "mức độ 4", "Hoà Bình", "gplx"]
ODD = ["😀", "👋🏻", "🇻🇳", "\u200b", "\ufeff", "\x00", "\t", "\n", "\r\n", "\u00a0", "\u0301", "\u0323", "…", "?!", "_"]

any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=120)
vietnamese_like = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(ODD),
        st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ", min_size=1, max_size=12),
    ),
    max_size=15,
).map(" ".join)
messages = st.one_of(
    any_text,
    vietnamese_like,
    vietnamese_like.map(lambda t: unicodedata.normalize("NFD", t)),
    vietnamese_like.map(lambda t: unicodedata.normalize("NFKD", t)),
)


@pytest.fixture(scope="module")
def tokenizer() -> VietnameseTokenizer:
    return VietnameseTokenizer(VietnameseTokenizer.get_default_config())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=messages)
@example(text="Hoà\u0300 Bình 😀 \x00 đăng ký")
@example(text="\u0301\u0301 a")
@example(text="   ")
@example(text="")
def test_tokens_are_exact_substrings_in_order(tokenizer: VietnameseTokenizer, text: str) -> None:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    last_end = 0
    for token in tokens:
        assert 0 <= token.start < token.end <= len(text), (token.text, token.start, token.end)
        assert text[token.start : token.end] == token.text
        assert token.start >= last_end, "tokens overlap or are out of order"
        last_end = token.end
        lemma = token.lemma
        assert isinstance(lemma, str) and lemma, token.text
    if text.strip():
        assert tokens, "a message with visible text must give at least one token"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=vietnamese_like)
def test_decomposed_message_gives_the_same_lemmas(tokenizer: VietnameseTokenizer, text: str) -> None:
    composed, decomposed = Message(data={TEXT: text}), Message(data={TEXT: unicodedata.normalize("NFD", text)})
    tokenizer.process([composed, decomposed])
    lemmas = [[t.lemma for t in m.get(TOKENS_NAMES[TEXT]) or []] for m in (composed, decomposed)]
    assert lemmas[0] == lemmas[1]
