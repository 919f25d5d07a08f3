from __future__ import annotations

import pytest

from index.loader import load_searcher
from index.search_service import SearchService, load_service
from index.searcher import Searcher


@pytest.fixture(scope="session")
def searcher() -> Searcher:
    """The real model and index over the committed catalog (built first when missing)."""
    return load_searcher(build_missing=True)


@pytest.fixture(scope="session")
def service() -> SearchService:
    """The searcher with its trained decision model (trained first when missing, as `make index` does)."""
    return load_service(build_missing=True)
