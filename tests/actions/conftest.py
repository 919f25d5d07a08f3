"""Fixtures for the action tests: the real catalog API app (started once a session) and the reply templates."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def responses() -> dict[str, str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {name: variants[0]["text"] for name, variants in domain["responses"].items()}


@pytest.fixture
def catalog(catalog_api_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The actions talk to the real catalog API; the URL is returned.

    These tests check what the actions answer from real records, not how fast: a real search takes
    about 0.1 s on an idle machine but can pass a second on a busy one, so the production timeouts
    (1.2 s a call, 1.5 s an action) are relaxed here. The apology within 2 s is tested against a
    catalog that is down or slow, with the production timeouts.
    """
    from actions.settings import Settings

    production = Settings.from_env
    monkeypatch.setattr(
        Settings,
        "from_env",
        classmethod(lambda cls: dataclasses.replace(production(), request_timeout_s=10.0, action_budget_s=20.0)),
    )
    monkeypatch.setenv("CATALOG_API_URL", catalog_api_url)
    monkeypatch.setenv("HANDOFF_HOTLINE", "18001096")
    monkeypatch.setenv("PORTAL_URL", "https://dichvucong.gov.vn")
    return catalog_api_url
