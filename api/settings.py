"""Settings of the catalog API deployable, from the environment (see .env.example)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]
# Tokens that appear in examples and documentation; production refuses them like an empty one.
KNOWN_DEFAULT_TOKENS = frozenset(
    {"change-me-staff-token", "changeme", "change-me", "secret", "password", "staff", "admin"}
)
MIN_STAFF_TOKEN_CHARS = 16


class InsecureSettings(ValueError):
    """Production mode with a missing or default secret; the message names the variable to set."""


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
    decision_none_below: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="override the trained operating point: below this P(right procedure among the choices) the "
        "search answers none (docs/decision.md prints the curve to choose from); empty: the trained one",
    )
    cors_origins: str = Field(
        default="",
        description="origins whose pages may call the API from a browser, separated by spaces or commas; "
        "empty: the API's own pages (http://127.0.0.1:API_PORT and http://localhost:API_PORT)",
    )
    # Staff console (/staff) and the link to Rasa it tests.
    app_env: Literal["development", "production"] = Field(
        default="development", description="production refuses empty or default secrets at start-up"
    )
    staff_token: SecretStr = Field(default=SecretStr(""), description="token of the staff console; empty: disabled")
    rasa_url: str = Field(default="http://127.0.0.1:5005", description="Rasa server with its HTTP API enabled")
    rasa_auth_token: SecretStr = Field(default=SecretStr(""), description="Rasa's --auth-token, for /model/parse")
    rasa_timeout_s: float = Field(default=15.0, gt=0, description="per request to Rasa")
    tracker_database_url: str = Field(
        default=f"sqlite:///{ROOT / 'var' / 'tracker.db'}",
        description="Rasa's SQL tracker store, read-only: conversations, feedback, unanswered questions",
    )
    staff_database_url: str = Field(
        default=f"sqlite:///{ROOT / 'var' / 'staff.db'}",
        description="the console's own data (accounts, audit log, corrections): SQLite file by default (created "
        "owner-only), postgresql://… to scale out",
    )
    staff_batch_max_rows: int = Field(default=500, ge=1)
    staff_batch_max_bytes: int = Field(default=1_000_000, ge=1)
    staff_batch_concurrency: int = Field(default=4, ge=1, le=32)
    # Citizen widget (GET / and /widget/…): the browser itself calls Rasa, so this is the address the public
    # reaches Rasa at (behind a reverse proxy: its public URL), not necessarily rasa_url.
    rasa_public_url: str = Field(
        default="http://127.0.0.1:5005",
        pattern=r"^https?://[^\s\"'<>]+$",
        description="Rasa's URL as the citizen's browser reaches it; the widget posts to {it}/webhooks/rest/webhook",
    )

    # Abuse limits (docs/security.md): per client address on every route but /health, and on staff logins.
    api_rate_limit_per_minute: int = Field(default=300, ge=1, description="requests a minute per client address")
    api_rate_limit_burst: int = Field(default=60, ge=1, description="requests at once per client address")
    api_rate_limit_exempt: str = Field(
        default="127.0.0.1 ::1",
        description="client addresses not counted, separated by spaces: the action server and a local reverse "
        "proxy (uvicorn takes the citizen's address from a proxy on 127.0.0.1 from X-Forwarded-For)",
    )
    staff_login_attempts_per_minute: int = Field(
        default=5, ge=1, description="failed staff logins a minute per client address, after the burst"
    )
    staff_login_burst: int = Field(default=5, ge=1, description="failed staff logins in a row before the throttle")
    frame_ancestors: str = Field(
        default="",
        description="origins whose pages may frame the API's pages (the widget's portals), separated by spaces; "
        "empty: the CORS origins",
    )

    @property
    def frame_ancestor_list(self) -> list[str]:
        configured = self.frame_ancestors.replace(",", " ").split()
        origins = [o.rstrip("/") for o in configured] or self.cors_origin_list
        # Only plain origins reach the CSP header: a quote or ";" would change the policy itself.
        return [o for o in origins if re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", o)]

    @property
    def cors_origin_list(self) -> list[str]:
        configured = self.cors_origins.replace(",", " ").split()
        return [o.rstrip("/") for o in configured] or [
            f"http://{h}:{self.api_port}" for h in ("127.0.0.1", "localhost")
        ]

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.app_env != "production":
            return self
        staff = self.staff_token.get_secret_value()
        if len(staff) < MIN_STAFF_TOKEN_CHARS or staff.lower() in KNOWN_DEFAULT_TOKENS:
            raise InsecureSettings(
                f"APP_ENV=production needs STAFF_TOKEN: at least {MIN_STAFF_TOKEN_CHARS} random characters, not the "
                "example value (generate one: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        rasa = self.rasa_auth_token.get_secret_value()
        if not rasa or rasa.lower() in KNOWN_DEFAULT_TOKENS:
            raise InsecureSettings("APP_ENV=production needs RASA_AUTH_TOKEN: the random token Rasa runs with")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
