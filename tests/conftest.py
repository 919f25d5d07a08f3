from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Starlette's TestClient calls from the address "testclient": one test module sends more requests at once than
# a citizen may (api/security.py); the per-address limit has tests of its own (tests/security).
os.environ.setdefault("API_RATE_LIMIT_EXEMPT", "127.0.0.1 ::1 testclient")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    from deploy.postgres import postgres_server

    with tempfile.TemporaryDirectory(prefix="pg-test-") as tmp, postgres_server(Path(tmp)) as url:
        yield url


@pytest.fixture(scope="session")
def catalog_api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real catalog API app (search enabled) in its own Python 3.11 process; shared by the Rasa-side tests.

    ``API_PYTHON`` names that interpreter (``make bot-test`` passes the API venv's); without it the tests
    that need the catalog are skipped, unless ``TRO_LY_REQUIRE_E2E`` is set (as ``make bot-test`` does).
    """
    import os

    from deploy.stack import catalog_api

    if not os.environ.get("API_PYTHON") and not os.environ.get("TRO_LY_REQUIRE_E2E"):
        pytest.skip("API_PYTHON is not set: run `make bot-test`")
    with catalog_api(tmp_path_factory.mktemp("catalog-api")) as url:
        yield url
