"""The stack a load run talks to (benchmarks/load.py): a running one, or a profile started for the run."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Target:
    rest_url: str
    cpu_ports: dict[str, list[int]]  # component → ports of its servers, for CPU accounting


def _port(url: str) -> int:
    return int(urlsplit(url).port or 80)


@contextlib.contextmanager
def started_target(profile: str, rasa_url: str | None, cpu_ports: dict[str, list[int]]) -> Iterator[Target]:
    """The REST webhook to load: a running stack's, or a stack of ``profile`` started here and stopped after."""
    if rasa_url:
        yield Target(f"{rasa_url.rstrip('/')}/webhooks/rest/webhook", cpu_ports or {"rasa": [_port(rasa_url)]})
        return
    ports: dict[str, list[int]]
    with tempfile.TemporaryDirectory(prefix=f"load-{profile}-") as tmp:
        if profile == "default":
            from deploy.stack import assistant

            with assistant(Path(tmp)) as stack:
                ports = {
                    "rasa": [_port(stack.rasa_url)],
                    "actions": [_port(stack.actions_url)],
                    "catalog API": [_port(stack.api_url)],
                }
                yield Target(stack.rest_webhook, ports)
        else:
            from deploy.scaleout import scale_out

            with scale_out(Path(tmp)) as so:
                ports = {
                    "rasa": [_port(u) for u in so.rasa_nodes],
                    "actions": [_port(u) for u in so.action_servers],
                    "catalog API": [_port(u) for u in so.api_replicas],
                    "nginx": [_port(so.rasa_url)],
                    "postgresql": [_port(so.tracker_dsn)],
                    "redis": [_port(so.redis_url)],
                }
                yield Target(so.rest_webhook, ports)
