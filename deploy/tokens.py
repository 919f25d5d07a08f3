"""Which secret goes to which process, shared by every launcher (make run, deploy/stack.py, the scale-out).

- ``RASA_AUTH_TOKEN``: Rasa gets it as ``--auth-token``; the catalog API (staff console) in its environment.
- ``ACTION_SERVER_TOKEN``: Rasa (its endpoints file sends it, ``${ACTION_SERVER_TOKEN}``) and the action
  server (actions/server_auth.py checks it).
- ``STAFF_TOKEN``: the catalog API only.

A token that is not set is generated for the run. None is ever printed: ``make run`` writes the generated
staff token to a file only its owner can read.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from deploy.processes import open_private

ACTION_TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
# Secrets no Rasa-side process needs (Rasa takes its own token on the command line).
API_ONLY = ("STAFF_TOKEN", "RASA_AUTH_TOKEN")
# And the one the catalog API does not need.
RASA_ONLY = (ACTION_TOKEN_VARIABLE,)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def without(environ: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k not in names}


def without_secrets(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment for Rasa and the action server: no staff token, no Rasa API token."""
    return without(environ, API_ONLY)


def action_endpoint_yaml(url: str) -> str:
    """The ``action_endpoint`` block of an endpoints file; Rasa expands the variable from its environment
    (only in an unquoted value), so the token itself is never written to a file."""
    return f'action_endpoint:\n  url: "{url}"\n  headers:\n    Authorization: Bearer ${{{ACTION_TOKEN_VARIABLE}}}\n'


def sqlite_tracker_yaml(path: Path) -> str:
    return f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {path}\n"


def write_private(path: Path, text: str) -> None:
    """Create or replace ``path`` readable by its owner only (0600), whatever the umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_private(path) as out:
        out.write(text)
    os.chmod(path, 0o600)
