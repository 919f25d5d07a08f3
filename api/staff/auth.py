"""Who may use the console: named accounts or the token from the environment, a signed session cookie,
and same-origin POSTs.

A token session's cookie never holds the token itself: it holds an expiry and an HMAC of it keyed by the
token, so changing STAFF_TOKEN signs every token session out. An account session's cookie holds the
account id and an expiry, signed with a key kept in the staff database and the account's password hash,
so a new password signs that account's sessions out. Every comparison is constant-time
(hmac.compare_digest).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

COOKIE_NAME = "staff_session"
SESSION_SECONDS = 12 * 3600


def _signature(token: str, expires: int) -> str:
    return hmac.new(token.encode(), f"staff-session:{expires}".encode(), hashlib.sha256).hexdigest()


def token_matches(token: str, given: str) -> bool:
    # compare_digest on bytes: a str with non-ASCII characters would raise instead of answering False.
    return bool(token) and hmac.compare_digest(token.encode(), given.encode())


def new_session(token: str, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + SESSION_SECONDS)
    return f"{expires}.{_signature(token, expires)}"


def session_valid(token: str, cookie: str | None, now: float | None = None) -> bool:
    """Whether ``cookie`` is a session this token signed and not yet expired; any other value is just invalid.

    The value comes from the client: it is checked for shape (ASCII digits, a dot, 64 hex digits) before
    anything parses it (``"²".isdigit()`` is true but ``int("²")`` fails).
    """
    if not token or not cookie or len(cookie) > 100 or not cookie.isascii() or "." not in cookie:
        return False
    expires_text, signature = cookie.split(".", 1)
    if not (0 < len(expires_text) <= 12 and expires_text.isdigit()) or len(signature) != 64:
        return False
    if int(expires_text) < (now if now is not None else time.time()):
        return False
    return hmac.compare_digest(signature.encode(), _signature(token, int(expires_text)).encode())


def new_user_session(key: bytes, user_id: int, password_hash: str, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + SESSION_SECONDS)
    return f"u{user_id}.{expires}.{_user_signature(key, user_id, expires, password_hash)}"


def _user_signature(key: bytes, user_id: int, expires: int, password_hash: str) -> str:
    message = f"staff-user:{user_id}:{expires}:{password_hash}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def session_user_id(cookie: str | None) -> int | None:
    """The account id an account-session cookie claims (not yet verified), None for any other value."""
    if not cookie or len(cookie) > 120 or not cookie.isascii() or not cookie.startswith("u") or cookie.count(".") != 2:
        return None
    user_text = cookie[1:].split(".", 1)[0]
    # At most 9 digits: any id a 32-bit INTEGER column holds, and never a query PostgreSQL refuses.
    return int(user_text) if 0 < len(user_text) <= 9 and user_text.isdigit() else None


def user_session_valid(key: bytes, cookie: str, user_id: int, password_hash: str, now: float | None = None) -> bool:
    """Whether ``cookie`` is an unexpired session of this account, signed with ``key`` and its current hash."""
    if session_user_id(cookie) != user_id:
        return False
    _, expires_text, signature = cookie.split(".")
    if not (0 < len(expires_text) <= 12 and expires_text.isdigit()) or len(signature) != 64:
        return False
    if int(expires_text) < (now if now is not None else time.time()):
        return False
    expected = _user_signature(key, user_id, int(expires_text), password_hash)
    return hmac.compare_digest(signature.encode(), expected.encode())


def bearer(headers: Mapping[str, str]) -> str | None:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def same_origin(headers: Mapping[str, str]) -> bool:
    """Whether a browser POST comes from a page of this very host (Origin, else Referer).

    A form posted from another site carries that site's Origin; a request with neither header is
    refused too, since every current browser sends Origin on POST. Behind a reverse proxy, the proxy
    must pass the original Host header.
    """
    host = headers.get("host", "").lower()
    source = headers.get("origin") or headers.get("referer")
    if not host or not source or source == "null":
        return False
    return urlsplit(source).netloc.lower() == host
