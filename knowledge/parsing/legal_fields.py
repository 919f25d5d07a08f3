"""Kind and date of a legal document, read from its own number and title (never guessed further).

"Luật số 43/2024/QH15 ngày 29/6/2024" → kind "Luật", date "29/6/2024"; "26/2019/NĐ-CP" → "Nghị định".
A number is kept only when it occurs in the source text as a whole token (`occurs_verbatim`).
"""

from __future__ import annotations

import re

from knowledge.schema import LegalDocument
from vitext.normalize import fold, normalize

KINDS = (
    "Thông tư liên tịch",
    "Bộ luật",
    "Luật",
    "Nghị định",
    "Nghị quyết",
    "Thông tư",
    "Quyết định",
    "Pháp lệnh",
    "Chỉ thị",
    "Công văn",
    "Văn bản hợp nhất",
)
_KIND_AT_START = re.compile(r"^(?:" + "|".join(re.escape(k) for k in KINDS) + r")(?![^\W\d_])", re.IGNORECASE)
# The issuer part of a number says its kind: "…/NĐ-CP" a decree, "…/TT-BTC" a circular, "…/QH15" a law.
_SUFFIX_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/TTLT-"), "Thông tư liên tịch"),
    (re.compile(r"/NĐ-"), "Nghị định"),
    (re.compile(r"/NQ-"), "Nghị quyết"),
    (re.compile(r"/TT-"), "Thông tư"),
    (re.compile(r"/QĐ-"), "Quyết định"),
    (re.compile(r"/PL-"), "Pháp lệnh"),
    (re.compile(r"/CT-"), "Chỉ thị"),
    (re.compile(r"/(?:\d{4}/)?QH\d{2}$"), "Luật"),
)
_DATE_NUMERIC = re.compile(r"\bngày\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
_DATE_WORDS = re.compile(r"\bngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
# A date written straight before the next number ("ngày 29/6/202443/2024/QH15"): split after the year.
DATE_THEN_DIGIT = re.compile(r"(?<!\d)(\d{1,2}/\d{1,2}/(?:19|20)\d{2})(?=\d)")


def split_glued_dates(text: str) -> str:
    """ "ngày 29/6/202443/2024/QH15" → "ngày 29/6/2024 43/2024/QH15" (a date then a number cell)."""
    return DATE_THEN_DIGIT.sub(r"\1 ", text)


def document_kind(number: str | None, title: str) -> str | None:
    """The kind a title starts with, else the kind its number's issuer code implies; None when neither says."""
    match = _KIND_AT_START.match(normalize(title))
    if match:
        found = next(k for k in KINDS if fold(k) == fold(match.group(0)))
        return found
    for pattern, kind in _SUFFIX_KINDS:
        if number and pattern.search(number):
            return kind
    return None


_ANY_NUMBER = re.compile(r"\d+/(?:\d{4}/)?[A-ZĐ]")


def document_date(number: str | None, title: str) -> str | None:
    """The "ngày d/m/yyyy" or "ngày d tháng m năm yyyy" of a title, as d/m/yyyy, when it is the document's
    own: no other document's number comes before it ("… của Thông tư số 25/2018/… ngày 15 tháng 11 …")."""
    for pattern in (_DATE_NUMERIC, _DATE_WORDS):
        match = pattern.search(title)
        if not match:
            continue
        head = title[: match.start()]
        others = [n for n in _ANY_NUMBER.finditer(head) if not (number and head[n.start() :].startswith(number))]
        return None if others else f"{int(match[1])}/{int(match[2])}/{match[3]}"
    return None


def occurs_verbatim(number: str, source: str) -> bool:
    """The number appears in the source as a whole token: no digit or letter glued before it, once dates
    glued to it are split off ("29/6/202443/2024/QH15" holds "43/2024/QH15", not "02443/2024/QH15")."""
    text = split_glued_dates(normalize(source))
    # A year may close the title straight before the number cell ("… năm 201817/2026/TT-BNNMT").
    return re.search(rf"(?:(?<![\d/.])|(?<=(?<!\d)(?:19|20)\d\d)){re.escape(number)}", text) is not None


def with_details(document: LegalDocument) -> LegalDocument:
    """The document with its kind and date filled from its own number and title."""
    return document.model_copy(
        update={
            "kind": document_kind(document.number, document.title),
            "date": document_date(document.number, document.title),
        }
    )
