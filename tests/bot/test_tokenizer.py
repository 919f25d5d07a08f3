"""The Vietnamese tokenizer: tokens are exact substrings at the right offsets of the message."""

from __future__ import annotations

import unicodedata

import pytest

from vitext.segment import segment

SENTENCES = [
    "Tôi mới chuyển nhà, cần làm thủ tục đăng ký thường trú ở Hà Nội?",
    "Đăng ký khai sinh cần những giấy tờ gì?",
    "lam cccd can giay to gi",
    "Hoà Bình có bao nhiêu dịch vụ công mức độ 4 😀",
    "mẫu đơn đổi gplx tải ở đâu!!!",
    "cái mã 2.001711 ấy",
    "  Lệ phí\tcấp   hộ chiếu\n là bao nhiêu ???  ",
    "Bộ Công Thương có bao nhiêu dịch vụ công trực tuyến toàn trình?",
    "ko biết làm cccd ở đâu đc k",
    "xin chào 👋🏻 bạn ơi…",
    "giá: 50.000đ/lần (theo Thông tư 85/2019/TT-BTC)",
]


def _check_exact(text: str) -> list[str]:
    spans = segment(text)
    last_end = 0
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.start >= last_end, "tokens must not overlap and must be in order"
        last_end = span.end
    return [s.text for s in spans]


@pytest.mark.parametrize("text", SENTENCES)
def test_tokens_are_exact_substrings(text: str) -> None:
    assert _check_exact(text)


@pytest.mark.parametrize("text", SENTENCES)
def test_decomposed_unicode_gives_same_lemmas_and_exact_offsets(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    _check_exact(nfd)
    assert [s.lemma for s in segment(nfd)] == [s.lemma for s in segment(text)]
    # NFD tokens are the decomposed forms of the NFC tokens
    assert [unicodedata.normalize("NFC", s.text) for s in segment(nfd)] == [s.text for s in segment(text)]


def test_words_are_segmented_and_lemmas_folded() -> None:
    spans = segment("Đăng ký thường trú ở Hà Nội")
    assert [s.text for s in spans] == ["Đăng ký", "thường trú", "ở", "Hà Nội"]
    assert [s.lemma for s in spans] == ["dang_ky", "thuong_tru", "o", "ha_noi"]


def test_no_diacritics_and_abbreviations_stay_apart() -> None:
    assert [s.text for s in segment("lam cccd can giay to gi")] == ["lam", "cccd", "can", "giay", "to", "gi"]
    assert "gplx" in [s.text for s in segment("mẫu đơn đổi gplx tải ở đâu")]
    assert "2.001711" in [s.text for s in segment("cái mã 2.001711 ấy")]


def test_no_diacritics_lemma_matches_accented_lemma_per_syllable() -> None:
    accented = "".join(s.lemma.replace("_", "") for s in segment("đăng ký khai sinh"))
    plain = "".join(s.lemma for s in segment("dang ky khai sinh"))
    assert accented == plain


def test_punctuation_and_emoji_are_dropped() -> None:
    texts = [s.text for s in segment("Lệ phí bao nhiêu ạ?!! 😀")]
    assert texts == ["Lệ phí", "bao nhiêu", "ạ"]


@pytest.mark.parametrize("text", ["?", "😀", " 👍 "])
def test_message_without_words_gives_one_token(text: str) -> None:
    spans = segment(text)
    assert len(spans) == 1
    assert text[spans[0].start : spans[0].end] == text.strip()


@pytest.mark.parametrize("text", ["", "   ", "\u200b"])
def test_empty_message_gives_no_tokens(text: str) -> None:
    assert segment(text) == [] or text == "\u200b"


def test_control_characters_and_odd_spaces() -> None:
    text = "đăng\u00a0ký\u200bkhai sinh\u0007 ở đâu"
    texts = _check_exact(text)
    assert texts[-2:] == ["ở", "đâu"]


def test_rasa_component_sets_exact_tokens() -> None:
    pytest.importorskip("rasa")
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.tokenizer import VietnameseTokenizer

    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    for text in SENTENCES + [unicodedata.normalize("NFD", s) for s in SENTENCES]:
        message = Message(data={TEXT: text})
        tokens = tokenizer.tokenize(message, TEXT)
        assert tokens
        for token in tokens:
            assert text[token.start : token.end] == token.text
            # Rasa's base class locates words with text.index: that must agree with our offsets
            assert text.index(token.text, token.start) == token.start


def test_rasa_component_entity_alignment_in_training_data() -> None:
    pytest.importorskip("rasa")
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.tokenizer import VietnameseTokenizer

    text = "lệ phí cấp hộ chiếu là bao nhiêu"
    start = text.index("cấp hộ chiếu")
    entity = {
        "start": start,
        "end": start + len("cấp hộ chiếu"),
        "value": "cấp hộ chiếu",
        "entity": "procedure",
    }
    message = Message.build(text=text, intent="ask_fee", entities=[entity])
    tokenizer = VietnameseTokenizer(VietnameseTokenizer.get_default_config())
    tokenizer.process_training_data(TrainingData([message]))
    tokens = message.get("text_tokens")
    starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
    assert entity["start"] in starts and entity["end"] in ends
