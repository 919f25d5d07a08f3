"""The "Kết quả thực hiện" text: result documents, each followed by its code ("Mã: KQ.G01.000064").

Crawls of the portal page run on past the results into the page's keyword, description and
agency-picker widgets; everything from the first of those markers on is dropped.
"""

from __future__ import annotations

import re

from knowledge.normalize import clean_field
from knowledge.parsing._text import tidy

_PAGE_JUNK = re.compile(r"Từ khóa|Chọn cơ quan thực hiện|Hệ thống chỉ hiển thị|Nộp hồ sơ$")
# Result codes: "KQ.G01.000064", "KQ.H02.000010", "G19-KQ0060102", "1.G12-KQ0001".
_CODE = re.compile(r"Mã\s*:\s*[0-9A-Z]+(?:[.\-][0-9A-Z]+)*(?=[^a-zà-ỹ]|$)")


def parse_results(text: str) -> list[str]:
    """Names of the results a procedure produces; [] when there are none."""
    if clean_field(text) is None:
        return []
    junk = _PAGE_JUNK.search(text)
    if junk:
        text = text[: junk.start()]
    pieces = _CODE.split(text)
    results: list[str] = []
    for piece in pieces:
        name = tidy(piece)
        if clean_field(name) is not None and name not in results:
            results.append(name)
    return results
