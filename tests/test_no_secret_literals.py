"""No secret is written in a configuration file: they come from the environment only.

Scans every configuration file of the repository (tracked or new, not ignored): a key that names a
password, secret, token or key must hold a reference to an environment variable (``${VAR}``) or
nothing, a URL must not carry a password, and no private key may appear. Comment lines are examples
(``.env.example``) and are not scanned.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import ROOT, repo_output

CONFIG_SUFFIXES = {".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".env", ".example", ".service", ".template"}
CONFIG_NAMES = {"Makefile", "Dockerfile", ".env.example", "docker-compose.yml"}
DATA_DIRS = ("knowledge/data/", "tests/data/", "bot/data/", "bot/tests/")

_SECRET_KEY = re.compile(
    r"""^\s*(?:export\s+)?["']?(?P<key>[A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_.-]*)["']?\s*(?::=|\?=|\+=|[:=])\s*(?P<value>.*)$""",
    re.IGNORECASE,
)
# ${VAR}, ${VAR:-}, $VAR, or a value computed by make or the shell: $(...).
_ENV_REFERENCE = re.compile(r"""^["']?\$[({A-Za-z_]""")
_EMPTY = {"", "''", '""', "~", "null", "none", "changeme-from-env"}
_URL_PASSWORD = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:(?P<password>[^@\s/]+)@", re.IGNORECASE)
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")


def findings(text: str) -> list[str]:
    """Lines of ``text`` that hold a secret literal."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(("#", ";", "//")):
            continue
        content = re.split(r"\s+#", line, maxsplit=1)[0]
        match = _SECRET_KEY.match(content)
        if match:
            value = match.group("value").strip().rstrip(",")
            if value.lower() not in _EMPTY and not _ENV_REFERENCE.match(value) and not value.endswith(":"):
                found.append(f"line {number}: {match.group('key')} holds a literal")
        url = _URL_PASSWORD.search(content)
        if url and not url.group("password").startswith("$"):
            found.append(f"line {number}: a URL with a password")
        if _PRIVATE_KEY.search(line):
            found.append(f"line {number}: a private key")
    return found


def config_files() -> list[Path]:
    listed = repo_output(["git", "ls-files", "--cached", "--others", "--exclude-standard"]).splitlines()
    files = []
    for name in listed:
        path = ROOT / name
        if name.startswith(DATA_DIRS) or not path.is_file():
            continue
        if path.name in CONFIG_NAMES or path.suffix in CONFIG_SUFFIXES:
            files.append(path)
    return sorted(files)


def test_config_files_are_found() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in config_files()}
    assert {"credentials.yml", "endpoints.yml", ".env.example", "pyproject.toml"} <= names


@pytest.mark.parametrize("path", config_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_secret_literal(path: Path) -> None:
    assert not findings(path.read_text(encoding="utf-8", errors="replace")), (
        f"{path.relative_to(ROOT)}: {findings(path.read_text(encoding='utf-8', errors='replace'))}; "
        "read the value from an environment variable (${VAR}) and document it in .env.example"
    )


@pytest.mark.parametrize(
    "text",
    [
        "STAFF_TOKEN=s3cr3t-value-123",
        "  password: hunter2",
        'app_secret: "abc"',
        "export RASA_AUTH_TOKEN=abcdef",
        "url: postgresql://tro_ly:secret@127.0.0.1/db",
        "-----BEGIN RSA PRIVATE KEY-----",
    ],
)
def test_the_check_finds_literals(text: str) -> None:
    assert findings(text)


@pytest.mark.parametrize(
    "text",
    [
        "password: ${TRACKER_DB_PASSWORD}",
        "# STAFF_TOKEN=change-me-staff-token",
        "# DATABASE_URL=postgresql://tro_ly:secret@127.0.0.1:5432/catalog",
        "RASA_AUTH_TOKEN=",
        "token: $(RASA_AUTH_TOKEN)",
        "API_KEY := $(shell cat requirements/api.txt | sha256sum | cut -c1-12)",
        "url: postgresql://tro_ly:${TRACKER_DB_PASSWORD}@127.0.0.1/db",
        "auth_token_header: X-Token:",
        "secret_key: ${ZALO_OA_SECRET_KEY:-}",
    ],
)
def test_the_check_accepts_references_and_comments(text: str) -> None:
    assert not findings(text)
