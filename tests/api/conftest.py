from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from api.store import CatalogStore
from knowledge.catalog_file import DEFAULT_DIR


@pytest.fixture(scope="session")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> CatalogStore:
    store = CatalogStore.open(f"sqlite:///{tmp_path_factory.mktemp('store') / 'catalog.sqlite'}")
    store.ensure_loaded(DEFAULT_DIR)
    return store


@pytest.fixture(scope="session")
def postgres_store(postgres_url: str) -> CatalogStore:
    store = CatalogStore.open(postgres_url)
    store.ensure_loaded(DEFAULT_DIR)
    return store


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest) -> CatalogStore:
    fixture: CatalogStore = request.getfixturevalue(f"{request.param}_store")
    return fixture


@pytest.fixture(scope="session")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db: Path = tmp_path_factory.mktemp("api") / "catalog.sqlite"
    app = create_app(Settings(database_url=f"sqlite:///{db}", catalog_dir=DEFAULT_DIR, search_enabled=False))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def search_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The whole API, search included (the index is built first when missing: `make index`)."""
    db: Path = tmp_path_factory.mktemp("api-search") / "catalog.sqlite"
    settings = Settings(database_url=f"sqlite:///{db}", catalog_dir=DEFAULT_DIR, build_missing_index=True)
    with TestClient(create_app(settings)) as test_client:
        yield test_client
