"""A statistic says what it counts and over what, and applies every filter the question names.

Filters come from the entities NLU found (agency or province, online level) and from the question's
own words for the execution level ("cấp xã") and the field ("lĩnh vực hộ tịch"), which no entity
carries; a named filter that the catalog cannot apply is said, never silently dropped.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from vitext.normalize import fold

LEVEL_WORDS = (
    ("cap xa", "Cấp xã"),
    ("cap phuong", "Cấp xã"),
    ("cap tinh", "Cấp tỉnh"),
    ("cap bo", "Cấp bộ"),
    ("cap huyen", "Cấp huyện"),
)
_FIELD = re.compile(r"\blinh vuc\s+([a-z0-9 ,]+?)(?:\s+(?:co|la|thi|duoc|hien|tai|o)\b|[?.!]|$)")
LEVEL_LABELS = {"toan_trinh": "toàn trình", "mot_phan": "một phần"}


@dataclass
class Filters:
    agency: str | None = None
    online_level: str | None = None
    level: str | None = None
    field: str | None = None
    unapplied: list[str] = dataclasses.field(default_factory=list)

    def scope(self) -> str:
        """ "của Bộ Tư pháp, thực hiện ở cấp xã, lĩnh vực hộ tịch" (what the count is over)."""
        parts = [f"của {self.agency}"] if self.agency else []
        if self.level:
            parts.append(f"thực hiện ở {self.level.lower()}")
        if self.field:
            parts.append(f"thuộc lĩnh vực {self.field}")
        return ", ".join(parts)


# Conditions a citizen may name that the catalog's statistics cannot filter on.
UNFILTERABLE = (("mien phi", "miễn phí"), ("le phi", "phí, lệ phí"), ("thoi han", "thời hạn giải quyết"))


def unfilterable_in(text: str) -> list[str]:
    folded = fold(text)
    return [label for word, label in UNFILTERABLE if word in folded]


def level_in(text: str) -> str | None:
    folded = fold(text)
    return next((label for word, label in LEVEL_WORDS if word in folded), None)


def field_in(text: str) -> str | None:
    """The words after "lĩnh vực" in the question, as typed (accents kept), or None."""
    match = _FIELD.search(fold(text))
    if not match:
        return None
    start, end = match.span(1)
    # fold() keeps the length of Vietnamese text (one letter for one letter), so the span maps back.
    original = " ".join(text.split())
    return original[start:end].strip(" ,") if len(original) == len(fold(text)) else match[1].strip(" ,")


def _vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def summary(filters: Filters, base_total: int, by_level: dict[str, int], counted: int | None) -> str:
    """The sentence: over how many procedures, how many of them have an online level, and the count asked."""
    known = sum(v for k, v in by_level.items() if k not in ("unknown", "không rõ"))
    scope = filters.scope()
    if filters.online_level:
        label = LEVEL_LABELS.get(filters.online_level, filters.online_level)
        over = f" {scope}" if scope else " của danh mục"
        return (
            f"Trong {_vn(base_total)} thủ tục{over}, {_vn(known)} thủ tục có thông tin về mức độ trực tuyến; "
            f"trong đó {_vn(counted or 0)} thủ tục là dịch vụ công trực tuyến {label}."
        )
    text = f"Danh mục có {_vn(base_total)} thủ tục{f' {scope}' if scope else ''}."
    if known:
        levels = ", ".join(
            f"{_vn(by_level[k])} {LEVEL_LABELS[k]}" for k in ("toan_trinh", "mot_phan") if by_level.get(k)
        )
        text += f" Trong số đó {_vn(known)} thủ tục có thông tin về mức độ trực tuyến" + (
            f": {levels}." if levels else "."
        )
    else:
        text += " Chưa thủ tục nào trong số đó có thông tin về mức độ trực tuyến."
    return text


def unapplied_note(filters: Filters) -> str:
    return (
        f"Chưa lọc được theo {', '.join(filters.unapplied)}: con số trên chưa tính điều kiện này."
        if filters.unapplied
        else ""
    )
