"""Batch tests: read an uploaded question file, ask the bot every question, score its answers.

A question passes when the first procedure code the bot names is one of the expected codes; a
question with no expected code (out of scope) passes when the bot names none.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from api.staff.rasa_client import BotMessage, RasaClient, RasaUnavailable
from common.codes import CODE as CODE_SOURCE
from common.replies import NAMED_CODE_RE
from vitext.normalize import normalize

CODE = re.compile(CODE_SOURCE)
_CODE_SEPARATORS = re.compile(r"[;|,\s]+")
MAX_QUESTION_CHARS = 500
MAX_LISTED_ERRORS = 10
REPLY_SEPARATOR = "\n"


class BatchUploadError(ValueError):
    """An upload that cannot be run; the message (Vietnamese) says what to fix in the file."""


@dataclass(frozen=True)
class BatchQuestion:
    line: int
    question: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class BatchResult:
    item: BatchQuestion
    codes: tuple[str, ...]  # every code the bot named, in order
    reply: str
    error: str | None = None

    @property
    def got(self) -> str | None:
        return self.codes[0] if self.codes else None

    @property
    def passed(self) -> bool:
        if self.error:
            return False
        if not self.item.expected:
            return not self.codes
        return self.got in self.item.expected


def codes_in_reply(messages: Iterable[BotMessage]) -> tuple[str, ...]:
    """Procedure codes the bot named, in reading order: "(mã X)" in the text, then its buttons."""
    found: list[str] = []
    for message in messages:
        found += NAMED_CODE_RE.findall(message.get("text") or "")
        for button in message.get("buttons") or []:
            found += NAMED_CODE_RE.findall(button.get("title") or "") or CODE.findall(button.get("payload") or "")
    return tuple(dict.fromkeys(found))


def reply_text(messages: Iterable[BotMessage]) -> str:
    parts: list[str] = []
    for message in messages:
        if message.get("text"):
            parts.append(message["text"])
        parts += [f"[{b.get('title', '')}]" for b in message.get("buttons") or []]
    return REPLY_SEPARATOR.join(parts)


def parse_upload(raw: bytes, filename: str, max_rows: int, max_bytes: int) -> list[BatchQuestion]:
    """Questions from a CSV (question, expected_codes) or JSONL ({"question", "gold_codes"}) file."""
    if len(raw) > max_bytes:
        raise BatchUploadError(
            f"Tệp quá lớn: {len(raw):,} byte, tối đa {max_bytes:,} byte. Hãy chia thành nhiều tệp nhỏ hơn."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchUploadError(
            f"Tệp không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start}). "
            "Hãy lưu lại với mã hoá UTF-8, ví dụ trong Excel chọn «CSV UTF-8 (Comma delimited)»."
        ) from exc
    if not text.strip():
        raise BatchUploadError("Tệp trống: không có câu hỏi nào để chạy.")
    is_jsonl = filename.lower().endswith((".jsonl", ".json")) or text.lstrip().startswith("{")
    questions, errors = _from_jsonl(text) if is_jsonl else _from_csv(text)
    if errors:
        more = f" (và {len(errors) - MAX_LISTED_ERRORS} lỗi khác)" if len(errors) > MAX_LISTED_ERRORS else ""
        raise BatchUploadError("Tệp có lỗi, chưa chạy câu nào: " + "; ".join(errors[:MAX_LISTED_ERRORS]) + more + ".")
    if not questions:
        raise BatchUploadError("Tệp không có câu hỏi nào (chỉ có dòng tiêu đề hoặc dòng trống).")
    if len(questions) > max_rows:
        raise BatchUploadError(f"Tệp có {len(questions)} câu hỏi, tối đa {max_rows} câu một lần: hãy chia nhỏ tệp.")
    return questions


def _question(line: int, question: object, codes: object, errors: list[str]) -> BatchQuestion | None:
    text = normalize(question) if isinstance(question, str) else ""
    if not text:
        errors.append(f"dòng {line}: thiếu câu hỏi")
        return None
    if len(text) > MAX_QUESTION_CHARS:
        errors.append(f"dòng {line}: câu hỏi dài quá {MAX_QUESTION_CHARS} ký tự")
        return None
    if isinstance(codes, str):
        codes = [c for c in _CODE_SEPARATORS.split(codes) if c]
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        errors.append(f"dòng {line}: mã mong đợi phải là danh sách mã thủ tục")
        return None
    bad = [c for c in codes if not CODE.fullmatch(c.strip())]
    if bad:
        errors.append(f"dòng {line}: mã «{bad[0]}» không đúng dạng mã thủ tục (ví dụ 1.001193)")
        return None
    return BatchQuestion(line, text, tuple(dict.fromkeys(c.strip() for c in codes)))


def _from_jsonl(text: str) -> tuple[list[BatchQuestion], list[str]]:
    questions: list[BatchQuestion] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            errors.append(f"dòng {number}: không phải JSON hợp lệ")
            continue
        if not isinstance(row, dict):
            errors.append(f'dòng {number}: mỗi dòng phải là một đối tượng {{"question": …, "gold_codes": […]}}')
            continue
        codes = row.get("gold_codes", row.get("expected_codes", []))
        item = _question(number, row.get("question"), codes, errors)
        if item:
            questions.append(item)
    return questions, errors


def _header_delimiter(header: str) -> str:
    # Excel in some locales writes ";" or tabs; the header line tells which one this file uses.
    for delimiter in (",", ";", "\t"):
        names = {n.strip().strip('"').lower() for n in header.split(delimiter)}
        if "question" in names:
            return delimiter
    return ","


def _from_csv(text: str) -> tuple[list[BatchQuestion], list[str]]:
    header = text.lstrip().splitlines()[0]
    reader = csv.DictReader(io.StringIO(text.lstrip()), delimiter=_header_delimiter(header))
    columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    code_column = columns.get("expected_codes") or columns.get("gold_codes")
    if "question" not in columns or code_column is None:
        raise BatchUploadError(
            "Tệp CSV phải có dòng tiêu đề với hai cột «question» và «expected_codes» "
            f"(tìm thấy: {', '.join(columns) or 'không có cột nào'}). Các mã cách nhau bằng «;» hoặc «|»."
        )
    questions: list[BatchQuestion] = []
    errors: list[str] = []
    try:
        for row in reader:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            item = _question(reader.line_num, row.get(columns["question"]), row.get(code_column) or "", errors)
            if item:
                questions.append(item)
    except csv.Error as exc:
        errors.append(f"dòng {reader.line_num}: CSV không hợp lệ ({exc})")
    return questions, errors


async def ask_one(rasa: RasaClient, sender: str, item: BatchQuestion, timeout_s: float) -> BatchResult:
    try:
        messages = await asyncio.wait_for(rasa.say(sender, item.question), timeout=timeout_s)
    except (asyncio.TimeoutError, TimeoutError):
        return BatchResult(item, (), "", f"Bot không trả lời trong {timeout_s:g} giây.")
    except RasaUnavailable as exc:
        return BatchResult(item, (), "", str(exc))
    return BatchResult(item, codes_in_reply(messages), reply_text(messages))


async def ask_all(
    rasa: RasaClient,
    questions: Sequence[BatchQuestion],
    sender_prefix: str,
    concurrency: int,
    timeout_s: float,
    done: Callable[[int, BatchResult], None],
) -> None:
    """Ask every question in its own conversation, ``concurrency`` at a time; ``done`` gets each result."""
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int, item: BatchQuestion) -> None:
        async with gate:
            done(index, await ask_one(rasa, f"{sender_prefix}-{index}", item, timeout_s))

    await asyncio.gather(*(one(i, q) for i, q in enumerate(questions)))
