"""Signing the registry's root-signed documents: the trust list and the status snapshots.

Both are signed the same way (docs/keys.md, docs/status-snapshots.md)::

    context line || encode(document without "signature")

and published as ``encode`` of the document with its ``signature`` member
``{"alg": "EdDSA", "kid": <root kid>, "sig": <base64url>}`` (the kid is
:func:`verify.canonical.key_id`'s). Only the context line and the error class differ
(each document module wraps :func:`verify.canonical.canonical_json` to raise its own):
:mod:`verify.trust_list` and :mod:`verify.snapshot` pass theirs to :func:`sign_document`,
and verify with :func:`root_signature` (the ``signature`` member), :func:`check_signature`
(Ed25519) and :func:`b64url_decode`, each raising the caller's error class with the
caller's wording.

This module is pure: it imports nothing from ``labeling`` (nor from the two document
modules) and never holds a private key (``sign`` is a callback).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verify.canonical import key_id

__all__ = [
    "b64url_decode",
    "b64url_encode",
    "check_signature",
    "root_signature",
    "sign_document",
    "signed_message",
]

_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def b64url_encode(raw: bytes) -> str:
    """base64url without padding (RFC 4648 section 5)."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(
    text: Any, what: str, *, error: type[Exception], size: int | None = None
) -> bytes:
    """Strict base64url: the URL-safe alphabet only, no padding, the canonical encoding.

    Raises ``error`` naming ``what``. With ``size``, the decoded length must be ``size`` and
    a wrong length or a non-canonical encoding is one error ("must be the canonical
    encoding of ``size`` bytes"); without it, any length is accepted and only a
    non-canonical encoding is refused ("is not canonical base64url").
    """
    if not isinstance(text, str) or not _B64URL.fullmatch(text):
        raise error(f"{what} is not base64url without padding")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise error(f"{what} is not valid base64url") from None
    if size is None:
        if b64url_encode(raw) != text:
            raise error(f"{what} is not canonical base64url")
    elif len(raw) != size or b64url_encode(raw) != text:
        raise error(f"{what} must be the canonical encoding of {size} bytes")
    return raw


def signed_message(
    document: Mapping[str, Any], *, context: bytes, encode: Callable[[Any], bytes]
) -> bytes:
    """The bytes the root key signs: the context line, then ``encode`` of the unsigned document."""
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    return context + encode(unsigned)


def sign_document(
    document: Mapping[str, Any],
    *,
    context: bytes,
    encode: Callable[[Any], bytes],
    error: type[Exception],
    sign: Callable[[bytes], bytes],
    public_key: bytes,
) -> bytes:
    """The published bytes: ``document`` plus its ``signature`` member, as ``encode`` gives.

    The signature is checked against ``public_key`` (the root key) before it is returned;
    ``error`` is raised when it does not verify (the signer holds another key).
    """
    message = signed_message(document, context=context, encode=encode)
    signature = sign(message)
    check_signature(
        public_key,
        signature,
        message,
        error=error,
        failure="the signer's key is not the root public key given",
    )
    signed = dict(document)
    signed["signature"] = {
        "alg": "EdDSA",
        "kid": key_id(public_key),
        "sig": b64url_encode(signature),
    }
    return encode(signed)


def root_signature(
    document: Mapping[str, Any],
    *,
    root_public_key: bytes,
    key_id: Callable[[bytes], str],
    error: type[Exception],
    subject: str,
) -> tuple[str, Any]:
    """The ``signature`` member's checks: its shape, ``alg`` EdDSA, ``kid`` the root key's.

    Returns the root kid and the member's ``sig`` value, still encoded: the caller decodes
    it (:func:`b64url_decode`) with its own wording. ``key_id`` gives the root kid and
    checks the key's length (raising its own error); it runs after the ``alg`` check.
    ``error`` is raised otherwise, ``"<subject> is not signed by the pinned root key"``
    for another kid.
    """
    signature = document.get("signature")
    if not isinstance(signature, dict) or set(signature) != {"alg", "kid", "sig"}:
        raise error("signature must be an object with alg, kid and sig")
    if signature["alg"] != "EdDSA":
        raise error("signature alg must be EdDSA")
    root_kid = key_id(root_public_key)
    if signature["kid"] != root_kid:
        raise error(f"{subject} is not signed by the pinned root key")
    return root_kid, signature["sig"]


def check_signature(
    public_key: bytes,
    signature: bytes,
    message: bytes,
    *,
    error: type[Exception],
    failure: str,
) -> None:
    """Ed25519 (RFC 8032, pure) of ``message`` by ``public_key``; ``error(failure)`` if not."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except InvalidSignature:
        raise error(failure) from None
