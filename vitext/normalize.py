"""The one Vietnamese text normaliser, shared by the catalog, the search index and the bot.

NFC comes first: decomposed Vietnamese (NFD) breaks the tokenizers and substring matching.
"""

from __future__ import annotations

import re
import unicodedata

# Characters no stored or compared text keeps: C0/C1 controls (but tab, new line and carriage return),
# zero-width marks, line and paragraph separators and the byte-order mark.
CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    """NFC, control characters removed, whitespace collapsed, stripped."""
    text = unicodedata.normalize("NFC", text)
    text = CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower-case and strip diacritics (đ → d) for accent-insensitive matching."""
    decomposed = unicodedata.normalize("NFD", normalize(text).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # Recomposed: scripts whose letters decompose into other letters (Hangul) come back as typed.
    return unicodedata.normalize("NFC", stripped.replace("đ", "d"))


def words(text: str) -> list[str]:
    """Runs of letters and digits, punctuation and underscores dropped."""
    return _WORD.findall(text)


def has_diacritics(text: str) -> bool:
    """True when the text carries any Vietnamese diacritic (or đ)."""
    return fold(text) != normalize(text).lower()


def clean_field(value: object) -> str | None:
    """Normalise a raw field; placeholders such as "Không có thông tin" become None."""
    if value is None:
        return None
    text = normalize(str(value))
    if not text or fold(text) in _PLACEHOLDERS:
        return None
    return text


_PLACEHOLDERS = {"khong co thong tin", "-", "null", "none", "nan"}


def encoder_text(text: str) -> str:
    """NFC and strip, nothing more: what the embedding model reads. The XLM-R tokenizer turns decomposed
    Vietnamese diacritics into unknown pieces; the full ``normalize`` would change the indexed vectors."""
    return unicodedata.normalize("NFC", text).strip()
