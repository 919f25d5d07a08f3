"""Settings of the catalog API deployable, from the environment (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'var' / 'catalog.sqlite'}",
        description="SQLite file by default; postgresql://user:pass@host/db to scale out",
    )
    catalog_dir: Path = ROOT / "knowledge" / "data"
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    search_enabled: bool = Field(default=True, description="load the embedding model and index for /search")
    build_missing_index: bool = Field(default=True, description="build the search index at start-up when missing")


@lru_cache
def get_settings() -> Settings:
    return Settings()
