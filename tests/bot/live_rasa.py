"""The real action server and Rasa for a module of REST tests, against the session's catalog API."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest

from deploy.stack import StackUnavailable, rasa_processes


@contextlib.contextmanager
def live_rasa(
    tmp_path_factory: pytest.TempPathFactory, name: str, catalog_api_url: str, **options: Any
) -> Iterator[tuple[str, str]]:
    """Rasa's URL and the token of its HTTP API (as `make run`, the API is never open); ``options`` go to
    deploy.stack.rasa_processes. Without Rasa or a model the test is skipped, unless TRO_LY_REQUIRE_E2E is set."""
    pytest.importorskip("rasa")
    try:
        stack = rasa_processes(tmp_path_factory.mktemp(name), catalog_api_url, **options)
        with stack as (_actions_url, url, token):
            yield url, token
    except StackUnavailable as error:
        if os.environ.get("TRO_LY_REQUIRE_E2E"):
            pytest.fail(str(error))
        pytest.skip(str(error))
