"""What `make audit` checks in one rendered answer, against the raw text behind its record.

Facts are the template variables the renderers filled; every number, date, procedure code and
legal-document number in them must occur in the source text. Counts the answer makes itself
("Còn 7 trường hợp riêng") are left out. The templates' own words are checked apart: each must be
one that was reviewed as framing (it states no fact about a procedure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from actions.pages import GENERATED_COUNT
from knowledge.checks import vnd_amounts
from knowledge.parsing.legal import DOCUMENT_NUMBER
from knowledge.parsing.legal_fields import occurs_verbatim, split_glued_dates

DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])")
WORD_DATE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*((?:19|20)\d{2})", re.IGNORECASE)
# A document number in an answer: as the parser reads them, but never starting inside a longer number
# ("HQ/2015/NK" holds no "015/NK").
LEGAL_NUMBER = re.compile(r"(?<![/\d])" + DOCUMENT_NUMBER.pattern.removeprefix("(?<!/)"))
# "Mẫu số 121 bản chính": a form number run into the copy count after it.
COUNT_RUN = re.compile(r"(\d+) bản (?:chính|sao)")
# "Luật Doanh nghiệp 202076/2025/QH15": a year closing a title run into the number after it.
YEAR_RUN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\d{1,4}/)")
SOURCE_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})")
RUN_TOGETHER = re.compile(r"(?:Trực tuyến|Trực tiếp|bưu chính|công ích)(\d[\d.,]*)")
CODE = re.compile(r"(?<![\d.])\d\.\d{6}(?![\d])")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Variables that are not facts of the record: checked apart (footer) or not numbers at all (the link).
NOT_FACTS = {"portal_url", "footer"}
BARE_TIME = re.compile(r":\s*\d+(?:[.,]\d+)?\s*(?:;|$)", re.MULTILINE)
FEE_WORD = re.compile(r"\b(?:lệ phí|phí)\b", re.IGNORECASE)
FREE = re.compile(r"\bmiễn phí\b", re.IGNORECASE)
ENUMERATION = re.compile(r"^\d+\. ", re.MULTILINE)
# "theo danh mục tỉnh Lạng Sơn, 04/2025": provenance inside an answer, checked like the source line.
PROVENANCE = re.compile(r"[Tt]heo danh mục tỉnh [^,()]+, (\d{2}/\d{4})")


def digits(number: str) -> str:
    return re.sub(r"[.,]", "", number).lstrip("0") or "0"


@dataclass
class SourceFacts:
    """The numbers, dates and text of a record's raw sources, prepared once per record."""

    text: str
    numbers: set[str] = field(default_factory=set)
    dates: set[tuple[int, int, int]] = field(default_factory=set)

    @classmethod
    def of(cls, text: str) -> SourceFacts:
        numbers = {digits(n) for n in NUMBER.findall(text)}
        # A number may also be written inside a longer run ("ngày 29/6/202443/2024/QH15"): its groups count.
        numbers |= {digits(part) for n in NUMBER.findall(text) for part in re.split(r"[.,]", n)}
        glued = split_glued_dates(text)
        dates = {(int(d), int(m), int(y)) for d, m, y in SOURCE_DATE.findall(glued) + WORD_DATE.findall(glued)}
        # Table cells run together: "Trực tuyến120,000 VNĐ" is a time "1" and a fee "20,000".
        for run in RUN_TOGETHER.findall(text):
            numbers |= {digits(run[cut:]) for cut in (1, 2) if len(run) > cut and run[cut].isdigit()}
        numbers |= {digits(run[:-cut]) for run in COUNT_RUN.findall(text) for cut in (1, 2) if len(run) > cut}
        numbers |= {digits(year) for year in YEAR_RUN.findall(text)}
        return cls(text=text, numbers=numbers, dates=dates)


@dataclass
class Finding:
    kind: str
    token: str


def check_facts(values: dict[str, object], source: SourceFacts, months: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    for name, value in values.items():
        if name in NOT_FACTS or not isinstance(value, str):
            continue
        findings += [Finding("source_date_absent", m) for m in PROVENANCE.findall(value) if m not in months]
        # The answer's own numbering of steps ("9. Nộp hồ sơ …") is not a fact either.
        text = ENUMERATION.sub("", GENERATED_COUNT.sub("", PROVENANCE.sub("", value)))
        for number in LEGAL_NUMBER.findall(text):
            if not occurs_verbatim(number, source.text):
                findings.append(Finding("legal_number_absent", number))
        text = LEGAL_NUMBER.sub(" ", text)
        for d, m, y in DATE.findall(text):
            if (int(d), int(m), int(y)) not in source.dates:
                findings.append(Finding("date_absent", f"{d}/{m}/{y}"))
        text = DATE.sub(" ", text)
        for code in CODE.findall(text):
            # Provincial lists slip a dot now and then ("2000027.000.00.00.H37" is 2.000027).
            if code not in source.text and code.replace(".", "") not in source.numbers:
                findings.append(Finding("code_absent", code))
        text = CODE.sub(" ", text)
        for number in NUMBER.findall(text):
            if digits(number) not in source.numbers:
                findings.append(Finding("number_absent", number))
    return findings


def fee_sentences(steps: list[str]) -> list[str]:
    """The sentences of the steps that speak of a fee (an amount elsewhere in the steps may be anything)."""
    sentences = [s for step in steps for s in re.split(r"(?<=[.;])\s+", step)]
    return [s for s in sentences if FEE_WORD.search(s)]


def check_fee(reply_text: str, fee_texts: list[str]) -> list[Finding]:
    """ "Miễn phí" said while the fee text or the steps' fee sentences state an amount the answer does not show."""
    if not FREE.search(reply_text):
        return []
    stated = {a for text in fee_texts for a in vnd_amounts(text) if a}
    shown = {digits(n) for n in NUMBER.findall(reply_text)}
    missing = [a for a in stated if str(a) not in shown]
    return [Finding("free_but_amount_stated", str(missing[0]))] if stated and len(missing) == len(stated) else []


def check_times(times_text: str) -> list[Finding]:
    return [Finding("bare_time", m.strip()) for m in BARE_TIME.findall(times_text)]


def check_footer(footer: str, months: set[str]) -> list[Finding]:
    """The source line names a date the record's sources or `updated` give."""
    if not footer.strip():
        return [Finding("no_source_line", "")]
    return [Finding("source_date_absent", m) for m in re.findall(r"\d{2}/\d{4}", footer) if m not in months]


def check_stored_fees(record: dict[str, object]) -> list[Finding]:
    """A fee stored as 0 (free) while its own text states an amount: the catalog would answer "miễn phí"."""
    findings = []
    for channel in record.get("channels") or []:  # type: ignore[attr-defined]
        for fee in channel.get("fees") or []:
            if fee.get("amount_vnd") == 0 and any(vnd_amounts(fee.get("description") or "")):
                findings.append(Finding("stored_free_with_amount", str(vnd_amounts(fee["description"])[0])))
    return findings
