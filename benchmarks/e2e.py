"""`make e2e QUESTIONS=file.jsonl`: what a citizen reads, measured through the REST channel.

Each row's question is sent in a fresh conversation (its own sender id) to the REST webhook of a stack
this command starts (catalog API, action server, Rasa; or a running one with ``--rasa-url``). The
procedure codes in the reply (text and buttons, "(mã 1.001193)") are compared with the row's gold codes:

- ``right_code``: a gold code among the reply's codes, and the reply names at most five procedures;
- ``right_single``: the reply names exactly one procedure and it is a gold one;
- ``abstained`` (rows with ``"answerable": false``): the reply names no procedure at all.

Prints a line per bucket, writes every reply to ``--out`` (JSON lines, for reading the failures) and a
JSON object on the last line. Standard library only: it runs from either environment.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.codes import CODE_RE
from common.questions import read_or_report, read_question_rows
from deploy.stack import StackUnavailable, assistant

MAX_CODES = 5
REQUEST_TIMEOUT_S = 30


@dataclass
class Row:
    question: str
    gold: set[str]
    answerable: bool
    attribute: str
    accented: bool
    codes: list[str] = field(default_factory=list)
    reply: list[dict[str, Any]] = field(default_factory=list)
    ms: float = 0.0
    error: str | None = None

    @property
    def right_code(self) -> bool:
        return bool(self.gold & set(self.codes)) and len(self.codes) <= MAX_CODES

    @property
    def right_single(self) -> bool:
        return len(self.codes) == 1 and self.codes[0] in self.gold


def read_rows(path: Path) -> list[Row]:
    rows = []
    for row in read_question_rows(path):
        accented = row.data.get("has_diacritics")
        accented = bool(accented) if accented is not None else row.question != _fold(row.question)
        rows.append(Row(row.question, set(row.gold), row.answerable, row.attribute, accented))
    return rows


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).replace("đ", "d")


def reply_codes(messages: list[dict[str, Any]]) -> list[str]:
    """Distinct procedure codes in the reply, in the order the citizen reads them."""
    codes: list[str] = []
    for message in messages:
        parts = [str(message.get("text") or "")]
        for button in message.get("buttons") or []:
            parts += [str(button.get("title") or ""), str(button.get("payload") or "")]
        for part in parts:
            for code in CODE_RE.findall(part):
                if code not in codes:
                    codes.append(code)
    return codes


def send(rasa_url: str, sender: str, text: str) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
        payload = json.loads(response.read())
    return payload if isinstance(payload, list) else []


def run_rows(rasa_url: str, rows: list[Row]) -> None:
    run = uuid.uuid4().hex[:8]
    for number, row in enumerate(rows, start=1):
        started = time.perf_counter()
        try:
            row.reply = send(rasa_url, f"e2e-{run}-{number}", row.question)
        except (OSError, urllib.error.URLError, ValueError) as error:
            row.error = f"{type(error).__name__}: {error}"
        row.ms = (time.perf_counter() - started) * 1000
        row.codes = reply_codes(row.reply)
        if number % 20 == 0 or number == len(rows):
            print(f"  {number}/{len(rows)} câu", file=sys.stderr, flush=True)


def figures(rows: list[Row]) -> dict[str, Any]:
    answerable = [r for r in rows if r.answerable]
    unanswerable = [r for r in rows if not r.answerable]
    latencies = [r.ms for r in rows if r.error is None]

    def share(items: list[Row], test: Any) -> float | None:
        return round(sum(1 for r in items if test(r)) / len(items), 4) if items else None

    return {
        "n_answerable": len(answerable),
        "right_code": share(answerable, lambda r: r.right_code),
        "right_single": share(answerable, lambda r: r.right_single),
        "n_unanswerable": len(unanswerable),
        "abstained": share(unanswerable, lambda r: not r.codes),
        "errors": sum(1 for r in rows if r.error),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
    }


def buckets(rows: list[Row]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups["diacritics" if row.accented else "no_diacritics"].append(row)
        groups[f"attribute:{row.attribute}"].append(row)
    return {name: figures(items) for name, items in sorted(groups.items())}


def write_replies(path: Path, rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            record = {
                "question": row.question,
                "gold_codes": sorted(row.gold),
                "answerable": row.answerable,
                "codes": row.codes,
                "right_code": row.right_code if row.answerable else None,
                "abstained": not row.codes if not row.answerable else None,
                "ms": round(row.ms, 1),
                "error": row.error,
                "reply": row.reply,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo câu trả lời người dân nhận được qua kênh REST.")
    parser.add_argument("questions", type=Path)
    parser.add_argument("--rasa-url", help="a running stack's Rasa (default: start one)")
    parser.add_argument("--out", type=Path, default=Path("var/e2e/replies.jsonl"), help="every reply, JSON lines")
    args = parser.parse_args(argv)
    rows = read_or_report(read_rows, args.questions)
    if rows is None:
        return 2
    if args.rasa_url:
        run_rows(args.rasa_url.rstrip("/"), rows)
    else:
        try:
            with tempfile.TemporaryDirectory(prefix="e2e-") as tmp, assistant(Path(tmp)) as stack:
                print("Đã khởi động trợ lý; đang gửi câu hỏi …", file=sys.stderr, flush=True)
                run_rows(stack.rasa_url, rows)
        except StackUnavailable as error:
            print(f"Không khởi động được trợ lý: {error}", file=sys.stderr)
            return 2
    write_replies(args.out, rows)
    for name, values in buckets(rows).items():
        print(f"{name:32s} {json.dumps(values, ensure_ascii=False)}")
    print(json.dumps({"questions": str(args.questions), **figures(rows)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
