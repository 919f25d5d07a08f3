from __future__ import annotations

import pytest

from index.searcher import Searcher
from index.service import load_searcher


@pytest.fixture(scope="session")
def searcher() -> Searcher:
    """The real model and index over the committed catalog (built first when missing)."""
    return load_searcher(build_missing=True)
