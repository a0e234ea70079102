"""Signed, expiring tokens for mail links: email verification and password reset.

A reset token carries a fingerprint of the password hash and `password_changed_at`,
so it stops working as soon as it has been used (or the password changed otherwise).
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_SALT = "accounts.verify-email"
RESET_SALT = "accounts.reset-password"


class TokenError(Exception):
    """The token is expired, tampered with, or no longer valid; `expired` tells which."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(secret_key: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=salt)


def password_fingerprint(user) -> str:
    """Changes whenever the password does: binds a reset token to one use."""
    raw = f"{user.password_hash}|{user.password_changed_at.isoformat() if user.password_changed_at else ''}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def make_verify_token(secret_key: str, user) -> str:
    return _serializer(secret_key, VERIFY_SALT).dumps({"uid": user.id, "email": user.email})


def make_reset_token(secret_key: str, user) -> str:
    return _serializer(secret_key, RESET_SALT).dumps({"uid": user.id, "fp": password_fingerprint(user)})


def load_token(secret_key: str, salt: str, token: str, max_age: int) -> dict:
    """The payload of a valid token; raises TokenError otherwise."""
    try:
        data = _serializer(secret_key, salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError(expired=True) from None
    except BadSignature:
        raise TokenError() from None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        raise TokenError()
    return data
