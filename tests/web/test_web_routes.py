"""The catalog API serves the demo portal page and the widget's files (in process, no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings, get_settings
from knowledge.catalog_file import DEFAULT_DIR

PUBLIC_RASA = "https://tro-ly.example.gov.vn/rasa"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db: Path = tmp_path_factory.mktemp("web") / "catalog.sqlite"
    settings = Settings(
        database_url=f"sqlite:///{db}", catalog_dir=DEFAULT_DIR, search_enabled=False, rasa_public_url=PUBLIC_RASA
    )
    app = create_app(settings)
    app.dependency_overrides[get_settings] = lambda: settings
    with TestClient(app) as test_client:
        yield test_client


def test_portal_page_points_the_widget_at_the_public_rasa_url(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<script src="/widget/config.js"></script>' in page
    assert '<script src="/widget/widget.js" defer></script>' in page
    assert '<html lang="vi">' in page
    assert "<script>" not in page and "<style" not in page  # the CSP forbids inline code
    config = client.get("/widget/config.js")
    assert config.headers["content-type"] == "text/javascript; charset=utf-8"
    assert f'"rasaUrl": "{PUBLIC_RASA}"' in config.text
    assert client.get("/portal/portal.css").headers["content-type"] == "text/css; charset=utf-8"


@pytest.mark.parametrize(("name", "media_type"), [("widget.js", "text/javascript"), ("widget.css", "text/css")])
def test_widget_files_are_served_as_utf8(client: TestClient, name: str, media_type: str) -> None:
    response = client.get(f"/widget/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.content == (Path(__file__).resolve().parents[2] / "web" / "widget" / name).read_bytes()


def test_unknown_widget_file_is_404_and_paths_cannot_escape(client: TestClient) -> None:
    assert client.get("/widget/nope.js").status_code == 404
    assert client.get("/widget/..%2Fportal%2Findex.html").status_code in (404, 422)
    assert client.get("/widget/widget.py").status_code == 422


def test_public_rasa_url_cannot_inject_markup() -> None:
    from api.routers.web import widget_config

    script = widget_config("https://x.example/</script><script>alert(1)</script>")
    assert "</script><script>alert(1)" not in script
    assert '"https://x.example/\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"' in script
    with pytest.raises(ValueError, match="rasa_public_url"):
        Settings(rasa_public_url="javascript:alert(1)")
