"""schemathesis against the catalog API's own OpenAPI document: every route, generated requests.

The real app (catalog in SQLite, search with the real index and embedding model) in process through
ASGI. Each response must not be a server error and must match what the OpenAPI document promises
(status codes, content types, response schemas, headers). Examples per route are bounded so that the
whole run stays near a minute on two cores; /search, which embeds every question, gets fewer.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from api.main import create_app
from api.settings import Settings
from knowledge.catalog_file import DEFAULT_DIR

_DB = Path(tempfile.mkdtemp(prefix="schemathesis-")) / "catalog.sqlite"
app = create_app(Settings(database_url=f"sqlite:///{_DB}", catalog_dir=DEFAULT_DIR, build_missing_index=True))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)

SEARCH = "/search"


def bounded(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same requests on every run: a failure here is reproducible
        database=None,
    )


@schema.exclude(path=SEARCH).parametrize()
@bounded(40)
def test_catalog_routes(case: schemathesis.Case) -> None:
    case.call_and_validate()


@schema.include(path=SEARCH).parametrize()
@bounded(25)
def test_search_route(case: schemathesis.Case) -> None:
    case.call_and_validate()
