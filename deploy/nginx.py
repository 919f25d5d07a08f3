"""The nginx configuration of the scale-out profile, rendered from deploy/nginx.conf.template."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")


class NginxUnavailableError(RuntimeError):
    """No nginx binary: install Debian's `nginx` package (`apt-get install nginx`; .ci/run does)."""


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if not found:
        raise NginxUnavailableError(NginxUnavailableError.__doc__)
    return found


def _servers(addresses: Sequence[str]) -> str:
    # One failure takes a node out for 5 s; nginx then retries the request on another node.
    return "\n".join(f"        server {address} max_fails=1 fail_timeout=5s;" for address in addresses)


def render(prefix: Path, rasa_port: int, api_port: int, rasa_nodes: Sequence[str], api_replicas: Sequence[str]) -> Path:
    """Write ``prefix/nginx.conf`` for the given front ports and ``host:port`` back ends; return its path."""
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        # As root nginx's workers run as `nobody`: they must reach the temporary folders nginx makes.
        for folder in (prefix, prefix / "tmp"):
            folder.chmod(0o755)
    text = (
        TEMPLATE.read_text(encoding="utf-8")
        .replace("@PREFIX@", str(prefix))
        .replace("@RASA_PORT@", str(rasa_port))
        .replace("@API_PORT@", str(api_port))
        .replace("@RASA_SERVERS@", _servers(rasa_nodes))
        .replace("@API_SERVERS@", _servers(api_replicas))
    )
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise ValueError(f"deploy/nginx.conf.template holds placeholders render() does not fill: {left}")
    path = prefix / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def command(config: Path, prefix: Path) -> list[str]:
    """nginx in the foreground with everything (pid, logs, temporary files) under ``prefix``."""
    return [nginx_binary(), "-c", str(config), "-p", str(prefix), "-g", "daemon off;"]
