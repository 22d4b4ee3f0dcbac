"""The status snapshot documents the registry publishes, built from its facts (unsigned).

docs/status-snapshots.md specifies both documents; ``verify.snapshot`` reads and verifies
them (and :func:`verify.snapshot.sign_snapshot` signs one with the root key's callback).
The publication (``labeling/snapshots/publication.py``) feeds these functions from the
database; tests and benchmarks feed them directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from verify import signing
from verify.item import ItemFacts
from verify.snapshot import CERTIFICATE_KIND, LABEL_KIND, SNAPSHOT_VERSION, SnapshotError
from verify.trust_list import format_time
from verify.verdict import CertificateFacts

__all__ = ["certificate_document", "item_members", "label_status_document"]


def label_status_document(
    *,
    entries: Mapping[tuple[str, str], list[bytes]],
    total_labels: int,
    issued_at: datetime,
    max_age: int,
    suspicious: Mapping[str, list[bytes]] | None = None,
) -> dict[str, Any]:
    """The unsigned label status document from ``(status, reason) → label hashes``, and
    ``suspicious`` (copy-evidence reason → label hashes), listed only when there are some."""
    groups = []
    for (status, reason), hashes in sorted(entries.items()):
        ordered = sorted(set(hashes))
        groups.append(
            {
                "status": status,
                "reason": reason,
                "count": len(ordered),
                "hashes": signing.b64url_encode(b"".join(ordered)),
            }
        )
    document = {
        "version": SNAPSHOT_VERSION,
        "kind": LABEL_KIND,
        "issued_at": format_time(issued_at),
        "max_age": max_age,
        "total_labels": total_labels,
        "groups": groups,
    }
    if suspicious:
        document["suspicious"] = [
            {
                "reason": reason,
                "count": len(ordered),
                "hashes": signing.b64url_encode(b"".join(ordered)),
            }
            for reason, ordered in (
                (reason, sorted(set(hashes))) for reason, hashes in sorted(suspicious.items())
            )
        ]
    return document


class _SharedRows:
    """Schemes (with the standards they cite), bodies and regions, each listed once and
    named by code from every certificate."""

    def __init__(self) -> None:
        self.schemes: dict[str, dict[str, Any]] = {}
        self.standards: dict[str, dict[str, Any]] = {}
        self.bodies: dict[str, dict[str, Any]] = {}
        self.regions: dict[str, dict[str, Any]] = {}

    @staticmethod
    def share(table: dict[str, dict[str, Any]], row: dict[str, Any]) -> str:
        """``row``'s code, after checking that every certificate means the same by it."""
        code = str(row["code"])
        if table.setdefault(code, row) != row:
            raise SnapshotError(f"two certificates disagree about {code[:40]!r}")
        return code

    def member(self, facts: CertificateFacts) -> dict[str, Any]:
        """One certificate's member of the document, its shared rows recorded here."""
        conformity, artisan = facts.conformity, facts.artisan
        for standard in conformity.standards:
            self.share(self.standards, {"code": standard.code, "title": standard.title})
        scheme = self.share(
            self.schemes,
            {
                "code": conformity.scheme_code,
                "name": conformity.scheme_name,
                "level": conformity.level,
                "level_name": conformity.level_name,
                "standards": [standard.code for standard in conformity.standards],
            },
        )
        body = self.share(self.bodies, {"code": conformity.body_code, "name": conformity.body_name})
        region = self.share(
            self.regions, {"code": artisan.region_code, "name": artisan.region_name}
        )
        return {
            "code": facts.code,
            "status": facts.status,  # stored status: expiry is derived by the verifier
            "status_reason": facts.status_reason,
            "valid_from": facts.valid_from.isoformat(),
            "valid_until": facts.valid_until.isoformat(),
            "scheme": scheme,
            "criteria_met": list(conformity.criteria_met),
            "audit": {
                "date": conformity.audit_date.isoformat(),
                "outcome": conformity.audit_outcome,
            },
            "body": body,
            "artisan": {
                "display_name_latin": artisan.display_name_latin,
                "display_name_arabic": artisan.display_name_arabic,
                "region": region,
                "craft": artisan.craft,
            },
        }


def certificate_document(
    *,
    certificates: list[CertificateFacts],
    issued_at: datetime,
    max_age: int,
    items: Mapping[str, ItemFacts] | None = None,
) -> dict[str, Any]:
    """The unsigned certificate status document (public facts only).

    Schemes (with the standards they cite), bodies and regions are listed once and named
    by code from each certificate. Raises :class:`SnapshotError` if two certificates
    disagree on what one of those codes means.
    """
    shared = _SharedRows()
    members = [shared.member(facts) for facts in sorted(certificates, key=lambda f: f.code)]
    return {
        "version": SNAPSHOT_VERSION,
        "kind": CERTIFICATE_KIND,
        "issued_at": format_time(issued_at),
        "max_age": max_age,
        "schemes": [shared.schemes[code] for code in sorted(shared.schemes)],
        "standards": [shared.standards[code] for code in sorted(shared.standards)],
        "bodies": [shared.bodies[code] for code in sorted(shared.bodies)],
        "regions": [shared.regions[code] for code in sorted(shared.regions)],
        "certificates": members,
        **({"items": item_members(items)} if items is not None else {}),
    }


def item_members(items: Mapping[str, ItemFacts]) -> list[dict[str, Any]]:
    """What labels belong to (``items``: GTIN-14 → facts), by GTIN, without photos."""
    return [
        {"gtin": gtin, **items[gtin].text_facts().model_dump(mode="json", exclude={"photos"})}
        for gtin in sorted(items)
    ]
