"""Khatem's trust list: the signed set of label keys a verifier may use (docs/keys.md).

A trust list is a JSON document::

    {"version": 1,
     "keys": [{"kty": "OKP", "crv": "Ed25519", "x": "<base64url>", "kid": "<8 hex>",
               "use": "sig", "alg": "EdDSA", "khatem:not_before": "<time>",
               "khatem:retired_at": "<time>", "khatem:compromised_since": "<time>"}, ...],
     "issued_at": "<time>", "max_age": <seconds>,
     "log": {"origin": "<checkpoint origin>", "vkey": "<note verifier key>"},
     "signature": {"alg": "EdDSA", "kid": "<root kid>", "sig": "<base64url>"}}

Times are RFC 3339 UTC with second precision (``2026-11-22T13:38:00Z``); the two optional
``khatem:`` members are absent, not null, when they do not apply. The signature is Ed25519
(RFC 8032, pure) by the registry's pinned root key over::

    ASCII("KHATEM-TRUST-LIST-V1") || 0x0A || JCS(document without "signature")

where JCS is RFC 8785 (:func:`verify.canonical.canonical_json`). The documents this module
accepts hold only strings, integers of at most 2**53 - 1 in magnitude, booleans, null,
arrays and objects, for which JCS is: object members sorted by their UTF-16 code units, no
insignificant white space, strings escaped as ECMAScript's ``JSON.stringify`` does,
integers in plain decimal.

This module is pure: it imports nothing from ``labeling`` and never holds a private key
(:func:`sign_trust_list` takes a ``sign`` callback). Errors::

    TrustListError            the document is malformed or its signature does not verify
    ├── TrustListStale        valid, but older than its max_age (carries the trust list)
    └── KeyRejected           a key cannot vouch for a signature (reason code in .reason)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from verify import canonical, signing
from verify.checkpoint import CheckpointError, VerifierKey, parse_vkey
from verify.strict_json import StrictJsonError, loads_object

__all__ = [
    "MAX_TRUST_LIST_BYTES",
    "SIGNING_CONTEXT",
    "TRUST_LIST_VERSION",
    "KeyRejected",
    "TrustList",
    "TrustListError",
    "TrustListStale",
    "TrustedKey",
    "canonical_json",
    "format_time",
    "key_id",
    "parse_time",
    "sign_trust_list",
    "signed_message",
    "verify_trust_list",
]

TRUST_LIST_VERSION = 1
SIGNING_CONTEXT = b"KHATEM-TRUST-LIST-V1\n"
MAX_TRUST_LIST_BYTES = 1 << 20
MAX_AGE_LIMIT = 31 * 24 * 3600
CLOCK_SKEW = timedelta(minutes=5)

_KID = re.compile(r"[0-9a-f]{8}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class TrustListError(Exception):
    """The trust list is malformed, or its signature does not verify under the root key."""


class TrustListStale(TrustListError):
    """The trust list verified but is older than its ``max_age``: say so, do not pass silently."""

    def __init__(self, message: str, trust_list: TrustList) -> None:
        super().__init__(message)
        self.trust_list = trust_list


class KeyRejected(TrustListError):
    """No trusted key vouches for this signature; ``reason`` is the label-format code:
    ``key_unknown``, ``key_compromised``, ``key_not_yet_valid`` or ``key_retired``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# Canonical JSON.


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) bytes of ``value`` (:func:`verify.canonical.canonical_json`); floats,
    unsafe integers and anything else JCS cannot hold raise :class:`TrustListError`."""
    try:
        return canonical.canonical_json(value)
    except canonical.CanonicalError as exc:
        raise TrustListError(f"document cannot be canonicalised: {exc}") from None


def signed_message(document: Mapping[str, Any]) -> bytes:
    """The bytes the root key signs: the context line, then JCS of the unsigned document."""
    return signing.signed_message(document, context=SIGNING_CONTEXT, encode=canonical_json)


def _load(raw: bytes | str) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = raw.encode("utf-8")
        except UnicodeEncodeError:
            raise TrustListError("document is not valid Unicode") from None
    if len(raw) > MAX_TRUST_LIST_BYTES:
        raise TrustListError(f"document is larger than {MAX_TRUST_LIST_BYTES} bytes")
    try:
        return loads_object(raw, what="document")
    except StrictJsonError as exc:
        raise TrustListError(str(exc)) from None


# Small decoders.


def key_id(public_key: bytes) -> str:
    """The key id of a raw Ed25519 public key (:func:`verify.canonical.key_id`); a key that
    is not 32 bytes raises :class:`TrustListError`."""
    try:
        return canonical.key_id(public_key)
    except (TypeError, ValueError):
        raise TrustListError("an Ed25519 public key is 32 bytes") from None


def _b64url(text: Any, what: str, size: int) -> bytes:
    return signing.b64url_decode(text, what, error=TrustListError, size=size)


def format_time(at: datetime) -> str:
    """A trust-list time: RFC 3339 UTC, whole seconds (sub-seconds are dropped)."""
    if at.utcoffset() is None:
        raise TrustListError("times must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: Any, what: str) -> datetime:
    """Parse a trust-list time (``YYYY-MM-DDTHH:MM:SSZ``)."""
    if not isinstance(text, str) or not _TIME.fullmatch(text):
        raise TrustListError(f"{what} is not a time of the form YYYY-MM-DDTHH:MM:SSZ")
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise TrustListError(f"{what} is not a valid date and time") from None


# The verified result.


@dataclass(frozen=True, slots=True)
class TrustedKey:
    """One label key of a verified trust list, with its validity window."""

    kid: str
    public_key: bytes
    not_before: datetime
    retired_at: datetime | None = None
    compromised_since: datetime | None = None

    def check_signing_time(self, signed_at: datetime, *, time_is_attested: bool) -> None:
        """Raise :class:`KeyRejected` unless this key could sign at ``signed_at``.

        ``time_is_attested`` says whether ``signed_at`` comes from a source a key thief
        cannot choose (e.g. the transparency log's entry time). When it does not (a label's
        own ``issued_at``), any compromise rejects the key: a thief back-dates freely
        (label-format section 7, step 4).
        """
        # Step 4: compromise.
        if self.compromised_since is not None and (
            not time_is_attested or signed_at >= self.compromised_since
        ):
            raise KeyRejected(
                "key_compromised",
                f"key {self.kid} is compromised since {format_time(self.compromised_since)}",
            )
        # Step 5: the validity window.
        if signed_at < self.not_before:
            raise KeyRejected("key_not_yet_valid", f"key {self.kid} was not valid yet")
        if self.retired_at is not None and signed_at >= self.retired_at:
            raise KeyRejected("key_retired", f"key {self.kid} was retired before this time")

    def verify(self, signature: bytes, message: bytes) -> None:
        """Check an Ed25519 signature by this key; raise :class:`TrustListError` if bad."""
        signing.check_signature(
            self.public_key,
            signature,
            message,
            error=TrustListError,
            failure=f"signature does not verify under key {self.kid}",
        )


@dataclass(frozen=True, slots=True)
class TrustList:
    """A verified trust list."""

    keys: tuple[TrustedKey, ...]
    issued_at: datetime
    max_age: int
    origin: str
    vkey: str
    root_kid: str

    @property
    def expires_at(self) -> datetime:
        """When a verifier must stop relying on this copy without saying it is stale."""
        return self.issued_at + timedelta(seconds=self.max_age)

    def is_stale(self, now: datetime) -> bool:
        """Whether ``now`` is past :attr:`expires_at`."""
        return now >= self.expires_at

    def key(self, kid: str) -> TrustedKey:
        """The one key with this kid (label-format section 7, steps 2 and 3)."""
        found = [key for key in self.keys if key.kid == kid]
        if len(found) != 1:
            raise KeyRejected("key_unknown", f"no single trusted key has kid {kid[:8]!r}")
        return found[0]

    def key_for_signature(
        self, kid: str, *, signed_at: datetime, time_is_attested: bool
    ) -> TrustedKey:
        """The key that vouches for a signature by ``kid`` made at ``signed_at``."""
        key = self.key(kid)
        key.check_signing_time(signed_at, time_is_attested=time_is_attested)
        return key


# Signing and verifying.


def sign_trust_list(
    document: Mapping[str, Any], *, sign: Callable[[bytes], bytes], public_key: bytes
) -> bytes:
    """Return the published bytes: ``document`` plus its ``signature`` member, as JCS.

    The signature is checked against ``public_key`` before it is returned.
    """
    return signing.sign_document(
        document,
        context=SIGNING_CONTEXT,
        encode=canonical_json,
        error=TrustListError,
        sign=sign,
        public_key=public_key,
    )


def _parse_key(member: Any) -> TrustedKey | None:
    if not isinstance(member, dict):
        raise TrustListError("every element of keys is an object")
    if member.get("kty") != "OKP" or member.get("crv") != "Ed25519":
        return None  # label-format section 6: other key types are ignored
    public_key = _b64url(member.get("x"), "x", 32)
    kid = member.get("kid")
    if not isinstance(kid, str) or not _KID.fullmatch(kid) or kid != key_id(public_key):
        raise TrustListError("a key's kid must be the key id of its x")
    if member.get("use", "sig") != "sig" or member.get("alg", "EdDSA") != "EdDSA":
        return None
    optional = {
        name: parse_time(member[name], name) if name in member else None
        for name in ("khatem:retired_at", "khatem:compromised_since")
    }
    return TrustedKey(
        kid=kid,
        public_key=public_key,
        not_before=parse_time(member.get("khatem:not_before"), "khatem:not_before"),
        retired_at=optional["khatem:retired_at"],
        compromised_since=optional["khatem:compromised_since"],
    )


def _max_age(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TrustListError("max_age must be an integer number of seconds")
    if not 0 < value <= MAX_AGE_LIMIT:
        raise TrustListError(f"max_age must be between 1 and {MAX_AGE_LIMIT} seconds")
    return value


def _log_vkey(log: Any, root_public_key: bytes) -> tuple[VerifierKey, str]:
    """The log's checkpoint key: it must name the log's origin and be the root key."""
    if not isinstance(log, dict) or not isinstance(log.get("vkey"), str):
        raise TrustListError("log must be an object with origin and vkey")
    try:
        vkey = parse_vkey(log["vkey"])
    except CheckpointError as exc:
        raise TrustListError(f"log vkey is invalid: {exc}") from None
    if vkey.name != log.get("origin") or vkey.public_key != root_public_key:
        raise TrustListError("log vkey must name the log origin and the root key")
    return vkey, log["vkey"]


def verify_trust_list(
    raw: bytes | str,
    *,
    root_public_key: bytes,
    now: datetime | None = None,
    previous_issued_at: datetime | None = None,
) -> TrustList:
    """Verify a trust list against the pinned root key and return its keys.

    The steps match docs/keys.md, "Verifying a trust list". Raises
    :class:`TrustListError`; :class:`TrustListStale` when ``now`` is past its expiry.
    """
    # Step 1: strict JSON, at most 1 MiB, one object.
    document = _load(raw)
    # Steps 2 and 3: the signature member, made by the pinned root key.
    root_kid, sig_text = signing.root_signature(
        document,
        root_public_key=root_public_key,
        key_id=key_id,
        error=TrustListError,
        subject="trust list",
    )
    sig = _b64url(sig_text, "signature sig", 64)
    # Steps 4 and 5: Ed25519 over the context line and the JCS of the rest.
    signing.check_signature(
        root_public_key,
        sig,
        signed_message(document),
        error=TrustListError,
        failure="trust list signature does not verify",
    )
    # Step 6: the version and the keys.
    if document.get("version") != TRUST_LIST_VERSION:
        raise TrustListError(f"unsupported trust list version {document.get('version')!r}")
    members = document.get("keys")
    if not isinstance(members, list):
        raise TrustListError("keys must be an array")
    keys = tuple(key for key in map(_parse_key, members) if key is not None)
    # Step 7: issue time, lifetime and the log's checkpoint key (the same root key).
    issued_at = parse_time(document.get("issued_at"), "issued_at")
    max_age = _max_age(document.get("max_age"))
    vkey, vkey_text = _log_vkey(document.get("log"), root_public_key)
    trust_list = TrustList(keys, issued_at, max_age, vkey.name, vkey_text, root_kid)
    # Step 8: freshness and rollback.
    if previous_issued_at is not None and issued_at < previous_issued_at:
        raise TrustListError("trust list is older than the one already trusted (rollback)")
    if now is not None:
        if issued_at > now + CLOCK_SKEW:
            raise TrustListError("trust list is issued in the future; check the clock")
        if trust_list.is_stale(now):
            raise TrustListStale(
                f"trust list expired at {format_time(trust_list.expires_at)}", trust_list
            )
    return trust_list
