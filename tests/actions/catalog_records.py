"""Real catalog records the action tests name, and the real catalog API's JSON (tests/actions/conftest.py)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from typing import Any

KHAI_SINH = "1.001193"
THUONG_TRU = "1.004222"


def api_json(base: str, path: str, **params: str) -> Any:
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    with urllib.request.urlopen(f"{base}{path}{query}", timeout=10) as response:
        return json.loads(response.read())
