"""The "Căn cứ pháp lý" table: legal documents, each a title followed by its number.

Flattened: "Tên văn bản pháp lýMã văn bản<title><number><title><number>…". A number ends a row
only where the next title starts, so numbers quoted inside a title ("Thông tư số
53/2025/TT-BCAngày 01/7/2025 …", followed by a lower-case word) do not split it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.parsing.cells import tidy
from knowledge.parsing.legal_fields import KINDS, occurs_verbatim, split_glued_dates, with_details
from knowledge.schema import LegalDocument
from vitext.normalize import fold, normalize

_HEADER = re.compile(r"^\s*Tên văn bản pháp lý\s*Mã văn bản\s*")
# Vietnamese document numbers: "68/2020/QH14", "66.7/2025/NQ-CP", "1523/QĐ-BCA-C06",
# "17/2019/QĐ-TTg". Cells are glued to their neighbours on both sides, so a number may follow a
# letter or a sentence end directly, and digits after a letter group are taken only where they
# cannot start the next number ("QH1354/2014/QH13" is "QH13" + "54/2014/QH13"; "CP121/2021" is
# "CP" + "121/2021").
_SEGMENT = r"(?:TTg|[A-ZĐ]*QH\d{2}|[A-ZĐ]+(?:\d{1,2}(?![\d/]))?)"
DOCUMENT_NUMBER = re.compile(rf"(?<!/)\d+(?:\.\d+)?/(?:\d{{4}}/)?{_SEGMENT}(?:-{_SEGMENT})*")
# "Luật Cư trú 202068/2020/QH14": a year closing the title ran into the number.
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}(?=\d)")
# A number cell may carry its own prefix ("Số 73/2025/TT-NHNN", "Luật số 32/2024/QH15").
_CELL_KINDS = r"Luật|Bộ luật|Nghị định|Nghị quyết|Thông tư(?: liên tịch)?|Quyết định|Pháp lệnh|Văn bản"
_CELL_PREFIX = re.compile(rf"(?:(?:{_CELL_KINDS})\s?)?[Ss]ố:?\s?$")
# "LuậtLuật 18/2017/QH14": a number cell that repeats the kind, glued to the title before it.
_GLUED_KIND = re.compile(rf"(?<=[^\W\d_]|[.;])(?:{_CELL_KINDS})\s(?:số:?\s?)?$")
# Words that quote a number inside a title ("Thông tư số 25/2018/TT-BNNPTNT ngày …", "theo …").
_QUOTING = re.compile(
    r"(?:^|\s)(?:" + "|".join(re.escape(k) for k in KINDS) + r"|số|theo|tại|ngày|của)\s*:?\s*$", re.IGNORECASE
)
# "…Luật Đầu tư côngLuật số 58Luật số 43/2024/…": a number cell holding only the leading digits.
_SHORT_CELL = re.compile(rf"(?<=[^\W\d_])(?:{_CELL_KINDS})\s?số\s?(\d+)(?=[A-ZĐ])")
_NO_INFO = "khong co thong tin"
# Issuer codes that end Vietnamese document numbers (Chính phủ, Thủ tướng, Quốc hội's standing committee,
# ministries old and new, the State Bank, provinces' people's committees).
ISSUER_CODES = frozenset(
    [
        "CP",
        "TTg",
        "UBTVQH",
        "VPCP",
        "UBND",
        "HĐND",
        "NHNN",
        "TANDTC",
        "VKSNDTC",
        "KTNN",
        "BQP",
        "BCA",
        "BTP",
        "BTC",
        "BYT",
        "BXD",
        "BNV",
        "BCT",
        "BKHCN",
        "BNG",
        "BNNMT",
        "BNNPTNT",
        "BTNMT",
        "BGTVT",
        "BLĐTBXH",
        "BGDĐT",
        "BVHTTDL",
        "BKHĐT",
        "BTTTT",
        "UBDT",
        "TTCP",
        "BCT-BTC",
    ]
)
ISSUER_CODES_LONGEST_FIRST = sorted(ISSUER_CODES, key=len, reverse=True)


def parse_legal_basis(text: str) -> list[LegalDocument]:
    """Legal documents of a flattened "Căn cứ pháp lý" table; [] when none can be read."""
    text = split_glued_dates(normalize(text))
    body = _HEADER.sub("", text, count=1)
    if not body or fold(body) == _NO_INFO:
        return []
    documents: list[LegalDocument] = []
    start = 0
    for short in _SHORT_CELL.finditer(body):
        found, trailing = _rows(body[start : short.start()])
        documents += found
        # Only the digits were typed in the number cell: the full number is the one its title quotes.
        quoted = next(
            (n.group(0) for n in DOCUMENT_NUMBER.finditer(trailing) if n.group(0).startswith(f"{short[1]}/")), None
        )
        if trailing:
            documents.append(LegalDocument(number=quoted, title=trailing))
        start = short.end()
    found, trailing = _rows(body[start:])
    documents += found
    if trailing and not documents:
        return []  # a table with no readable number: better nothing than one garbled title
    if trailing:
        documents.append(LegalDocument(title=trailing))
    unique: list[LegalDocument] = []
    for document in documents:
        # A number the source does not hold as written (a crawl that glued cells) is dropped, not shown.
        if document.number and not occurs_verbatim(document.number, text):
            document = document.model_copy(update={"number": None})
        document = with_details(document)
        if document not in unique:
            unique.append(document)
    return unique


def _rows(body: str) -> tuple[list[LegalDocument], str]:
    """The (title, number) rows of a stretch of the table, and the text after its last number."""
    documents: list[LegalDocument] = []
    start = 0
    for match in DOCUMENT_NUMBER.finditer(body):
        number, number_start = _trim_into_title(body, match, body[start : match.start()]), match.start()
        if not _ends_row(body, number_start + len(number), body[start:number_start], number):
            continue
        year = _YEAR_PREFIX.match(number)
        if year and number.index("/") > year.end():
            number, number_start = number[year.end() :], number_start + year.end()
        before = body[start:number_start]
        glued = _GLUED_KIND.search(before)
        title = tidy((before[: glued.start()] if glued else _CELL_PREFIX.sub("", before)).strip()).rstrip(" ;,")
        if not title:
            continue  # the number opens a title that quotes it ("73/2025/TT-NHNNSố 73/2025/…")
        documents.append(LegalDocument(number=number, title=title))
        start = number_start + len(number)
    return documents, tidy(body[start:])


def _trim_into_title(body: str, match: re.Match[str], title: str) -> str:
    """Give back the capital letter of a next title that the number swallowed.

    "NQ-CPThông" (a lower-case letter follows) and "TT-BCASỬA ĐỔI" (an accented capital
    follows: agency codes use no accented letter but Đ); not when the title quotes the number whole
    ("Thông tư 25/2018/TT-BNNPTNT" + "25/2018/TT-BNNPTNTsửa đổi …").
    """
    number = match.group(0)
    if number in title:
        return number
    # A known issuer code settles it both ways: "TT-BGTVT" + "sửa đổi …" keeps its "T"; "NĐ-CP" + "QUY ĐỊNH"
    # and "TT-BGTVT" + "LUẬT …" give back the capitals that start the next title.
    last = re.split(r"[-/]", number)[-1]
    if last in ISSUER_CODES:
        return number
    known = next((code for code in ISSUER_CODES_LONGEST_FIRST if last.startswith(code)), None)
    if known and not last[len(known) :].isdigit():
        return number[: len(number) - len(last) + len(known)]
    end = match.end()
    if end >= len(body) or len(number) < 2 or not (number[-1].isupper() and number[-2].isupper()):
        return number
    following = body[end]
    if following.islower() or (following.isupper() and not following.isascii() and following != "Đ"):
        return number[:-1]
    return number


def _ends_row(body: str, end: int, before: str, number: str) -> bool:
    """A number ends a row at the end of the text or where the next title starts.

    A number followed straight by another one is the tail of a title that quotes its own number
    ("Luật 54/2014/QH13" + "54/2014/QH13"): the second one is the number cell. A next title may
    start in lower case ("…Môi trường 146/2025/QH15 sửa đổi, bổ sung …") unless the words before
    the number quote it ("Thông tư số 25/2018/TT-BNNPTNT ngày …"); a number cell glued to its own
    kind ("LuậtLuật 18/2017/QH14sửa đổi …") always ends its row.
    """
    rest = body[end:]
    if not rest.strip():
        return True
    # A number glued straight after a sentence end ("… pháp luật.03/2024/TT-BTPtư vấn …") is a number cell too.
    if _GLUED_KIND.search(before) or before.endswith(number) or re.search(r"[^\W\d_][.;]$", before):
        return not rest[0].isdigit()
    rest_stripped = rest.removeprefix(" ")
    if rest_stripped[0].isupper() or rest_stripped[0] in '("“' or re.match(r"- [A-ZĐÀ-Ỹ]", rest_stripped):
        return True
    # "… tàu bay56/2018/TT-BGTVTsửa đổi …": a whole number (known issuer) glued to a title's last word.
    if re.search(r"[^\W\d_]$", before) and re.split(r"[-/]", number)[-1] in ISSUER_CODES:
        return True
    # "… với cách mạng04/2012/UBTVQH1326/2005/PL-…": a number glued to a title's last word, then another.
    if rest[0].isdigit() and re.search(r"[^\W\d_]$", before) and not rest.startswith(number):
        return True
    spaced = rest.startswith(" ") and rest_stripped[0].isalpha()
    return spaced and before.endswith(" ") and not _QUOTING.search(before)


# Tables with a number column and a title column (the other importers).
_DOC_NUMBER = re.compile(r"\d+(?:\.\d+)?/(?:\d{4}/)?[A-ZĐa-zđ0-9]+(?:[-/][A-ZĐa-zđ0-9]+)*")


def legal_number(code: str, title: str) -> str | None:
    """The number of a legal document ("Thông tư số 03/2023/TT-BTP" → "03/2023/TT-BTP").

    Some sources give only the leading digits ("12") and the full number in the title.
    """
    code, title = normalize(code), normalize(title)
    if code.isdigit():
        for candidate in _DOC_NUMBER.findall(title):
            if candidate.startswith(f"{code}/"):
                return str(candidate)
        return code
    first_digit = re.search(r"\d", code)
    if first_digit:
        # Drop a leading "Thông tư số" and the stray spaces around hyphens ("TTLT- BQP").
        tail = re.sub(r"\s*-\s*", "-", code[first_digit.start() :]).rstrip(" .")
        found = _DOC_NUMBER.match(tail)
        return found[0] if found and " " in tail else tail
    found = _DOC_NUMBER.search(title)
    return found[0] if found else None


def legal_documents(pairs: Iterable[tuple[str, str]]) -> list[LegalDocument]:
    """(code, title) rows of a legal-basis table → distinct documents; rows without any text are dropped."""
    result: list[LegalDocument] = []
    for code, title in pairs:
        number = legal_number(code, title)
        if number and not occurs_verbatim(number, f"{code} {title}"):
            number = None  # never show a number the source does not write
        document = with_details(LegalDocument(number=number, title=normalize(title) or normalize(code)))
        if document.title and document not in result:
            result.append(document)
    return result
