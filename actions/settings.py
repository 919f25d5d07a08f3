"""Action-server settings, read from the environment at call time (tests may change them)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from actions.duty import DEFAULT_HOURS
from common.replies import PORTAL_HOME

# Rasa itself needs a few hundred ms around the action on a loaded 2-core machine; the apology must
# still reach the citizen within 2 s.
MAX_REQUEST_TIMEOUT_S = 1.2


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    catalog_url: str
    request_timeout_s: float
    action_budget_s: float
    hotline: str
    portal_home: str
    handoff_hours: str

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            catalog_url=os.environ.get("CATALOG_API_URL", "http://localhost:8000").rstrip("/"),
            request_timeout_s=min(_float("CATALOG_TIMEOUT_S", MAX_REQUEST_TIMEOUT_S), MAX_REQUEST_TIMEOUT_S),
            # Whole action, all catalog calls included: the apology must come within 2 s.
            action_budget_s=min(_float("ACTION_BUDGET_S", 1.5), 1.6),
            hotline=os.environ.get("HANDOFF_HOTLINE", "18001096"),
            portal_home=os.environ.get("PORTAL_URL", PORTAL_HOME),
            # When staff can take a conversation over (actions/duty.py); outside them, the hotline.
            handoff_hours=os.environ.get("HANDOFF_HOURS", DEFAULT_HOURS),
        )
