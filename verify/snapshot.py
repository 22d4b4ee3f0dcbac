"""Status snapshots: the registry's signed, static answer to "is this label still good?".

Two documents, specified in ``docs/status-snapshots.md`` (the decision is ADR 0004):

* the **label status** snapshot lists the labels whose status is not ``active`` — each as
  the first 8 bytes of ``SHA-256("KHATEM-LABEL-ID-V1" LF || GTIN-14 || "/" || serial)``,
  sorted, grouped by status and reason code. A label that is not listed is active.
* the **certificate status** snapshot holds every certificate's status and public facts
  (scheme, level, standards, audit, body, the artisan's public names, region and craft).

Both are JSON objects with ``version``, ``kind``, ``issued_at`` and ``max_age``, signed like
the trust list (docs/keys.md) by the pinned root key::

    ASCII("KHATEM-STATUS-V1") || 0x0A || JCS(document without "signature")

and published as the JCS of the whole document. A verifier accepts only those exact bytes
(so no byte of a snapshot can change without it being rejected), at most
:data:`MAX_SNAPSHOT_BYTES`, strict JSON (no duplicate members, floats, NaN, or non-ASCII
member names). Staleness is not an error here: :class:`LabelStatusSnapshot` and
:class:`CertificateSnapshot` carry ``issued_at`` and ``max_age`` and the verifier
(:mod:`verify.offline`) reports the age in its verdict.

This module is pure: it imports nothing from ``labeling`` and never holds a private key
(:func:`sign_snapshot` takes a ``sign`` callback). The registry builds the documents
(``labeling/snapshots/documents.py``); this module reads them. Errors::

    SnapshotError              malformed, wrong version or kind, or a bad signature
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from verify import canonical, signing
from verify.item import ItemFacts
from verify.label_codec import parse_certificate_code
from verify.strict_json import StrictJsonError, loads_object
from verify.trust_list import TrustListError, key_id, parse_time
from verify.verdict import ArtisanFacts, CertificateFacts, Conformity, StandardFacts

__all__ = [
    "CERTIFICATE_KIND",
    "LABEL_HASH_BYTES",
    "LABEL_KIND",
    "MAX_SNAPSHOT_BYTES",
    "SIGNING_CONTEXT",
    "SNAPSHOT_VERSION",
    "CertificateSnapshot",
    "LabelStatusSnapshot",
    "SnapshotError",
    "canonical_bytes",
    "label_hash",
    "sign_snapshot",
    "verify_certificate_snapshot",
    "verify_label_status_snapshot",
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

_sha256: Final = hashlib.sha256
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_CERTIFICATE_CODE: Final = re.compile(r"C-[0-3][0-9A-HJKMNP-TV-Z]{6}")
_LABEL_STATUSES: Final = frozenset({"suspended", "revoked"})
_CERTIFICATE_STATUSES: Final = frozenset({"active", "suspended", "withdrawn"})


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


def _b64url_decode(text: Any, what: str) -> bytes:
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


def _verified_document(raw: bytes, *, root_public_key: bytes, kind: str) -> dict[str, Any]:
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
    sig = _b64url_decode(sig_text, "signature sig")
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


def _header(document: Mapping[str, Any]) -> tuple[datetime, int]:
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


def _only(member: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    extra = set(member) - allowed
    if extra:
        raise SnapshotError(f"{what} has unknown members: {sorted(extra)[:3]}")


def _text(value: Any, what: str, *, limit: int = 300, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise SnapshotError(f"{what} must be a string of 1 to {limit} characters")
    return value


def _day(value: Any, what: str) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise SnapshotError(f"{what} must be a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SnapshotError(f"{what} is not a valid date") from None


# ------------------------------------------------------------------------- label status


def label_hash(gtin14: str, serial: str) -> bytes:
    """A label's identifier in the label status snapshot (docs/status-snapshots.md)."""
    # GTINs and serials are ASCII by construction (label-format), so UTF-8 is ASCII here;
    # one f-string and one encode is the cheapest spelling (this runs once per scan).
    return _sha256(f"KHATEM-LABEL-ID-V1\n{gtin14}/{serial}".encode()).digest()[:LABEL_HASH_BYTES]


@dataclass(frozen=True, slots=True)
class LabelStatusSnapshot:
    """A verified label status snapshot: label hash → (status, reason code)."""

    issued_at: datetime
    max_age: int
    listed: Mapping[bytes, tuple[str, str]]
    total_labels: int
    #: Labels with evidence of a copy: label hash → its reason codes (``suspicious``).
    suspicious: Mapping[bytes, tuple[str, ...]] = field(default_factory=dict)

    @property
    def expires_at(self) -> datetime:
        return self.issued_at + timedelta(seconds=self.max_age)

    def status_of(self, gtin14: str, serial: str) -> tuple[str, str] | None:
        """``(status, reason)`` of a listed label, ``None`` for a label not listed."""
        return self.listed.get(label_hash(gtin14, serial))


