"""Signing the registry's root-signed documents: the trust list and the status snapshots.

Both are signed the same way (docs/keys.md, docs/status-snapshots.md)::

    context line || encode(document without "signature")

and published as ``encode`` of the document with its ``signature`` member
``{"alg": "EdDSA", "kid": <root kid>, "sig": <base64url>}``. Only the context line, the
canonical encoder and the error class differ; :mod:`verify.trust_list` and
:mod:`verify.snapshot` pass theirs to :func:`sign_document`.

This module is pure: it imports nothing from ``labeling`` (nor from the two document
modules) and never holds a private key (``sign`` is a callback).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

__all__ = ["b64url_encode", "kid_of", "sign_document", "signed_message"]


def b64url_encode(raw: bytes) -> str:
    """base64url without padding (RFC 4648 section 5)."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def kid_of(public_key: bytes) -> str:
    """Hex of SHA-256(key)[:4] (label-format 4.1); the caller has checked the key's length."""
    return hashlib.sha256(public_key).digest()[:4].hex()


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
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except InvalidSignature:
        raise error("the signer's key is not the root public key given") from None
    signed = dict(document)
    signed["signature"] = {
        "alg": "EdDSA",
        "kid": kid_of(public_key),
        "sig": b64url_encode(signature),
    }
    return encode(signed)
