"""The whole assistant, at DEBUG level, shared by the fault tests (Rasa takes about a minute to start)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from deploy.stack import StackUnavailable
from tests.faults.services import FaultStack, fault_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultStack]:
    """Skipped without ``API_PYTHON``, ``RASA_PYTHON`` and ``RASA_MODEL`` (the Makefile sets them), unless
    ``TRO_LY_REQUIRE_E2E`` is set, where their absence is a failure."""
    try:
        if not os.environ.get("API_PYTHON"):
            raise StackUnavailable("API_PYTHON must name the catalog API's Python 3.11 (`make test` sets it)")
        with fault_stack(tmp_path_factory.mktemp("faults")) as running:
            yield running
    except StackUnavailable as error:
        if os.environ.get("TRO_LY_REQUIRE_E2E"):
            pytest.fail(str(error))
        pytest.skip(str(error))
