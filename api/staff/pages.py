"""Rendering of the console's HTML pages: Jinja2 with autoescape, and the headers every page carries."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.staff.ratings import RATING_LABELS
from api.staff.report import chart_svg
from knowledge.privacy import mask_pii

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEET = TEMPLATES / "console.css"

# No script, no external asset: the pages only need their own stylesheet and forms posting to themselves.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


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
_env.filters["mask"] = mask_pii  # personal data in what staff read: knowledge/privacy.py


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(name).render(request=request, **context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


_env.globals["chart"] = chart_svg
_env.globals["rating_labels"] = RATING_LABELS
