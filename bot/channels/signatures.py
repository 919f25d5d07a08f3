"""Webhook signature checks, all compared in constant time (``hmac.compare_digest``).

- Messenger: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by the app secret>``.
  Rasa 3.6's connector checks only the SHA-1 header, with ``==``.
- Zalo OA: ``X-ZEvent-Signature: mac=<hex SHA-256 of app_id + raw body + timestamp + OA secret key>``,
  ``timestamp`` being the event's own field (the OA secret key, not the app secret).
"""

from __future__ import annotations

import hashlib
import hmac

MESSENGER_PREFIX = "sha256="
ZALO_PREFIX = "mac="


def messenger_signature(app_secret: str, body: bytes) -> str:
    return MESSENGER_PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def messenger_signature_valid(app_secret: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(messenger_signature(app_secret, body).encode(), header.strip().encode())


def zalo_signature(app_id: str, body: bytes, timestamp: str, oa_secret_key: str) -> str:
    digest = hashlib.sha256(app_id.encode() + body + timestamp.encode() + oa_secret_key.encode()).hexdigest()
    return ZALO_PREFIX + digest


def zalo_signature_valid(app_id: str, body: bytes, timestamp: str, oa_secret_key: str, header: str) -> bool:
    expected = zalo_signature(app_id, body, timestamp, oa_secret_key)
    return hmac.compare_digest(expected.encode(), header.strip().encode())
