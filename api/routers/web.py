"""The citizen-facing web files: the demo portal page at ``/`` and the chat widget's script and style."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import FileResponse, HTMLResponse

from api.deps import SettingsDep

WEB_DIR = FsPath(__file__).resolve().parents[2] / "web"
WIDGET_DIR = WEB_DIR / "widget"
PORTAL_PAGE = WEB_DIR / "portal" / "index.html"
# The page holds this quoted placeholder where the widget's config names Rasa.
RASA_URL_PLACEHOLDER = '"__RASA_PUBLIC_URL__"'
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# Browsers revalidate (cheap: FileResponse sends an ETag), so a new widget version reaches citizens at once.
REVALIDATE = {"Cache-Control": "no-cache"}

router = APIRouter(tags=["web"])


@cache
def _portal_template() -> str:
    page = PORTAL_PAGE.read_text(encoding="utf-8")
    if RASA_URL_PLACEHOLDER not in page:
        raise RuntimeError(f"{PORTAL_PAGE} lost its {RASA_URL_PLACEHOLDER} placeholder; put it back in the config")
    return page


def portal_page(rasa_public_url: str) -> str:
    """The demo page with the widget pointed at ``rasa_public_url``, as a JavaScript string literal."""
    # JSON is a valid JavaScript literal; "<" escaped so no value can close the <script> element.
    literal = json.dumps(rasa_public_url).replace("<", "\\u003c")
    return _portal_template().replace(RASA_URL_PLACEHOLDER, literal)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def portal(settings: SettingsDep) -> HTMLResponse:
    return HTMLResponse(portal_page(settings.rasa_public_url), headers=REVALIDATE)


@router.get("/widget/{name}", include_in_schema=False)
def widget_file(name: Annotated[str, Path(pattern=r"^[a-z0-9-]+\.(js|css)$")]) -> FileResponse:
    # The pattern admits no "/" or "..", so the path cannot leave the widget folder.
    path = WIDGET_DIR / name
    if not path.is_file():
        raise HTTPException(status_code=404, detail=f"Không có tệp {name} của trợ lý.")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=REVALIDATE)
