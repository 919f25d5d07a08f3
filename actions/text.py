"""Small text helpers of the renderers: list markers, copy counts, case headings, whole sentences."""

from __future__ import annotations

import re

from vitext.normalize import fold

# Record texts often carry their own list markers ("- Giấy chứng sinh", "* Giấy tờ phải nộp:").
LEADING_MARK = re.compile(r"^(?:[-+*•]+|\(?[a-zđ0-9]\)|[0-9]+\.)\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ(\"“-])")


def clean(text: str) -> str:
    """Whitespace folded and the record's own list marker dropped (the reply adds its own)."""
    return LEADING_MARK.sub("", " ".join(text.split()))


def copies(originals: int | None, copies_: int | None) -> str:
    parts = []
    if originals:
        parts.append(f"bản chính: {originals}")
    if copies_:
        parts.append(f"bản sao: {copies_}")
    return f" ({', '.join(parts)})" if parts else ""


def case_heading(case: str) -> str:
    """A group heading: "Đăng ký vào chỗ ở của mình" → "Trường hợp đăng ký vào chỗ ở của mình:"."""
    label = clean(case).rstrip(" :")
    folded = fold(label)
    if not folded.startswith(("truong hop", "doi voi", "giay to", "cac giay to", "ho so", "thanh phan", "luu y")):
        if len(label) > 1 and label[1].islower():  # not an acronym
            label = label[0].lower() + label[1:]
        label = f"Trường hợp {label}"
    return f"{label}:"


def whole_sentences(text: str, limit: int) -> tuple[str, bool]:
    """The text, or its first whole sentences within `limit` characters (at least the first sentence);
    and whether sentences were left out. Never cuts inside a sentence."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text, False
    sentences = _SENTENCE_END.split(text)
    kept = sentences[0]
    for sentence in sentences[1:]:
        if len(kept) + 1 + len(sentence) > limit:
            break
        kept = f"{kept} {sentence}"
    return kept, kept != text


def label(text: str, limit: int = 40) -> str:
    """A button title: the start of a text up to a word boundary (a label, not a stated fact)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
