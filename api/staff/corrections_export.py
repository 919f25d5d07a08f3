"""Corrections out of the database: a YAML file to review in a pull request, and the NLU file `make train` reads.

    python -m api.staff.corrections_export nlu PATH   # writes PATH when intent corrections exist, prints it

The NLU file lives outside the clone (the Makefile puts it under the cache folder): corrections live in
the database, not in repository files; a reviewer moves them into bot/data/ from the exported YAML.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import yaml

from api.settings import Settings
from api.staff import corrections as store
from api.staff.db import StaffDatabase
from api.staff.transcripts import VIETNAM

NLU_HEADER = "# Sinh tự động từ các sửa lỗi ý định của cán bộ (api/staff/corrections_export.py): đừng sửa tay.\n"


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def nlu_examples(items: Sequence[store.Correction]) -> dict[str, list[str]]:
    """Applied intent corrections as Rasa examples, by intent, each wording once, oldest first."""
    by_intent: dict[str, list[str]] = {}
    for item in sorted(items, key=lambda c: (c.created_at, c.id)):
        if item.kind == store.INTENT and item.intent and item.applied_at is not None:
            examples = by_intent.setdefault(item.intent, [])
            if item.question not in examples:
                examples.append(item.question)
    return dict(sorted(by_intent.items()))


def _nlu_blocks(examples: dict[str, list[str]]) -> list[dict[str, str]]:
    # Rasa's own layout: "examples" is one text of "- " lines.
    return [{"intent": i, "examples": "".join(f"- {e}\n" for e in lines)} for i, lines in examples.items()]


class _Literal(str):
    """A string YAML writes as a block (``|``), as Rasa's example files do."""


yaml.SafeDumper.add_representer(_Literal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style="|"))


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def nlu_yaml(items: Sequence[store.Correction]) -> str | None:
    examples = nlu_examples(items)
    if not examples:
        return None
    blocks = [{"intent": b["intent"], "examples": _Literal(b["examples"])} for b in _nlu_blocks(examples)]
    return NLU_HEADER + _dump({"version": "3.1", "nlu": blocks})


def export_yaml(items: Sequence[store.Correction], exported_by: str) -> str:
    """Every correction in force, for review: procedure wordings with who and when, and the NLU examples."""
    wordings = [
        {
            "question": c.question,
            "code": c.code,
            "source": store.SOURCES.get(c.source, c.source),
            "by": c.created_by,
            "at": _when(c.created_at),
            "applied_at": _when(c.applied_at),
        }
        for c in sorted(items, key=lambda c: (c.created_at, c.id))
        if c.kind == store.PROCEDURE
    ]
    intents = [
        {"question": c.question, "intent": c.intent, "by": c.created_by, "at": _when(c.created_at)}
        for c in sorted(items, key=lambda c: (c.created_at, c.id))
        if c.kind == store.INTENT
    ]
    header = (
        "# Sửa lỗi của cán bộ, xuất từ bảng điều khiển để xem lại trong một pull request.\n"
        "# procedure_wordings: cách người dân hỏi → mã thủ tục đúng (tìm kiếm dùng ngay sau «Áp dụng»).\n"
        "# nlu: ví dụ huấn luyện theo định dạng Rasa (đã áp dụng), có thể chép vào bot/data/nlu/.\n"
    )
    examples = nlu_examples(items)
    body = {
        "exported_at": datetime.now(VIETNAM).isoformat(timespec="seconds"),
        "exported_by": exported_by,
        "procedure_wordings": wordings,
        "intent_examples": intents,
        "nlu": [{"intent": b["intent"], "examples": _Literal(b["examples"])} for b in _nlu_blocks(examples)],
    }
    return header + _dump(body)


def write_nlu(db: StaffDatabase, path: Path) -> bool:
    """Write the NLU file when there are applied intent corrections (only if it changed: its time and hash
    key the Rasa model); remove a stale one otherwise. Whether the file is there now."""
    text = nlu_yaml(store.current(db, kind=store.INTENT))
    if text is None:
        path.unlink(missing_ok=True)
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] != "nlu":
        print("usage: python -m api.staff.corrections_export nlu PATH", file=sys.stderr)
        return 2
    db = StaffDatabase.open(Settings().staff_database_url)
    try:
        if write_nlu(db, Path(args[1])):
            print(args[1])
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
