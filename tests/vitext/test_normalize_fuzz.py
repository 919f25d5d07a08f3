"""Property tests of the shared normaliser on arbitrary Unicode: it never raises and keeps its promises."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from vitext.normalize import clean_field, fold, has_diacritics, normalize, words

VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " 0123456789.,?"), max_size=80
)
# Everything, surrogates aside (a Python str from a request or a file never holds lone surrogates).
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200)
nasty_text = st.one_of(any_text, vietnamese_text.map(lambda t: unicodedata.normalize("NFD", t)))

fuzz = settings(max_examples=400, deadline=None)


@fuzz
@given(nasty_text)
@example("Hoà\u0300 \u200b\tđăng\u00a0ký\n\x00")
@example("\ufeff  ")
def test_normalize_is_nfc_stripped_collapsed_and_idempotent(text: str) -> None:
    out = normalize(text)
    assert unicodedata.is_normalized("NFC", out)
    assert out == out.strip()
    assert "  " not in out and "\t" not in out and "\n" not in out
    assert not any(unicodedata.category(ch) == "Cc" for ch in out)
    assert normalize(out) == out
    assert len(out) <= len(unicodedata.normalize("NFC", text))


@fuzz
@given(nasty_text)
@example("ĐĂNG KÝ Khai Sinh")
def test_fold_has_no_diacritics_and_is_idempotent(text: str) -> None:
    out = fold(text)
    assert not any(unicodedata.category(ch) == "Mn" for ch in out)
    assert "đ" not in out and "Đ" not in out
    assert fold(out) == out
    assert not has_diacritics(out)


@fuzz
@given(vietnamese_text)
def test_vietnamese_folds_to_ascii_letter_for_letter(text: str) -> None:
    normal = normalize(text)
    out = fold(text)
    assert out.isascii()
    assert len(out) == len(normal)
    assert [fold(ch) or ch for ch in normal] == list(out)  # letter for letter: "Đăng" → "dang"


@fuzz
@given(vietnamese_text)
def test_nfd_input_is_the_same_text(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    assert normalize(decomposed) == normalize(text)
    assert fold(decomposed) == fold(text)


@fuzz
@given(nasty_text)
def test_words_are_substrings_without_punctuation(text: str) -> None:
    for word in words(text):
        assert word and word in text
        assert "_" not in word and not any(ch.isspace() for ch in word)


@fuzz
@given(st.one_of(st.none(), nasty_text, st.integers(), st.floats(allow_nan=True)))
def test_clean_field_never_raises_and_never_returns_blank(value: object) -> None:
    out = clean_field(value)
    assert out is None or (out.strip() == out and out)
