"""The published trust list: every label key with its window, signed by the root key.

The document format and its verification are specified in docs/keys.md and implemented by
:mod:`verify.trust_list`; this module only gathers the registered keys and asks the root
signer to sign. Retired and compromised keys stay in the list: verifiers need their windows
to accept what those keys signed while valid, and to reject what a thief signed later.

A signed document is kept per process and reissued when a key changes or after
:data:`REISSUE_AFTER`, so serving it costs a query and no signature.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from core.settings import Settings
from labeling.keycustody import Signer
from labeling.keyrecords import repository
from labeling.keyrecords.opening import root_signer
from schemas.keys import KeyPurpose, SigningKey
from schemas.types import utcnow
from verify.checkpoint import encode_vkey
from verify.signing import b64url_encode
from verify.trust_list import TRUST_LIST_VERSION, format_time, sign_trust_list

__all__ = [
    "HTTP_MAX_AGE",
    "REISSUE_AFTER",
    "TRUST_LIST_MAX_AGE",
    "PublishedTrustList",
    "current_trust_list",
    "jwk",
    "trust_list_document",
]

#: How long a verifier may rely on a copy (the document's ``max_age``): one day.
TRUST_LIST_MAX_AGE = 86_400
#: How long HTTP caches and CDNs may serve a copy without revalidating.
HTTP_MAX_AGE = 300
#: A served copy older than this is re-signed with a fresh ``issued_at``.
REISSUE_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class PublishedTrustList:
    """Signed trust-list bytes, their ETag and issue time."""

    body: bytes
    etag: str
    issued_at: datetime


def jwk(key: SigningKey) -> dict[str, Any]:
    """A label key as a trust-list JWK member (absent windows are omitted, not null)."""
    member: dict[str, Any] = {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url_encode(key.public_key),
        "kid": key.kid,
        "use": "sig",
        "alg": "EdDSA",
        "khatem:not_before": format_time(key.not_before),
    }
    if key.retired_at is not None:
        member["khatem:retired_at"] = format_time(key.retired_at)
    if key.compromised_since is not None:
        member["khatem:compromised_since"] = format_time(key.compromised_since)
    return member


def trust_list_document(
    keys: Sequence[SigningKey],
    *,
    issued_at: datetime,
    origin: str,
    root_public_key: bytes,
    max_age: int = TRUST_LIST_MAX_AGE,
) -> dict[str, Any]:
    """The unsigned trust-list document (docs/keys.md, "The trust list")."""
    return {
        "version": TRUST_LIST_VERSION,
        "keys": [jwk(key) for key in keys if key.purpose == KeyPurpose.LABEL.value],
        "issued_at": format_time(issued_at),
        "max_age": max_age,
        "log": {"origin": origin, "vkey": encode_vkey(origin, root_public_key)},
    }


_issued: dict[tuple[Any, ...], PublishedTrustList] = {}
_lock = threading.Lock()


def _fingerprint(keys: Sequence[SigningKey], signer: Signer, settings: Settings) -> tuple[Any, ...]:
    rows = tuple(
        (key.kid, key.purpose, key.not_before, key.retired_at, key.compromised_since)
        for key in keys
    )
    return (settings.resolved_database_url, settings.log_origin, signer.key_id, rows)


def current_trust_list(session: Session, settings: Settings) -> PublishedTrustList:
    """The signed trust list to serve now (re-signed only when it changed or aged)."""
    keys = repository.list_keys(session=session)
    signer = root_signer(session, settings)
    fingerprint = _fingerprint(keys, signer, settings)
    now = utcnow()
    with _lock:
        cached = _issued.get(fingerprint)
    if cached is not None and now - cached.issued_at < REISSUE_AFTER:
        return cached
    document = trust_list_document(
        keys, issued_at=now, origin=settings.log_origin, root_public_key=signer.public_key_raw
    )
    body = sign_trust_list(document, sign=signer.sign, public_key=signer.public_key_raw)
    published = PublishedTrustList(
        body=body,
        etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        issued_at=now.replace(microsecond=0),
    )
    with _lock:
        if len(_issued) > 64:
            _issued.clear()
        _issued[fingerprint] = published
    return published
