"""Passwords (argon2), access tokens and cursors (HMAC-SHA256 signed, stateless)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """How a refresh token is stored: a leaked table gives no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


class BadSignature(ValueError):
    pass


@dataclass(frozen=True)
class Signer:
    """Signs small JSON documents; `purpose` keeps a cursor from passing as a token."""

    key: bytes

    def sign(self, purpose: str, data: dict[str, Any]) -> str:
        body = _b64(json.dumps(data, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{self._mac(purpose, body)}"

    def verify(self, purpose: str, token: str) -> dict[str, Any]:
        body, _, mac = token.partition(".")
        if not body or not mac or not hmac.compare_digest(mac, self._mac(purpose, body)):
            raise BadSignature(purpose)
        try:
            data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadSignature(purpose) from exc
        if not isinstance(data, dict):
            raise BadSignature(purpose)
        return data

    def _mac(self, purpose: str, body: str) -> str:
        mac = hmac.new(self.key, f"{purpose}:{body}".encode(), hashlib.sha256).digest()
        return _b64(mac)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
