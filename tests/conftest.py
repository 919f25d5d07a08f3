from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    from tests.support.postgres import postgres_server

    with tempfile.TemporaryDirectory(prefix="pg-test-") as tmp, postgres_server(Path(tmp)) as url:
        yield url
