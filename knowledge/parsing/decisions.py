"""The decision that published a procedure ("Quyết định số 6225/QĐ-BQP") and the ministry it names."""

from __future__ import annotations

import re

from vitext.normalize import normalize

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
