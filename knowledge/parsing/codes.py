"""Procedure codes as the tables write them, and rows that are no real procedure."""

from __future__ import annotations

import re

from knowledge.schema import CODE_PATTERN
from vitext.normalize import fold, normalize

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
