"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

Each delivery carries three headers:

* ``webhook-id``: the event's ``msg_…`` id, the same on every retry and replay (receivers
  deduplicate by it);
* ``webhook-timestamp``: seconds since the Unix epoch when this attempt was signed;
* ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256, keyed with the base64-decoded
  part of the subscription's ``whsec_…`` secret, of ``{id}.{timestamp}.{body}``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = ["SECRET_PREFIX", "new_message_id", "new_secret", "sign", "signature_headers"]

SECRET_PREFIX = "whsec_"
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def new_secret() -> str:
    """A fresh signing secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_message_id() -> str:
    """A fresh event id: ``msg_`` and 26 random base32 characters (130 bits)."""
    return "msg_" + "".join(secrets.choice(_ALPHABET) for _ in range(26))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value of one delivery."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }
