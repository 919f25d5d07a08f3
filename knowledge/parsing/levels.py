"""The levels of government a procedure is carried out at ("Cấp Bộ, Cấp Tỉnh")."""

from __future__ import annotations

from knowledge.parsing.cells import split_list
from vitext.normalize import fold

_LEVELS: dict[str, str] = {
    "cap bo": "Cấp bộ",
    "cap tinh": "Cấp tỉnh",
    "cap huyen": "Cấp huyện",
    "cap xa": "Cấp xã",
    "co quan khac": "Cơ quan khác",
}


def levels(text: str) -> list[str]:
    """ "Cấp Bộ, Cấp Tỉnh" → ["Cấp bộ", "Cấp tỉnh"], in the national portal's spelling."""
    return [_LEVELS.get(fold(item), item) for item in split_list(text)]
