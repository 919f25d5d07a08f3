"""Small helpers shared by tests in different folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def repo_output(command: list[str], env: dict[str, str] | None = None) -> str:
    """What ``command`` prints when run at the repository's root (``env``: its whole environment, default
    this process's); CalledProcessError when it fails."""
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
