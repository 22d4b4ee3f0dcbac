"""The certificate status snapshot: every certificate's status and public facts (scheme,
level, standards, audit, body, the artisan's public names, region and craft), and the
items (product lines) labels belong to (docs/status-snapshots.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from verify.item import ItemFacts
from verify.label_codec import parse_certificate_code
from verify.snapshot.envelope import (
    CERTIFICATE_CODE_RE,
    CERTIFICATE_KIND,
    CERTIFICATE_STATUSES,
    MAX_ENTRIES,
    SnapshotError,
    day_member,
    only_members,
    read_header,
    text_member,
    verified_document,
)
from verify.verdict import ArtisanFacts, CertificateFacts, Conformity, StandardFacts

__all__ = ["CertificateSnapshot", "verify_certificate_snapshot"]


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
                text_member(row["code"], "standard code", limit=120),
                StandardFacts(row["code"], text_member(row["title"], "standard title", limit=1000)),
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
                text_member(row["code"], "scheme code", limit=40),
                _Scheme(
                    name=text_member(row["name"], "scheme name"),
                    level=_level(row["level"]),
                    level_name=text_member(
                        row["level_name"], "scheme level name", limit=100, optional=True
                    ),
                    standards=cited,
                ),
            )
        )
    bodies = [
        (text_member(row["code"], "body code", limit=40), text_member(row["name"], "body name"))
        for row in _table(document, "bodies", frozenset({"code", "name"}))
    ]
    regions = [
        (
            text_member(row["code"], "region code", limit=5),
            text_member(row["name"], "region name", limit=120),
        )
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
    only_members(member, _CERTIFICATE_MEMBERS, "a certificate")
    text_code = member.get("code")
    # The canonical form only: upper case, no O/I/L/U, and at most 32 bits (first digit 0-3).
    if not isinstance(text_code, str) or not CERTIFICATE_CODE_RE.fullmatch(text_code):
        raise SnapshotError("a certificate code must look like C-1D1FG6Y (canonical form)")
    code = parse_certificate_code(text_code)
    status = member.get("status")
    if status not in CERTIFICATE_STATUSES:
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
        criteria_met=tuple(text_member(c, "criterion code", limit=60) for c in criteria),
        audit_date=day_member(audit["date"], "audit date"),
        audit_outcome=text_member(audit["outcome"], "audit outcome", limit=8),
        body_code=str(body_code),
        body_name=body_name,
    )
    return code, CertificateFacts(
        code=text_code,
        status=status,
        status_reason=text_member(
            member.get("status_reason"), "status reason", limit=40, optional=True
        ),
        valid_from=day_member(member.get("valid_from"), "valid_from"),
        valid_until=day_member(member.get("valid_until"), "valid_until"),
        conformity=conformity,
        artisan=ArtisanFacts(
            display_name_latin=text_member(artisan["display_name_latin"], "display_name_latin"),
            display_name_arabic=text_member(artisan["display_name_arabic"], "display_name_arabic"),
            region_code=region_code,
            region_name=region_name,
            craft=text_member(artisan["craft"], "craft"),
        ),
    )


def verify_certificate_snapshot(raw: bytes, *, root_public_key: bytes) -> CertificateSnapshot:
    """Verify a certificate status snapshot with the pinned root key; raise
    :class:`SnapshotError`."""
    document = verified_document(raw, root_public_key=root_public_key, kind=CERTIFICATE_KIND)
    issued_at, max_age = read_header(document)
    only_members(document, _CERTIFICATE_DOC_MEMBERS, "certificate status snapshot")
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
                    "name": text_member(row["name"], "item name", limit=200),
                    "family": text_member(row["family"], "item family", limit=80),
                    "craft": text_member(row["craft"], "item craft", limit=120, optional=True),
                    "materials": tuple(text_member(m, "material", limit=60) for m in materials),
                    "size": size,
                }
            )
        except ValueError as exc:  # pydantic's ValidationError: a size out of its rules
            raise SnapshotError(f"item {gtin} has an invalid size") from exc
    return items
