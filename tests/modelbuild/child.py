"""Run a short script in a fresh interpreter, as a newcomer's process would load the model."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def run_script(script: str, model_dir: Path, env: Mapping[str, str], cwd: Path | None = None) -> list[str]:
    """The words the script printed; the test fails with its stderr if it exited non-zero."""
    result = subprocess.run(
        [sys.executable, "-c", script, str(model_dir)],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split()
