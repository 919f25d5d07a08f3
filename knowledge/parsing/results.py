"""The "Kết quả thực hiện" text: result documents, each followed by its code ("Mã: KQ.G01.000064").

Crawls of the portal page run on past the results into the page's keyword, description and
agency-picker widgets; everything from the first of those markers on is dropped.
"""

from __future__ import annotations

import re

from knowledge.parsing.cells import tidy
from vitext.normalize import clean_field

_PAGE_JUNK = re.compile(r"Từ khóa|Chọn cơ quan thực hiện|Hệ thống chỉ hiển thị|Nộp hồ sơ$")
# Result codes: "KQ.G01.000064", "KQ.H02.000010", "G19-KQ0060102", "1.G12-KQ0001".
_CODE = re.compile(r"Mã\s*:\s*[0-9A-Z]+(?:[.\-][0-9A-Z]+)*")


def _split_codes(text: str) -> list[str]:
    """The text between result codes. A code swallows the capital that starts the next name when a
    lower-case letter follows it ("000064Giấy" → "000064" + "Giấy"); its digits it keeps whole
    ("KQ.G19.000510văn bản" → "văn bản", "…0006Đối với" → "Đối với")."""
    pieces: list[str] = []
    start = 0
    for match in _CODE.finditer(text):
        end = match.end()
        if end < len(text) and text[end].islower() and match.group(0)[-1].isalpha() and len(match.group(0)) > 1:
            end -= 1
        pieces.append(text[start : match.start()])
        start = end
    pieces.append(text[start:])
    return pieces


def parse_results(text: str) -> list[str]:
    """Names of the results a procedure produces; [] when there are none."""
    if clean_field(text) is None:
        return []
    junk = _PAGE_JUNK.search(text)
    if junk:
        text = text[: junk.start()]
    pieces = _split_codes(text)
    results: list[str] = []
    for piece in pieces:
        name = tidy(piece)
        if clean_field(name) is not None and name not in results:
            results.append(name)
    return results
