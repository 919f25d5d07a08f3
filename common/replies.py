"""What a bot reply looks like to whoever reads it back (the channels, the staff console's batch test,
`make e2e`): a procedure is named with its code in parentheses, "Đăng ký khai sinh (mã 1.001193)"."""

from __future__ import annotations

import re

from common.codes import CODE

PROCEDURE_MARK = "(mã "
NAMED_CODE_RE = re.compile(rf"\(mã ({CODE})\)")
PORTAL_HOME = "https://dichvucong.gov.vn"  # the national portal, where every answer can be checked


def procedure_title(name: str | None, code: str) -> str:
    """A procedure as a reply or a button names it."""
    return f"{name or code} {PROCEDURE_MARK}{code})"
