"""The "Căn cứ pháp lý" table: legal documents, each a title followed by its number.

Flattened: "Tên văn bản pháp lýMã văn bản<title><number><title><number>…". A number ends a row
only where the next title starts, so numbers quoted inside a title ("Thông tư số
53/2025/TT-BCAngày 01/7/2025 …", followed by a lower-case word) do not split it.
"""

from __future__ import annotations

import re

from knowledge.normalize import fold, normalize
from knowledge.parsing._text import tidy
from knowledge.schema import LegalDocument

_HEADER = re.compile(r"^\s*Tên văn bản pháp lý\s*Mã văn bản\s*")
# Vietnamese document numbers: "68/2020/QH14", "66.7/2025/NQ-CP", "1523/QĐ-BCA-C06",
# "17/2019/QĐ-TTg". Cells are glued to their neighbours on both sides, so a number may follow a
# letter or a sentence end directly, and digits after a letter group are taken only where they
# cannot start the next number ("QH1354/2014/QH13" is "QH13" + "54/2014/QH13"; "CP121/2021" is
# "CP" + "121/2021").
_SEGMENT = r"(?:TTg|[A-ZĐ]*QH\d{2}|[A-ZĐ]+(?:\d{1,2}(?![\d/]))?)"
_NUMBER = re.compile(rf"(?<!/)\d+(?:\.\d+)?/(?:\d{{4}}/)?{_SEGMENT}(?:-{_SEGMENT})*")
# "Luật Cư trú 202068/2020/QH14": a year closing the title ran into the number.
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}(?=\d)")
# A number cell may carry its own prefix ("Số 73/2025/TT-NHNN", "Luật số 32/2024/QH15").
_CELL_KINDS = r"Luật|Bộ luật|Nghị định|Nghị quyết|Thông tư(?: liên tịch)?|Quyết định|Pháp lệnh|Văn bản"
_CELL_PREFIX = re.compile(rf"(?:(?:{_CELL_KINDS})\s?)?[Ss]ố:?\s?$")
_NO_INFO = "khong co thong tin"


def parse_legal_basis(text: str) -> list[LegalDocument]:
    """Legal documents of a flattened "Căn cứ pháp lý" table; [] when none can be read."""
    text = normalize(text)
    body = _HEADER.sub("", text, count=1)
    if not body or fold(body) == _NO_INFO:
        return []
    documents: list[LegalDocument] = []
    start = 0
    for match in _NUMBER.finditer(body):
        number, number_start = _trim_into_title(body, match), match.start()
        if not _ends_row(body, number_start + len(number)):
            continue
        year = _YEAR_PREFIX.match(number)
        if year and number.index("/") > year.end():
            number, number_start = number[year.end() :], number_start + year.end()
        title = tidy(_CELL_PREFIX.sub("", body[start:number_start]).strip())
        if not title:
            continue  # the number opens a title that quotes it ("73/2025/TT-NHNNSố 73/2025/…")
        documents.append(LegalDocument(number=number, title=title))
        start = number_start + len(number)
    trailing = tidy(body[start:])
    if trailing and not documents:
        return []  # a table with no readable number: better nothing than one garbled title
    if trailing:
        documents.append(LegalDocument(title=trailing))
    return documents


def _trim_into_title(body: str, match: re.Match[str]) -> str:
    """Give back the capital letter of a next title that the number swallowed.

    "NQ-CPThông" (a lower-case letter follows) and "TT-BCASỬA ĐỔI" (an accented capital
    follows: agency codes use no accented letter but Đ).
    """
    number = match.group(0)
    end = match.end()
    if end >= len(body) or len(number) < 2 or not (number[-1].isupper() and number[-2].isupper()):
        return number
    following = body[end]
    if following.islower() or (following.isupper() and not following.isascii() and following != "Đ"):
        return number[:-1]
    return number


def _ends_row(body: str, end: int) -> bool:
    """A number ends a row at the end of the text or where the next title starts.

    A number followed straight by another one is the tail of a title that quotes its own number
    ("Luật 54/2014/QH13" + "54/2014/QH13"): the second one is the number cell.
    """
    rest = body[end:].removeprefix(" ")
    if not rest:
        return True
    return rest[0].isupper() or rest[0] in '("“'
