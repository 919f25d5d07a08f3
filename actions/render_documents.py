"""The documents answer: the general list first, each "Trường hợp …" and the notes a button away."""

from __future__ import annotations

import re

from actions.pages import Rendered, paginate, parse_view
from actions.records import Procedure
from actions.text import case_heading, clean, copies
from vitext.normalize import fold

# An item or group that applies only in some case ("Trường hợp trẻ em bị bỏ rơi …", "Đối với …").
_CASE_START = re.compile(r"^(?:truong hop|doi voi|neu|rieng)\b|\btrong truong hop\b")
# Group headings that name no case: the general list under its own title.
_GENERAL_HEADINGS = ("giay to", "cac giay to", "ho so", "thanh phan", "bao gom", "gom")
_NOTE = "luu y"
# "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì …": the general document, then a case.
_CASE_TAIL = re.compile(r"[;.]\s+(?=(?:[Tt]rường hợp|[Nn]ếu|[Đđ]ối với)\b)")


def _split_cases(line: str) -> tuple[str, list[str]]:
    """An item's general part and the cases written after it, each whole."""
    head, *tails = _CASE_TAIL.split(line)
    return head, [tail[0].upper() + tail[1:] for tail in tails]


def _sections(record: Procedure) -> tuple[list[str], list[str], list[str]]:
    """(general lines with their headings, case entries, notes), in the record's own order, untitled group first."""
    general: list[str] = []
    cases: list[str] = []
    notes: list[str] = []
    for group in record.get("documents") or []:
        heading = clean(group.get("case") or "")
        folded = fold(heading)
        # (name, copy counts): the counts stay with the general part when a case is split off the name.
        lines = [
            (clean(d.get("name") or ""), copies(d.get("originals"), d.get("copies")))
            for d in group.get("documents") or []
            if clean(d.get("name") or "")
        ]
        if not lines:
            continue
        if folded.startswith(_NOTE):
            notes += [f"{text}{counts}" for text, counts in lines]
        elif heading and not folded.startswith(_GENERAL_HEADINGS):
            # The case's heading, then its documents: pages break between lines, never inside one.
            cases += [case_heading(heading), *(f"- {text}{counts}" for text, counts in lines)]
        else:
            own: list[str] = []
            for text, counts in lines:
                if _CASE_START.search(fold(text)):
                    cases.append(f"{text}{counts}")
                    continue
                head, tails = _split_cases(text)
                # "… các giấy tờ sau:" introduces the list: a heading line, not a document.
                own.append(f"{head}{counts}" if head.endswith(":") and not counts else f"- {head}{counts}")
                cases += tails
            if own:
                general += ([f"{heading.rstrip(' :')}:"] if heading else []) + own
    return general, cases, notes


def documents(record: Procedure, view: str | None = None) -> Rendered | None:
    general, cases, notes = _sections(record)
    if not (general or cases or notes):
        return None
    name, page = parse_view(view, "general" if general else "cases")
    sections = {"general": general, "cases": cases, "notes": [f"- {n}" for n in notes]}
    items = sections.get(name) or general or cases or sections["notes"]
    name = next(key for key, value in sections.items() if value is items)
    shown, has_next = paginate(items, page)
    body = [{"cases": "Các trường hợp riêng:", "notes": "Lưu ý:"}.get(name, ""), *shown]
    more: list[tuple[str, str]] = []
    if has_next:
        more.append(
            (
                {"general": "Xem thêm giấy tờ", "cases": "Xem thêm trường hợp", "notes": "Xem thêm lưu ý"}[name],
                f"{name}:{page + 1}",
            )
        )
    left = []
    case_count = sum(not line.startswith("- ") for line in cases)
    if name != "cases" and cases:
        left.append(f"{case_count} trường hợp riêng")
        more.append((f"Trường hợp riêng ({case_count})", "cases:1"))
    if name != "notes" and notes:
        left.append(f"{len(notes)} lưu ý")
        more.append((f"Lưu ý ({len(notes)})", "notes:1"))
    if name != "general" and general:
        more.append(("Giấy tờ chung", "general:1"))
    if left:
        body.append(f"Còn {' và '.join(left)}: chọn nút bên dưới.")
    return Rendered("\n".join(line for line in body if line), more)
