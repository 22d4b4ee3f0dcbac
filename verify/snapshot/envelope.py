"""What both status snapshots share: the envelope (``version``, ``kind``, ``issued_at``,
``max_age``), the root signature over ``"KHATEM-STATUS-V1" LF || JCS(document)``, the size
and strict-JSON limits, and the member readers the two documents' parsers use.

The documents themselves are :mod:`verify.snapshot.label_status` and
:mod:`verify.snapshot.certificates`; ``verify.snapshot`` exports the surface.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Final

from verify import canonical, signing
from verify.strict_json import StrictJsonError, loads_object
from verify.trust_list import TrustListError, key_id, parse_time

__all__ = [
    "b64url_decode",
    "CERTIFICATE_CODE_RE",
    "CERTIFICATE_KIND",
    "CERTIFICATE_STATUSES",
    "DATE_RE",
    "LABEL_HASH_BYTES",
    "LABEL_KIND",
    "LABEL_STATUSES",
    "MAX_AGE_LIMIT",
    "MAX_ENTRIES",
    "MAX_SNAPSHOT_BYTES",
    "SIGNING_CONTEXT",
    "SNAPSHOT_VERSION",
    "SnapshotError",
    "canonical_bytes",
    "day_member",
    "only_members",
    "read_header",
    "sha256",
    "sign_snapshot",
    "signed_message",
    "text_member",
    "verified_document",
]

SNAPSHOT_VERSION: Final = 1
SIGNING_CONTEXT: Final = b"KHATEM-STATUS-V1\n"
LABEL_KIND: Final = "khatem.label-status"
CERTIFICATE_KIND: Final = "khatem.certificate-status"
#: Bytes of a label's hash in the label status snapshot (collisions: see ADR 0004).
LABEL_HASH_BYTES: Final = 8
#: A verifier refuses larger documents before parsing them.
MAX_SNAPSHOT_BYTES: Final = 64 << 20
#: The longest ``max_age`` a snapshot may declare (31 days, as for the trust list).
MAX_AGE_LIMIT: Final = 31 * 24 * 3600
#: Hard cap on entries (labels listed, certificates) per snapshot.
MAX_ENTRIES: Final = 10_000_000

sha256: Final = hashlib.sha256
DATE_RE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
CERTIFICATE_CODE_RE: Final = re.compile(r"C-[0-3][0-9A-HJKMNP-TV-Z]{6}")
LABEL_STATUSES: Final = frozenset({"suspended", "revoked"})
CERTIFICATE_STATUSES: Final = frozenset({"active", "suspended", "withdrawn"})


class SnapshotError(Exception):
    """The snapshot is malformed, of an unsupported version or kind, or its signature does
    not verify under the pinned root key. Never pass such a snapshot to a verifier."""


# ------------------------------------------------------------------------ canonical form


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """JCS (RFC 8785) of a snapshot document (:func:`verify.canonical.canonical_json`).

    Snapshot documents hold only ASCII member names, strings, safe integers, null and
    arrays/objects of those; anything else raises :class:`SnapshotError`.
    """
    try:
        return canonical.canonical_json(document)
    except canonical.CanonicalError as exc:
        raise SnapshotError(f"document cannot be canonicalised: {exc}") from None


def signed_message(document: Mapping[str, Any]) -> bytes:
    """The bytes the root key signs: the context line, then JCS of the unsigned document."""
    return signing.signed_message(document, context=SIGNING_CONTEXT, encode=canonical_bytes)


def b64url_decode(text: Any, what: str) -> bytes:
    return signing.b64url_decode(text, what, error=SnapshotError)


def sign_snapshot(
    document: Mapping[str, Any], *, sign: Callable[[bytes], bytes], public_key: bytes
) -> bytes:
    """The published bytes: ``document`` plus its ``signature`` member, as JCS.

    The signature is checked against ``public_key`` (the root key) before it is returned.
    """
    return signing.sign_document(
        document,
        context=SIGNING_CONTEXT,
        encode=canonical_bytes,
        error=SnapshotError,
        sign=sign,
        public_key=public_key,
    )


# ----------------------------------------------------------------------------- parsing


def verified_document(raw: bytes, *, root_public_key: bytes, kind: str) -> dict[str, Any]:
    """Steps 1 to 6 of docs/status-snapshots.md, "Verifying a snapshot"."""
    # Step 1: bytes, bounded, strict JSON, one object.
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise SnapshotError("a snapshot is bytes")
    raw = bytes(raw)
    if len(raw) > MAX_SNAPSHOT_BYTES:
        raise SnapshotError(f"snapshot is larger than {MAX_SNAPSHOT_BYTES} bytes")
    try:
        document = loads_object(raw, what="snapshot")
    except StrictJsonError as exc:
        raise SnapshotError(str(exc)) from None
    # Depth needs no walk of its own: the parser refuses what nests beyond the interpreter's
    # limit, the canonical encoder beyond canonical.MAX_DEPTH, and step 6 accepts only the
    # documented shapes.
    # Step 2: the signature member, by the pinned root key.
    _, sig_text = signing.root_signature(
        document,
        root_public_key=root_public_key,
        key_id=key_id,
        error=SnapshotError,
        subject="snapshot",
    )
    sig = b64url_decode(sig_text, "signature sig")
    if len(sig) != 64:
        raise SnapshotError("signature sig must be 64 bytes")
    # Step 3: the published bytes are the canonical form (no byte may differ).
    if canonical_bytes(document) != raw:
        raise SnapshotError("snapshot bytes are not canonical JSON (altered in transit?)")
    # Step 4: Ed25519 over the context line and the JCS of the rest.
    signing.check_signature(
        root_public_key,
        sig,
        signed_message(document),
        error=SnapshotError,
        failure="snapshot signature does not verify under the root key",
    )
    # Step 5: version and kind (only after the signature: nothing unsigned is interpreted).
    if document.get("version") != SNAPSHOT_VERSION or isinstance(document.get("version"), bool):
        raise SnapshotError(f"unsupported snapshot version {document.get('version')!r}")
    if document.get("kind") != kind:
        raise SnapshotError(f"snapshot kind must be {kind!r}, not {document.get('kind')!r}")
    return document


def read_header(document: Mapping[str, Any]) -> tuple[datetime, int]:
    # Step 6: issue time and lifetime.
    try:
        issued_at = parse_time(document.get("issued_at"), "issued_at")
    except TrustListError as exc:
        raise SnapshotError(str(exc)) from None
    max_age = document.get("max_age")
    if isinstance(max_age, bool) or not isinstance(max_age, int):
        raise SnapshotError("max_age must be an integer number of seconds")
    if not 0 < max_age <= MAX_AGE_LIMIT:
        raise SnapshotError(f"max_age must be between 1 and {MAX_AGE_LIMIT} seconds")
    return issued_at, max_age


def only_members(member: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    extra = set(member) - allowed
    if extra:
        raise SnapshotError(f"{what} has unknown members: {sorted(extra)[:3]}")


def text_member(value: Any, what: str, *, limit: int = 300, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise SnapshotError(f"{what} must be a string of 1 to {limit} characters")
    return value


def day_member(value: Any, what: str) -> date:
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        raise SnapshotError(f"{what} must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SnapshotError(f"{what} is not a valid date") from None
