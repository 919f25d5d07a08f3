"""GET /catalog: how current the data is, from the committed catalog's manifest."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from knowledge.catalog_file import DEFAULT_DIR, MANIFEST_NAME


def test_catalog_says_when_and_from_what(client: TestClient) -> None:
    body = client.get("/catalog").json()
    manifest = json.loads((DEFAULT_DIR / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert body["build_date"] == manifest["build_date"] and body["total"] == manifest["total"]
    labels = {s["label"]: s["date"] for s in body["sources"]}
    assert labels["Cổng DVCQG"] in {"2026-07", "2026-01"}
    assert labels["danh mục tỉnh Lạng Sơn và tỉnh Lâm Đồng"] == "2025-04"
    assert body["coverage"]["online_level"] == manifest["coverage"]["online_level"]
    assert body["parse_warnings"]["fee_amount_corrected"] > 0
