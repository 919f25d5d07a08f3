"""Characters no stored or compared text keeps: C0/C1 controls (but tab, new line and carriage return),
zero-width marks, line and paragraph separators and the byte-order mark."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]")
