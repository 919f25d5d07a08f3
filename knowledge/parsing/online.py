"""The online-service level: Decree 42/2022's "Toàn trình / Một phần", or the older "Mức độ 1-4"."""

from __future__ import annotations

from knowledge.schema import OnlineLevel, OnlineLevelValue
from vitext.normalize import fold, normalize

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
