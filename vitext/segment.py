"""Vietnamese word segmentation with exact offsets into the original text (no Rasa import here).

The message is normalised with ``vitext.normalize.normalize`` (NFC, control characters removed,
whitespace collapsed) and segmented by underthesea. Every span maps back to the *original* text, so
``text[start:end]`` is the token even when the input was decomposed (NFD) Unicode, had odd
whitespace or control characters. Each span also carries a lemma: the accent-folded, lower-cased
word with ``_`` joining its syllables ("đăng ký" → "dang_ky"), so featurizers that read lemmas see
the same feature whether or not the citizen typed diacritics.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from vitext.normalize import CONTROL, fold, normalize

logger = logging.getLogger(__name__)


_WORD_CHAR = re.compile(r"\w")
_DIGIT = re.compile(r"[0-9]")
_VOWEL = re.compile(r"[aeiouy]")
# A word starts with a letter or digit and keeps its combining marks: in decomposed (NFD) text the
# marks are not \w, and "đăng" must not come out as "đa" + "ng".
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_FALLBACK_WORDS = re.compile(rf"\w[\w{_MARKS}]*(?:[.,/-]\w[\w{_MARKS}]*)*")


@dataclass(frozen=True)
class Span:
    """One token: ``text == original[start:end]``; ``lemma`` is the folded form used for features."""

    text: str
    start: int
    end: int
    lemma: str


def _underthesea_words(text: str) -> list[str]:
    from underthesea import word_tokenize  # imported lazily: it loads the bundled CRF model

    return list(word_tokenize(text, use_token_normalize=False))


def _normalise_with_offsets(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Return ``normalize(text)`` and, for each of its characters, the original span it came from."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        unit = unicodedata.normalize("NFC", text[i:j])
        if CONTROL.fullmatch(unit) or unit.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                spans.append((i, j))
        else:
            for ch in unit:
                chars.append(ch)
                spans.append((i, j))
        i = j
    if chars and chars[-1] == " ":
        chars.pop()
        spans.pop()
    return "".join(chars), spans


def _fallback_spans(text: str) -> list[Span]:
    return [Span(m.group(), m.start(), m.end(), fold(m.group())) for m in _FALLBACK_WORDS.finditer(text)]


def segment(text: str, words: Callable[[str], list[str]] = _underthesea_words) -> list[Span]:
    """Split ``text`` into word spans located exactly in ``text``; punctuation and emoji are dropped.

    A message with no word at all (only "?" or an emoji) gives one span covering the stripped text,
    as Rasa's whitespace tokenizer does, so downstream components never see an empty token list.
    """
    if not text or not text.strip():
        return []
    norm, offsets = _normalise_with_offsets(text)
    if norm != normalize(text):  # a composition across clusters we do not model: stay safe
        logger.debug("offset mapping mismatch, falling back to regex words for %r", text)
        spans = _fallback_spans(text)
    else:
        spans = _locate(text, norm, offsets, words(norm))
    if not spans:
        stripped = text.strip()
        start = text.index(stripped)
        spans = [Span(stripped, start, start + len(stripped), fold(stripped) or stripped)]
    return spans


def _unreliable_compound(word: str) -> bool:
    """Whether underthesea's multi-syllable word is likely a mis-segmentation to split apart.

    Plain ASCII comes from text typed without diacritics, which underthesea segments poorly
    ("cccd can"); codes and abbreviations (no vowel: "gplx", "bhyt") get glued to the next word.
    """
    if word.isascii() or _DIGIT.search(word):
        return True
    return any(not _VOWEL.search(fold(syllable)) for syllable in word.split())


def _locate(text: str, norm: str, offsets: list[tuple[int, int]], words: list[str]) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for word in words:
        pieces = [word]
        if norm.find(word, cursor) < 0 or (" " in word and _unreliable_compound(word)):
            pieces = word.split()
        for piece in pieces:
            found = norm.find(piece, cursor)
            if found < 0 or not piece:
                logger.debug("token %r not found in %r", piece, norm)
                continue
            cursor = found + len(piece)
            if not _WORD_CHAR.search(piece):
                continue
            start, end = offsets[found][0], offsets[cursor - 1][1]
            lemma = "_".join(fold(piece).split())
            spans.append(Span(text[start:end], start, end, lemma))
    return spans
