"""Signature formats against independently computed values, and what must not pass."""

from __future__ import annotations

import hashlib
import hmac

from bot.channels.facebook import FacebookChannel
from bot.channels.signatures import (
    messenger_signature,
    messenger_signature_valid,
    zalo_signature,
    zalo_signature_valid,
)

BODY = '{"event_name":"user_send_text","message":{"text":"đăng ký khai sinh"}}'.encode()


def test_zalo_signature_is_sha256_of_app_id_body_timestamp_secret() -> None:
    expected = hashlib.sha256(b"123" + BODY + b"1700000000000" + b"oa-secret").hexdigest()
    assert zalo_signature("123", BODY, "1700000000000", "oa-secret") == f"mac={expected}"
    assert zalo_signature_valid("123", BODY, "1700000000000", "oa-secret", f"mac={expected}")


def test_zalo_signature_refuses_any_change() -> None:
    good = zalo_signature("123", BODY, "1700000000000", "oa-secret")
    assert not zalo_signature_valid("123", BODY + b" ", "1700000000000", "oa-secret", good)
    assert not zalo_signature_valid("123", BODY, "1700000000001", "oa-secret", good)
    assert not zalo_signature_valid("124", BODY, "1700000000000", "oa-secret", good)
    assert not zalo_signature_valid("123", BODY, "1700000000000", "other", good)
    assert not zalo_signature_valid("123", BODY, "1700000000000", "oa-secret", good.removeprefix("mac="))
    assert not zalo_signature_valid("123", BODY, "1700000000000", "oa-secret", "mac=đ")


def test_messenger_signature_is_hmac_sha256_of_the_body() -> None:
    expected = hmac.new(b"app-secret", BODY, hashlib.sha256).hexdigest()
    assert messenger_signature("app-secret", BODY) == f"sha256={expected}"
    assert FacebookChannel.validate_hub_signature("app-secret", BODY, f"sha256={expected}")


def test_messenger_refuses_sha1_a_wrong_secret_and_an_empty_secret() -> None:
    sha1 = hmac.new(b"app-secret", BODY, hashlib.sha1).hexdigest()
    assert not FacebookChannel.validate_hub_signature("app-secret", BODY, f"sha1={sha1}")
    assert not messenger_signature_valid("other", BODY, messenger_signature("app-secret", BODY))
    assert not FacebookChannel.validate_hub_signature("", BODY, messenger_signature("", BODY))
