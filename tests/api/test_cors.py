"""Browsers may call the catalog API only from the configured origins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from knowledge.catalog_file import DEFAULT_DIR

PORTAL = "https://dichvucong.example.gov.vn"


@pytest.fixture(scope="module")
def cors_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db: Path = tmp_path_factory.mktemp("cors") / "catalog.sqlite"
    settings = Settings(
        database_url=f"sqlite:///{db}",
        catalog_dir=DEFAULT_DIR,
        search_enabled=False,
        cors_origins=f"{PORTAL}/, http://localhost:8000",
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_configured_origin_is_allowed(cors_client: TestClient) -> None:
    response = cors_client.get("/services/1.001193", headers={"Origin": PORTAL})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == PORTAL


def test_preflight_from_configured_origin(cors_client: TestClient) -> None:
    response = cors_client.options(
        "/search", headers={"Origin": "http://localhost:8000", "Access-Control-Request-Method": "GET"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:8000"


@pytest.mark.parametrize("origin", ["https://evil.example.com", "http://localhost:9999", f"{PORTAL}.evil.com", "null"])
def test_other_origins_are_refused(cors_client: TestClient, origin: str) -> None:
    simple = cors_client.get("/services/1.001193", headers={"Origin": origin})
    assert "access-control-allow-origin" not in simple.headers
    preflight = cors_client.options("/services", headers={"Origin": origin, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


def test_default_origins_are_the_apis_own_pages() -> None:
    assert Settings(cors_origins="", api_port=8123).cors_origin_list == [
        "http://127.0.0.1:8123",
        "http://localhost:8123",
    ]
    assert Settings(cors_origins="https://a.vn  https://b.vn/").cors_origin_list == ["https://a.vn", "https://b.vn"]
