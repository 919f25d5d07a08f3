"""What the catalog holds and how current it is ("dữ liệu cập nhật khi nào?"), from its manifest."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request

from api.schemas import CatalogInfoOut, CatalogSourceOut
from knowledge.catalog_file import MANIFEST_NAME
from knowledge.source_labels import source_label

router = APIRouter(tags=["catalog"])


@router.get("/catalog", response_model=CatalogInfoOut, summary="Danh mục: ngày dựng, các nguồn và thời điểm dữ liệu")
def catalog_info(request: Request) -> CatalogInfoOut:
    manifest = json.loads((request.app.state.catalog_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    sources = [
        CatalogSourceOut(
            name=s["name"], label=source_label(s["name"]), date=s.get("date"), records=int(s.get("records") or 0)
        )
        for s in manifest.get("sources") or []
    ]
    return CatalogInfoOut(
        build_date=manifest["build_date"],
        total=manifest["total"],
        sources=sources,
        coverage=manifest.get("coverage") or {},
        parse_warnings=manifest.get("parse_warnings") or {},
    )
