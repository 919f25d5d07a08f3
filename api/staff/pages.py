"""Rendering of the console's HTML pages: Jinja2 with autoescape, and the headers every page carries."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.staff.labels import intent_label
from api.staff.ratings import RATING_LABELS
from api.staff.report import chart_html
from knowledge.privacy import mask_pii

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEET = TEMPLATES / "console.css"
SCRIPT = TEMPLATES / "console.js"

# No inline script, no external asset: the pages need their own stylesheet, forms posting to themselves,
# and console.js (which refreshes a live hand-off conversation from this same origin).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|tel:)[^\s)]+)\)")


def bot_markup(text: str) -> Markup:
    """The bot's light markup as a citizen sees it: "**heading**" bold, "[label](url)" a link.

    The text is escaped first and only those two patterns become tags, so nothing a citizen or the catalog
    wrote can inject markup (the URL is already attribute-safe once escaped: quotes become entities).
    """
    escaped = str(escape(text))
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _LINK.sub(r'<a href="\2" rel="noopener noreferrer" target="_blank">\1</a>', escaped)
    return Markup(escaped)


def _datetime(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M:%S") if value else ""


def _number(value: float, digits: int = 1) -> str:
    # Vietnamese writes a decimal comma.
    return f"{value:.{digits}f}".replace(".", ",")


_env = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html",), default=True), trim_blocks=True
)
_env.filters["datetime"] = _datetime
_env.filters["number"] = _number
_env.filters["intent_label"] = intent_label
_env.filters["bot_markup"] = bot_markup
_env.filters["mask"] = mask_pii  # personal data in what staff read: knowledge/privacy.py


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(name).render(request=request, **context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


_env.globals["chart"] = chart_html
_env.globals["rating_labels"] = RATING_LABELS
