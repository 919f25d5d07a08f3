from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings, get_settings
from knowledge.catalog_file import DEFAULT_DIR

TOKEN = "staff-test-token-0123456789abcdef"
ORIGIN = {"Origin": "http://testserver"}
HTML = {"Accept": "text/html"}

ClientFactory = Callable[..., Any]


@pytest.fixture(scope="session")
def catalog_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One catalog store for every console app of the session (loading it takes seconds)."""
    return f"sqlite:///{tmp_path_factory.mktemp('staff-catalog') / 'catalog.sqlite'}"


@contextmanager
def console_client(settings: Settings, **client_args: Any) -> Iterator[TestClient]:
    """The whole catalog API with these settings; the console's routes read them through get_settings."""
    app = create_app(settings)
    app.dependency_overrides[get_settings] = lambda: settings
    with TestClient(app, **client_args) as client:
        yield client


@pytest.fixture
def make_client(catalog_db: str, tmp_path: Path) -> Iterator[ClientFactory]:
    opened: list[Any] = []

    def make(client_args: dict[str, Any] | None = None, **overrides: Any) -> TestClient:
        values: dict[str, Any] = {
            "database_url": catalog_db,
            "catalog_dir": DEFAULT_DIR,
            "search_enabled": False,
            "staff_token": TOKEN,
            "tracker_database_url": f"sqlite:///{tmp_path / 'no-tracker.db'}",
            "staff_database_url": f"sqlite:///{tmp_path / 'staff.db'}",
            "rasa_url": "http://127.0.0.1:9",  # nothing listens on the discard port
            "rasa_timeout_s": 3,
        }
        values.update(overrides)
        context = console_client(Settings(**values), **(client_args or {}))
        opened.append(context)
        return context.__enter__()

    yield make
    for context in reversed(opened):
        context.__exit__(None, None, None)


def login(client: TestClient, token: str = TOKEN) -> None:
    response = client.post(
        "/staff/login", data={"token": token, "next": "/staff"}, headers=ORIGIN, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def account_login(client: TestClient, username: str, password: str) -> None:
    response = client.post(
        "/staff/login",
        data={"username": username, "password": password, "next": "/staff"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


BEARER = {"Authorization": f"Bearer {TOKEN}"}


def add_account(client: TestClient, username: str, role: str, password: str = "mat-khau-thu-0123") -> str:
    """An account made through the administrators' page by the «hệ thống» actor (bearer token)."""
    data = {"username": username, "name": f"Cán bộ {username}", "role": role, "password": password}
    response = client.post("/staff/accounts", data=data, headers=BEARER, follow_redirects=False)
    assert response.status_code == 303, response.text
    return password
