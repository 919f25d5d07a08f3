"""Channel secrets from the environment: off when unset, an error when partial, strict in production."""

from __future__ import annotations

import pytest

from bot.channels.config import ChannelConfigError
from bot.channels.facebook import facebook_env
from bot.channels.zalo import zalo_env

STRONG = {
    "ZALO_APP_ID": "4306184418736952731",
    "ZALO_OA_SECRET_KEY": "Xk3vP9qLm2Rt8WzA5nBc",
    "ZALO_ACCESS_TOKEN": "kq8Zr2_Lm9vT3xW7pN4bY6cJ1hF5dS0a",
}


def test_unset_channel_is_off_not_an_error_even_in_production() -> None:
    assert not zalo_env({}).configured
    assert not facebook_env({"APP_ENV": "production"}).configured


def test_configured_channel_gets_the_public_api_by_default() -> None:
    env = zalo_env(STRONG)
    assert env.configured and env["ZALO_API_URL"] == "https://openapi.zalo.me"
    assert zalo_env({**STRONG, "ZALO_API_URL": "http://127.0.0.1:9/"})["ZALO_API_URL"] == "http://127.0.0.1:9"


def test_partly_configured_channel_names_what_is_missing() -> None:
    with pytest.raises(ChannelConfigError, match="set FACEBOOK_APP_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN too"):
        facebook_env({"FACEBOOK_VERIFY_TOKEN": "abc"})


def test_development_accepts_short_test_values() -> None:
    assert zalo_env({"ZALO_APP_ID": "1", "ZALO_OA_SECRET_KEY": "secret", "ZALO_ACCESS_TOKEN": "t"}).configured


@pytest.mark.parametrize("weak", ["change-me", "short", "your-oa-secret-key-here", "secret"])
def test_production_refuses_placeholder_or_short_secrets(weak: str) -> None:
    with pytest.raises(ChannelConfigError, match="APP_ENV=production refuses the Zalo channel's ZALO_OA_SECRET_KEY"):
        zalo_env({**STRONG, "ZALO_OA_SECRET_KEY": weak, "APP_ENV": "production"})


def test_production_refuses_a_plain_http_api_url_and_accepts_strong_settings() -> None:
    with pytest.raises(ChannelConfigError, match="ZALO_API_URL: use an https:// URL"):
        zalo_env({**STRONG, "APP_ENV": "production", "ZALO_API_URL": "http://openapi.zalo.me"})
    assert zalo_env({**STRONG, "APP_ENV": "production"}).configured