_LABEL_MEMBERS: Final = frozenset(
    {
        "version",
        "kind",
        "issued_at",
        "max_age",
        "total_labels",
        "groups",
        "suspicious",
        "signature",
    }
)
_SUSPICIOUS_MEMBERS: Final = frozenset({"reason", "count", "hashes"})
_GROUP_MEMBERS: Final = frozenset({"status", "reason", "count", "hashes"})


def verify_label_status_snapshot(raw: bytes, *, root_public_key: bytes) -> LabelStatusSnapshot:
    """Verify a label status snapshot with the pinned root key; raise :class:`SnapshotError`."""
    document = _verified_document(raw, root_public_key=root_public_key, kind=LABEL_KIND)
    issued_at, max_age = _header(document)
    _only(document, _LABEL_MEMBERS, "label status snapshot")
    total = document.get("total_labels")
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise SnapshotError("total_labels must be a non-negative integer")
    groups = document.get("groups")
    if not isinstance(groups, list):
        raise SnapshotError("groups must be an array")
    listed: dict[bytes, tuple[str, str]] = {}
    for group in groups:
        if not isinstance(group, dict):
            raise SnapshotError("every group is an object")
        _only(group, _GROUP_MEMBERS, "a group")
        status = group.get("status")
        if status not in _LABEL_STATUSES:
            raise SnapshotError("a group's status must be suspended or revoked")
        reason = _text(group.get("reason"), "a group's reason", limit=40)
        hashes = _b64url_decode(group.get("hashes"), "a group's hashes")
        count = group.get("count")
        if (
            isinstance(count, bool)
            or not isinstance(count, int)
            or count * LABEL_HASH_BYTES != len(hashes)
        ):
            raise SnapshotError("a group's count must match its hashes")
        if len(listed) + count > MAX_ENTRIES:
            raise SnapshotError(f"a snapshot lists at most {MAX_ENTRIES} labels")
        entry = (str(status), str(reason))
        previous = b""
        for offset in range(0, len(hashes), LABEL_HASH_BYTES):
            item = hashes[offset : offset + LABEL_HASH_BYTES]
            if item <= previous:
                raise SnapshotError("a group's hashes must be sorted and distinct")
            if item in listed:
                raise SnapshotError("a label is listed twice")
            listed[item] = entry
            previous = item
    suspicious = _suspicious(document.get("suspicious", []), len(listed))
    return LabelStatusSnapshot(issued_at, max_age, listed, total, suspicious)


def _suspicious(groups: Any, listed: int) -> dict[bytes, tuple[str, ...]]:
    """The optional ``suspicious`` member: ``[{reason, count, hashes}]``, one group per
    copy-evidence reason code (a label may be in several)."""
    if not isinstance(groups, list):
        raise SnapshotError("suspicious must be an array")
    found: dict[bytes, tuple[str, ...]] = {}
    reasons: set[str] = set()
    for group in groups:
        if not isinstance(group, dict):
            raise SnapshotError("every suspicious group is an object")
        _only(group, _SUSPICIOUS_MEMBERS, "a suspicious group")
        reason = str(_text(group.get("reason"), "a suspicious group's reason", limit=40))
        if reason in reasons:
            raise SnapshotError("a suspicious reason is listed twice")
        reasons.add(reason)
        hashes = _b64url_decode(group.get("hashes"), "a suspicious group's hashes")
        count = group.get("count")
        if (
            isinstance(count, bool)
            or not isinstance(count, int)
            or count * LABEL_HASH_BYTES != len(hashes)
        ):
            raise SnapshotError("a suspicious group's count must match its hashes")
        if listed + len(found) + count > MAX_ENTRIES:
            raise SnapshotError(f"a snapshot lists at most {MAX_ENTRIES} labels")
        previous = b""
        for offset in range(0, len(hashes), LABEL_HASH_BYTES):
            item = hashes[offset : offset + LABEL_HASH_BYTES]
            if item <= previous:
                raise SnapshotError("a suspicious group's hashes must be sorted and distinct")
            found[item] = (*found.get(item, ()), reason)
            previous = item
    return found


# --------------------------------------------------------------------- certificate status


@dataclass(frozen=True, slots=True)
class CertificateSnapshot:
    """A verified certificate status snapshot: certificate code → its public facts."""

    issued_at: datetime
    max_age: int
    certificates: Mapping[int, CertificateFacts]
    #: GTIN-14 → what its labels belong to (optional ``items`` member; text, no photos).
    items: Mapping[str, ItemFacts] = field(default_factory=dict)

    @property
    def expires_at(self) -> datetime:
        return self.issued_at + timedelta(seconds=self.max_age)


