"""The pieces of the controls that need no running stack: cookie shapes, masking, buckets, policies."""

from __future__ import annotations

import pytest

from api.rate_limit import TokenBuckets
from api.security import docs_policy, page_policy
from api.settings import Settings
from api.staff import auth
from knowledge.privacy import ACCOUNT_MASK, ID_MASK, PASSPORT_MASK, PHONE_MASK, mask_pii

TOKEN = "unit-staff-token-0123456789abcdef"


@pytest.mark.parametrize(
    "cookie",
    ["²³.ff", "١٢٣٤٥٦٧٨٩٠." + "a" * 64, "9" * 5000 + ".x", "a.b.c", ".", "", "12.", "12." + "é" * 64],
)
def test_malformed_session_cookies_are_invalid_not_errors(cookie: str) -> None:
    assert auth.session_valid(TOKEN, cookie) is False


def test_a_real_session_cookie_is_valid() -> None:
    assert auth.session_valid(TOKEN, auth.new_session(TOKEN))


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("cccd001203004567 sdt0912345678", f"cccd{ID_MASK} sdt{PHONE_MASK}"),
        ("gọi 0912 345 678 nhé", f"gọi {PHONE_MASK} nhé"),
        ("hộ chiếu C1234567", f"hộ chiếu {PASSPORT_MASK}"),
        ("hochieuC1234567", f"hochieu{PASSPORT_MASK}"),
        ("stk 0123456789012", f"stk {ACCOUNT_MASK}"),
        ("số tài khoản: 1903 5678 9012 34", f"số tài khoản: {ACCOUNT_MASK}"),
        ("thẻ 9704 0000 1234 5678", f"thẻ {ACCOUNT_MASK}"),
        ("CCCD 001 203 004 567", f"CCCD {PHONE_MASK}"),  # grouped: masked, labelled as the likelier phone
    ],
)
def test_masking_handles_stuck_and_spaced_digits_passports_and_accounts(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


def test_login_throttle_counts_failures_per_address() -> None:
    now = [0.0]
    buckets = TokenBuckets(per_minute=5, burst=5, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(5)] == [0] * 5
    assert buckets.wait_s("a") == 12 and buckets.take("a") == 12
    assert buckets.wait_s("b") == 0
    now[0] = 12.0
    assert buckets.take("a") == 0


def test_policies_forbid_inline_code_and_frame_only_from_configured_portals() -> None:
    settings = Settings(
        cors_origins="https://dichvucong.example.gov.vn", rasa_public_url="https://rasa.example.gov.vn/x"
    )
    policy = page_policy(settings)
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'self' https://dichvucong.example.gov.vn;" in policy
    assert "connect-src 'self' https://rasa.example.gov.vn;" in policy
    hostile = Settings(frame_ancestors="https://a.example 'unsafe-inline'; script-src *")
    assert "unsafe-inline" not in page_policy(hostile) and "script-src *" not in page_policy(hostile)
    docs = docs_policy(b"<script src='x.js'></script><script>init()</script>")
    assert docs.count("'sha256-") == 1
