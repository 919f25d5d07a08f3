"""Small pure parsers for the cells of procedure tables that several importers share.

Each parser is deliberately strict: when a cell does not read as one clear value, the number stays
None and the verbatim text is kept, because a wrong fee or deadline is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.parsing.legal_fields import occurs_verbatim, with_details
from knowledge.schema import (
    CODE_PATTERN,
    ChannelMethod,
    Fee,
    LegalDocument,
    OnlineLevel,
    OnlineLevelValue,
    ProcessingTime,
)
from vitext.normalize import fold, normalize

# --- procedure codes and test rows -------------------------------------------------------------

_CODE = re.compile(CODE_PATTERN)
# Provincial lists write a national code followed by the agency that applies it
# ("1.001193.000.00.00.H37", "1.012275.H36", sometimes "...H37.X" for the commune-level copy),
# with the typing slips seen in the data: spaces, commas, a missing or doubled dot.
_PROVINCIAL_CODE = re.compile(r"^(\d)\.?(\d{6})(?:(?:\.+|(?=0))[0-9.]*[Hh]\d{2}(?:\.[A-Za-z]*)?)?$")
_TEST_NAME = re.compile(r"\btest\b")


def clean_code(raw: object) -> str | None:
    """A national procedure code as written, or None when it does not match the schema."""
    if raw is None:
        return None
    code = normalize(str(raw))
    return code if _CODE.match(code) else None


def national_code(raw: object) -> str | None:
    """The national code inside a provincial code ("1.001193.000.00.00.H37" → "1.001193")."""
    if raw is None:
        return None
    compact = re.sub(r"\s+", "", str(raw)).replace(",", ".")
    match = _PROVINCIAL_CODE.match(compact)
    return f"{match[1]}.{match[2]}" if match else None


def is_test_name(name: str) -> bool:
    """Portals keep rows such as "Thủ tục test" that are no real procedure."""
    return bool(_TEST_NAME.search(fold(name)))


# --- submission channels -----------------------------------------------------------------------

_METHODS: dict[str, ChannelMethod] = {
    "online": "online",
    "truc tuyen": "online",
    "postal": "postal",
    "buu chinh": "postal",
    "dich vu buu chinh": "postal",
    "dich vu buu chinh cong ich": "postal",
    "buu chinh cong ich": "postal",
    "direct": "direct",
    "truc tiep": "direct",
}


def channel_method(raw: str) -> ChannelMethod | None:
    """ "Trực tuyến" / "ONLINE" → "online"; None for anything else."""
    return _METHODS.get(fold(raw))


# --- processing time ---------------------------------------------------------------------------

# The portal API's units; "OTHER" is deliberately absent (its number has no known unit).
API_UNITS: dict[str, str] = {
    "WORKING_DAY": "ngày làm việc",
    "DAY": "ngày",
    "HOUR": "giờ",
    "MONTH": "tháng",
    "YEAR": "năm",
}
_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("ngay lam viec", "ngày làm việc"),
    ("gio lam viec", "giờ làm việc"),
    ("ngay", "ngày"),
    ("gio", "giờ"),
    ("tuan", "tuần"),
    ("thang", "tháng"),
    ("nam", "năm"),
    ("phut", "phút"),
)
_UNIT_BY_WORD = dict(_UNIT_WORDS)
_DURATION = re.compile(
    r"^(?:(?:khong qua|toi da|trong vong|trong thoi han|trong)\s+)?"
    r"(\d+(?:[.,]\d+)?)\s*(" + "|".join(word for word, _ in _UNIT_WORDS) + r")"
    r"(?:\s*\([^()]*\))?(?:\s+(?:ke tu|tinh tu)\s[^.;]*)?\s*[.;]?$"
)
_SENTENCE_END = re.compile(r"(?<=[.;])\s+|\n")


def parse_duration(text: str) -> tuple[float | None, str | None]:
    """ "35 Ngày làm việc" → (35.0, "ngày làm việc"); (None, None) unless the text is one clear duration.

    A leading sentence such as "Không quá 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ." counts when what
    follows holds no other number; otherwise it may state exceptions and the value stays unknown.
    """
    parts = _SENTENCE_END.split(normalize(text).replace("\t", " "), maxsplit=1)
    head, rest = parts[0], (parts[1] if len(parts) > 1 else "")
    match = _DURATION.match(fold(head))
    if not match or re.search(r"\d", rest):
        return None, None
    return float(match[1].replace(",", ".")), _UNIT_BY_WORD[match[2]]


def processing_time(text: str) -> ProcessingTime | None:
    """One ProcessingTime from a cell, keeping the verbatim text; None for an empty cell."""
    cleaned = normalize(text)
    if not cleaned:
        return None
    value, unit = parse_duration(cleaned)
    return ProcessingTime(value=value, unit=unit, text=cleaned)


def format_quantity(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


# --- fees --------------------------------------------------------------------------------------

_FEE_LABEL = re.compile(r"^(?:le phi|phi|gia)\s*:\s*")
_TRAILING_NOTE = re.compile(r"\s*\(.*\)\s*$")
_FREE = {"mien phi", "mien le phi", "khong", "khong dong", "khong thu", "0"}
_AMOUNT = re.compile(r"^(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(dong|vnd|d)?\.?$")
_MORE = re.compile(r"\s*Xem chi tiết\s*", re.IGNORECASE)
_ITEM_START = re.compile(r"^(?:le phi|phi|gia|mien)\b")


def parse_fee_amount(text: str) -> int | None:
    """ "Phí : 0 Đồng" → 0, "Lệ phí: 50.000 đồng" → 50000, "Miễn phí" → 0; None when unclear or not VND."""
    body = _FEE_LABEL.sub("", fold(_MORE.sub(" ", text)))
    body = _TRAILING_NOTE.sub("", body).strip()
    if "usd" in body or "$" in body or "%" in body:
        return None
    if body in _FREE or body.startswith(("mien phi", "mien le phi")):
        return 0
    match = _AMOUNT.match(body)
    if not match:
        return None
    amount = int(re.sub(r"[.,]", "", match[1]))
    # A bare number could be in any currency; only zero means the same in all of them.
    return amount if match[2] or amount == 0 else None


def parse_fees(cell: str) -> list[Fee]:
    """Every fee in a cell: one per "Phí :" / "Lệ phí :" item, or per "Xem chi tiết" link text."""
    items: list[str] = []
    for line in cell.replace("\r", "\n").split("\n"):
        for piece in _MORE.split(line):
            if not normalize(piece):
                continue
            # Lines such as "File đính kèm: …" belong to the fee above them.
            if items and not _ITEM_START.match(fold(piece)):
                items[-1] = f"{items[-1]} {piece}"
            else:
                items.append(piece)
    return [Fee(amount_vnd=parse_fee_amount(item), description=normalize(item)) for item in items]


# --- documents ---------------------------------------------------------------------------------

_ORIGINALS = re.compile(r"ban chinh\s*:?\s*(\d+)")
_COPIES = re.compile(r"ban sao\s*:?\s*(\d+)")


def document_counts(originals: int | None, copies: int | None) -> tuple[int | None, int | None]:
    """Portals write 0 and 0 when they do not say how many; that is unknown, not "none"."""
    if not originals and not copies:
        return None, None
    return originals, copies


def parse_copy_counts(text: str) -> tuple[int | None, int | None]:
    """ "Bản chính: 1\\nBản sao: 0" → (1, 0)."""
    folded = fold(text)
    originals = _ORIGINALS.search(folded)
    copies = _COPIES.search(folded)
    return document_counts(int(originals[1]) if originals else None, int(copies[1]) if copies else None)


# --- legal documents and decisions -------------------------------------------------------------

_DOC_NUMBER = re.compile(r"\d+(?:\.\d+)?/(?:\d{4}/)?[A-ZĐa-zđ0-9]+(?:[-/][A-ZĐa-zđ0-9]+)*")
_DECISION = re.compile(r"(\d+)\s*/\s*QĐ\s*-\s*([A-ZĐa-zđ0-9]+(?:-[A-ZĐa-zđ0-9]+)*)")

# Issuers named by the suffix of a decision number ("6225/QĐ-BQP").
_ISSUERS: dict[str, str] = {
    "BQP": "Bộ Quốc phòng",
    "BCA": "Bộ Công an",
    "BTP": "Bộ Tư pháp",
    "BTC": "Bộ Tài chính",
    "BYT": "Bộ Y tế",
    "BXD": "Bộ Xây dựng",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BNV": "Bộ Nội vụ",
    "BCT": "Bộ Công Thương",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BNG": "Bộ Ngoại giao",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
}


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


def decision_number(text: str) -> str | None:
    """ "Quyết định số 6225/QĐ-BQP" or "3980 /QĐ-BQP" → "6225/QĐ-BQP"; other text is kept as is."""
    cleaned = normalize(text)
    match = _DECISION.search(cleaned)
    if match:
        return f"{match[1]}/QĐ-{match[2]}"
    return cleaned or None


def issuer_of_decision(decision: str | None) -> str | None:
    """The ministry whose abbreviation ends a decision number, if it is one we know."""
    match = _DECISION.search(decision or "")
    return _ISSUERS.get(match[2].split("-")[0]) if match else None


# --- lists, levels, online-service levels ------------------------------------------------------

_LEVELS: dict[str, str] = {
    "cap bo": "Cấp bộ",
    "cap tinh": "Cấp tỉnh",
    "cap huyen": "Cấp huyện",
    "cap xa": "Cấp xã",
    "co quan khac": "Cơ quan khác",
}


def split_list(text: str) -> list[str]:
    """Split on commas and semicolons outside parentheses ("Tổ chức (không bao gồm DN, HTX)")."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        depth += char == "("
        depth -= char == ")" and depth > 0
        if char in ",;" and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item for item in (normalize(i) for i in items) if item]