_CERTIFICATE_DOC_MEMBERS: Final = frozenset(
    {
        "version",
        "kind",
        "issued_at",
        "max_age",
        "schemes",
        "standards",
        "bodies",
        "regions",
        "certificates",
        "items",
        "signature",
    }
)
_CERTIFICATE_MEMBERS: Final = frozenset(
    {
        "code",
        "status",
        "status_reason",
        "valid_from",
        "valid_until",
        "scheme",
        "criteria_met",
        "audit",
        "body",
        "artisan",
    }
)
_MAX_TABLE: Final = 100_000


def _object(value: Any, what: str, members: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SnapshotError(f"{what} must be an object")
    if set(value) != members:
        raise SnapshotError(f"{what} must have exactly the members {sorted(members)}")
    return value


def _level(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 99:
        raise SnapshotError("a scheme level is an integer 0..99 or null")
    return value


def _table(document: Mapping[str, Any], name: str, members: frozenset[str]) -> list[dict[str, Any]]:
    rows = document.get(name)
    if not isinstance(rows, list) or len(rows) > _MAX_TABLE:
        raise SnapshotError(f"{name} must be an array of at most {_MAX_TABLE}")
    return [_object(row, f"an entry of {name}", members) for row in rows]


def _unique(rows: list[tuple[str, Any]], what: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for code, value in rows:
        if code in table:
            raise SnapshotError(f"{what} {code[:40]!r} is listed twice")
        table[code] = value
    return table


@dataclass(frozen=True, slots=True)
class _Scheme:
    name: str
    level: int | None
    level_name: str | None
    standards: tuple[StandardFacts, ...]


@dataclass(frozen=True, slots=True)
class _Tables:
    schemes: Mapping[str, _Scheme]
    bodies: Mapping[str, str]
    regions: Mapping[str, str]


def _tables(document: Mapping[str, Any]) -> _Tables:
    standards = _unique(
        [
            (
                _text(row["code"], "standard code", limit=120),
                StandardFacts(row["code"], _text(row["title"], "standard title", limit=1000)),
            )
            for row in _table(document, "standards", frozenset({"code", "title"}))
        ],
        "standard",
    )
    schemes: list[tuple[str, _Scheme]] = []
    for row in _table(
        document, "schemes", frozenset({"code", "name", "level", "level_name", "standards"})
    ):
        codes = row["standards"]
        if not isinstance(codes, list) or len(codes) > 50:
            raise SnapshotError("a scheme's standards are an array of at most 50 codes")
        try:
            cited = tuple(standards[code] for code in codes)
        except (KeyError, TypeError):
            raise SnapshotError("a scheme cites a standard the snapshot does not list") from None
        schemes.append(
            (
                _text(row["code"], "scheme code", limit=40),
                _Scheme(
                    name=_text(row["name"], "scheme name"),
                    level=_level(row["level"]),
                    level_name=_text(
                        row["level_name"], "scheme level name", limit=100, optional=True
                    ),
                    standards=cited,
                ),
            )
        )
    bodies = [
        (_text(row["code"], "body code", limit=40), _text(row["name"], "body name"))
        for row in _table(document, "bodies", frozenset({"code", "name"}))
    ]
    regions = [
        (_text(row["code"], "region code", limit=5), _text(row["name"], "region name", limit=120))
        for row in _table(document, "regions", frozenset({"code", "name"}))
    ]
    return _Tables(
        schemes=_unique(schemes, "scheme"),
        bodies=_unique(bodies, "body"),
        regions=_unique(regions, "region"),
    )


def _certificate(member: Any, tables: _Tables) -> tuple[int, CertificateFacts]:
    if not isinstance(member, dict):
        raise SnapshotError("every certificate is an object")
    _only(member, _CERTIFICATE_MEMBERS, "a certificate")
    text_code = member.get("code")
    # The canonical form only: upper case, no O/I/L/U, and at most 32 bits (first digit 0-3).
    if not isinstance(text_code, str) or not _CERTIFICATE_CODE.fullmatch(text_code):
        raise SnapshotError("a certificate code must look like C-1D1FG6Y (canonical form)")
    code = parse_certificate_code(text_code)
    status = member.get("status")
    if status not in _CERTIFICATE_STATUSES:
        raise SnapshotError("a certificate status is active, suspended or withdrawn")
    audit = _object(member.get("audit"), "audit", frozenset({"date", "outcome"}))
    artisan = _object(
        member.get("artisan"),
        "artisan",
        frozenset({"display_name_latin", "display_name_arabic", "region", "craft"}),
    )
    scheme_code, body_code, region_code = (
        member.get("scheme"),
        member.get("body"),
        artisan["region"],
    )
    scheme = tables.schemes.get(scheme_code) if isinstance(scheme_code, str) else None
    body_name = tables.bodies.get(body_code) if isinstance(body_code, str) else None
    region_name = tables.regions.get(region_code) if isinstance(region_code, str) else None
    if scheme is None or body_name is None or region_name is None:
        raise SnapshotError(f"certificate {text_code} names a scheme, body or region not listed")
    criteria = member.get("criteria_met")
    if not isinstance(criteria, list) or len(criteria) > 200:
        raise SnapshotError("criteria_met must be an array of at most 200")
    conformity = Conformity(
        scheme_code=str(scheme_code),
        scheme_name=scheme.name,
        level=scheme.level,
        level_name=scheme.level_name,
        standards=scheme.standards,
        criteria_met=tuple(_text(c, "criterion code", limit=60) for c in criteria),
        audit_date=_day(audit["date"], "audit date"),
        audit_outcome=_text(audit["outcome"], "audit outcome", limit=8),
        body_code=str(body_code),
        body_name=body_name,
    )
    return code, CertificateFacts(
        code=text_code,
        status=status,
        status_reason=_text(member.get("status_reason"), "status reason", limit=40, optional=True),
        valid_from=_day(member.get("valid_from"), "valid_from"),
        valid_until=_day(member.get("valid_until"), "valid_until"),
        conformity=conformity,
        artisan=ArtisanFacts(
            display_name_latin=_text(artisan["display_name_latin"], "display_name_latin"),
            display_name_arabic=_text(artisan["display_name_arabic"], "display_name_arabic"),
            region_code=region_code,
            region_name=region_name,
            craft=_text(artisan["craft"], "craft"),
        ),
    )


def verify_certificate_snapshot(raw: bytes, *, root_public_key: bytes) -> CertificateSnapshot:
    """Verify a certificate status snapshot with the pinned root key; raise
    :class:`SnapshotError`."""
    document = _verified_document(raw, root_public_key=root_public_key, kind=CERTIFICATE_KIND)
    issued_at, max_age = _header(document)
    _only(document, _CERTIFICATE_DOC_MEMBERS, "certificate status snapshot")
    tables = _tables(document)
    members = document.get("certificates")
    if not isinstance(members, list) or len(members) > MAX_ENTRIES:
        raise SnapshotError(f"certificates must be an array of at most {MAX_ENTRIES}")
    certificates: dict[int, CertificateFacts] = {}
    for member in members:
        code, facts = _certificate(member, tables)
        if code in certificates:
            raise SnapshotError(f"certificate {facts.code} is listed twice")
        certificates[code] = facts
    return CertificateSnapshot(issued_at, max_age, certificates, _items(document.get("items")))


_ITEM_MEMBERS: Final = frozenset({"gtin", "name", "family", "craft", "materials", "size"})
_SIZE_MEMBERS: Final = frozenset({"class", "width_mm", "length_mm", "height_mm"})
_GTIN: Final = re.compile(r"[0-9]{14}")


def _items(members: Any) -> dict[str, ItemFacts]:
    """The optional ``items`` member: GTIN-14 → item facts (absent: none)."""
    if members is None:
        return {}
    if not isinstance(members, list) or len(members) > MAX_ENTRIES:
        raise SnapshotError(f"items must be an array of at most {MAX_ENTRIES}")
    items: dict[str, ItemFacts] = {}
    for member in members:
        row = _object(member, "an item", _ITEM_MEMBERS)
        gtin = row["gtin"]
        if not isinstance(gtin, str) or not _GTIN.fullmatch(gtin) or gtin in items:
            raise SnapshotError("an item's gtin is 14 digits, listed once")
        materials = row["materials"]
        if not isinstance(materials, list) or len(materials) > 20:
            raise SnapshotError("an item's materials are an array of at most 20")
        size = row["size"]
        if size is not None:
            _object(size, "an item's size", _SIZE_MEMBERS)
        try:
            items[gtin] = ItemFacts.model_validate(
                {
                    "name": _text(row["name"], "item name", limit=200),
                    "family": _text(row["family"], "item family", limit=80),
                    "craft": _text(row["craft"], "item craft", limit=120, optional=True),
                    "materials": tuple(_text(m, "material", limit=60) for m in materials),
                    "size": size,
                }
            )
        except ValueError as exc:  # pydantic's ValidationError: a size out of its rules
            raise SnapshotError(f"item {gtin} has an invalid size") from exc
    return items
