"""Procedure codes as the national portal writes them: ``1.001193``, sometimes with a local suffix
(``1.001193.000.00.00.H12``)."""

from __future__ import annotations

import re

CODE = r"[0-9]\.[0-9]{6}(?:\.[0-9A-Za-z]+)?"
CODE_PATTERN = rf"^{CODE}$"  # for a schema field that holds one code
CODE_RE = re.compile(rf"\b{CODE}\b")  # codes inside a sentence