def levels(text: str) -> list[str]:
    """ "Cấp Bộ, Cấp Tỉnh" → ["Cấp bộ", "Cấp tỉnh"], in the national portal's spelling."""
    return [_LEVELS.get(fold(item), item) for item in split_list(text)]


_ONLINE_LEVELS: dict[str, OnlineLevelValue] = {
    "toan trinh": "toan_trinh",
    "mot phan": "mot_phan",
    "muc do 4": "toan_trinh",
    "muc do 3": "mot_phan",
    "muc do 2": "none",
    "muc do 1": "none",
    # Lâm Đồng's filter puts everything that is neither "Toàn trình" nor "Một phần" under "Còn lại".
    "con lai": "none",
}
ONLINE_RANK: dict[OnlineLevelValue, int] = {"toan_trinh": 3, "mot_phan": 2, "none": 1, "unknown": 0}


def online_level(raw: str, source: str) -> OnlineLevel:
    """Either vocabulary (Decree 42/2022 "Toàn trình / Một phần", or the older "Mức độ 1-4")."""
    original = normalize(raw)
    level = _ONLINE_LEVELS.get(fold(original), "unknown")
    return OnlineLevel(level=level, source=source, original=original or None)


def most_online(found: list[OnlineLevel]) -> int:
    """Index of the most online level (the first among equals).

    Provincial lists repeat a code once per tier (province, district, commune) with its own level;
    a citizen asking whether the procedure can be done online wants the best of them.
    """
    return max(range(len(found)), key=lambda i: (ONLINE_RANK[found[i].level], -i))


# --- free text ---------------------------------------------------------------------------------

_STEP_START = re.compile(r"(?=\bBước\s*\d+\s*[:.])")


def split_lines(text: str) -> list[str]:
    """Non-empty normalised lines; lines without a letter or digit are dropped."""
    lines = (normalize(line) for line in text.replace("\r", "\n").split("\n"))
    return [line for line in lines if re.search(r"\w", line)]


def split_steps(text: str) -> list[str]:
    """Steps from a text block: one per line, or one per "Bước N:" when written on a single line."""
    lines = split_lines(text)
    if len(lines) > 1:
        return lines
    return [step for step in (normalize(s) for s in _STEP_START.split(text)) if re.search(r"\w", step)]
