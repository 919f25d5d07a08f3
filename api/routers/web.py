"""The citizen-facing web files: the demo portal page at ``/`` and the chat widget's script and style.

No page carries an inline script or style (api/security.py sends a CSP that forbids them): the widget's
configuration is a script of its own, ``/widget/config.js``, made from the settings.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.deps import SettingsDep

WEB_DIR = FsPath(__file__).resolve().parents[2] / "web"
WIDGET_DIR = WEB_DIR / "widget"
PORTAL_DIR = WEB_DIR / "portal"
PORTAL_PAGE = PORTAL_DIR / "index.html"
WIDGET_TITLE = "Trợ lý Dịch vụ công"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
# Browsers revalidate (cheap: FileResponse sends an ETag), so a new widget version reaches citizens at once.
REVALIDATE = {"Cache-Control": "no-cache"}

router = APIRouter(tags=["web"])


@cache
def _portal_page() -> str:
    return PORTAL_PAGE.read_text(encoding="utf-8")


def widget_config(rasa_public_url: str) -> str:
    """The widget's configuration script, pointing it at ``rasa_public_url``."""
    # JSON is a valid JavaScript literal; "<" escaped all the same, should the script ever be inlined.
    config = json.dumps({"rasaUrl": rasa_public_url, "title": WIDGET_TITLE}, ensure_ascii=False)
    return "window.TroLyDVC = " + config.replace("<", "\\u003c") + ";\n"


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def portal() -> HTMLResponse:
    return HTMLResponse(_portal_page(), headers=REVALIDATE)


@router.get("/portal/portal.css", include_in_schema=False)
def portal_style() -> FileResponse:
    return FileResponse(PORTAL_DIR / "portal.css", media_type=MEDIA_TYPES[".css"], headers=REVALIDATE)


@router.get("/widget/config.js", include_in_schema=False)
def widget_config_script(settings: SettingsDep) -> Response:
    return Response(widget_config(settings.rasa_public_url), media_type=MEDIA_TYPES[".js"], headers=REVALIDATE)


@router.get("/widget/{name}", include_in_schema=False)
def widget_file(name: Annotated[str, Path(pattern=r"^[a-z0-9-]+\.(js|css)$")]) -> FileResponse:
    # The pattern admits no "/" or "..", so the path cannot leave the widget folder.
    path = WIDGET_DIR / name
    if not path.is_file():
        raise HTTPException(status_code=404, detail=f"Không có tệp {name} của trợ lý.")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=REVALIDATE)
