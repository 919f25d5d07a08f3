"""Channel settings from the environment, and the production rule for secrets.

Rasa 3.6 expands ``${VAR}`` in credentials.yml but fails on an unset variable, so ``make run`` could not
start without every channel's secrets. The channels read ``os.environ`` here instead: a channel whose
variables are all unset is off (its webhook answers 503); a partly configured one is an error.

With ``APP_ENV=production`` Rasa refuses to start when a configured channel has a secret that is
shorter than ``MIN_SECRET_CHARS``, a known placeholder, or when its API base URL is not https.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from rasa.shared.exceptions import RasaException

MIN_SECRET_CHARS = 16
# Values people paste from examples; never acceptable in production, whatever their length.
PLACEHOLDERS = frozenset(
    {"", "changeme", "change-me", "change_me", "secret", "password", "test", "dev", "example", "xxx", "todo", "none"}
)


class ChannelConfigError(RasaException):
    """A channel's environment variables are inconsistent or unsafe; the message names them and the fix."""


@dataclass(frozen=True)
class ChannelEnv:
    """One channel's variables: ``required`` are set all together or not at all; ``urls`` have public defaults."""

    channel: str
    values: dict[str, str]
    required: tuple[str, ...]

    @property
    def configured(self) -> bool:
        return all(self.values.get(name) for name in self.required)

    def __getitem__(self, name: str) -> str:
        return self.values[name]


def production(environ: Mapping[str, str] | None = None) -> bool:
    return (environ if environ is not None else os.environ).get("APP_ENV", "").strip().lower() == "production"


def _placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in PLACEHOLDERS or lowered.startswith(("your-", "your_", "<"))


def load(
    channel: str,
    required: tuple[str, ...],
    secrets: tuple[str, ...],
    urls: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> ChannelEnv:
    """Read one channel's variables; raise ``ChannelConfigError`` when they are partial or unsafe.

    ``secrets`` (a subset of ``required``) are the values checked for strength in production; an app id
    is required but public.
    """
    env = environ if environ is not None else os.environ
    url_defaults = dict(urls or {})
    values = {name: env.get(name, "").strip() for name in required}
    values.update({name: (env.get(name) or default).strip().rstrip("/") for name, default in url_defaults.items()})
    config = ChannelEnv(channel, values, required)
    missing = [name for name in required if not values[name]]
    if missing and len(missing) < len(required):
        raise ChannelConfigError(
            f"The {channel} channel is only partly configured: set {', '.join(missing)} too "
            f"(or unset {', '.join(n for n in required if n not in missing)} to turn the channel off)."
        )
    if config.configured and production(env):
        weak = [name for name in secrets if len(values[name]) < MIN_SECRET_CHARS or _placeholder(values[name])]
        if weak:
            raise ChannelConfigError(
                f"APP_ENV=production refuses the {channel} channel's {', '.join(weak)}: each secret must be the "
                f"real value from the provider's console, at least {MIN_SECRET_CHARS} characters, not a placeholder."
            )
        plain = [name for name in url_defaults if not values[name].startswith("https://")]
        if plain:
            raise ChannelConfigError(
                f"APP_ENV=production refuses the {channel} channel's {', '.join(plain)}: use an https:// URL "
                "(or unset it for the provider's public API)."
            )
    return config


def positive_int(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    """An integer setting ≥ 1; a malformed value stops the start with a message saying what to write."""
    raw = (environ if environ is not None else os.environ).get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ChannelConfigError(f"{name} must be a whole number ≥ 1, got {raw!r}") from None
    if value < 1:
        raise ChannelConfigError(f"{name} must be a whole number ≥ 1, got {raw!r}")
    return value
