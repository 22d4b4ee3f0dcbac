"""Reading what the status snapshots publish: public facts only, in a few set queries.

Nothing personal is selected (no national id, phone, address, free-text reason, internal
id): the documents are built from the columns named here and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from verify.label_codec import format_certificate_code
from verify.snapshot import label_hash
from verify.verdict import ArtisanFacts, CertificateFacts, Conformity, StandardFacts

__all__ = [
    "ListedLabels",
    "certificate_facts",
    "certificates_fingerprint",
    "labels_fingerprint",
    "listed_labels",
]

#: The reason recorded for a status without one (older rows).
UNSPECIFIED = "unspecified"


@dataclass(frozen=True, slots=True)
class ListedLabels:
    """Labels that are not active, as snapshot hashes grouped by (status, reason)."""

    groups: dict[tuple[str, str], list[bytes]]
    total_labels: int


def _rows(session: Session, sql: str) -> list[Any]:
    return list(session.connection().exec_driver_sql(sql))


def labels_fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes whenever a label's status changes (every change is a ``label_event`` row)."""
    return tuple(_rows(session, "SELECT max(id) FROM label_event")[0])


def listed_labels(session: Session) -> ListedLabels:
    """Every suspended or revoked label, hashed as docs/status-snapshots.md says."""
    groups: dict[tuple[str, str], list[bytes]] = defaultdict(list)
    rows = _rows(
        session,
        "SELECT gtin, serial, status, status_reason FROM label "
        "WHERE status IN ('suspended', 'revoked')",
    )
    for gtin, serial, status, reason in rows:
        groups[(status, reason or UNSPECIFIED)].append(label_hash(gtin, serial))
    total = int(_rows(session, "SELECT count(*) FROM label")[0][0])
    return ListedLabels(dict(groups), total)


def certificates_fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes when a certificate is added or changes status."""
    certificates = _rows(
        session, "SELECT count(*), max(id), max(status_changed_at) FROM certificate"
    )
    events = _rows(session, "SELECT max(id) FROM certificate_event")
    return (*certificates[0], *events[0])


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def certificate_facts(session: Session) -> list[CertificateFacts]:
    """The public facts of every certificate (status as stored; expiry is derived later)."""
    standards = dict(_rows(session, "SELECT code, title FROM standard"))
    criteria: dict[int, list[str]] = defaultdict(list)
    for audit_id, code in _rows(
        session,
        "SELECT f.audit_id, c.code FROM audit_finding f "
        "JOIN scheme_criterion c ON c.id = f.criterion_id "
        "JOIN certificate cert ON cert.audit_id = f.audit_id "
        "WHERE f.passed ORDER BY f.audit_id, c.position, c.code",
    ):
        criteria[audit_id].append(code)
    reasons: dict[int, str] = {}
    for certificate_id, reason in _rows(
        session, "SELECT certificate_id, reason_code FROM certificate_event ORDER BY id"
    ):
        reasons[certificate_id] = reason  # the latest event's reason wins
    rows = _rows(
        session,
        "SELECT cert.id, cert.code, cert.status, cert.valid_from, cert.valid_until, "
        "s.code, s.name, s.level, s.level_name, s.standards, "
        "a.id, a.audit_date, a.outcome, b.code, b.name, "
        "art.display_name_latin, art.display_name_arabic, r.code, r.name, art.metier "
        "FROM certificate cert "
        "JOIN label_scheme s ON s.id = cert.scheme_id "
        "JOIN audit a ON a.id = cert.audit_id "
        "JOIN body b ON b.id = cert.body_id "
        "JOIN artisan art ON art.id = cert.artisan_id "
        "JOIN region r ON r.code = art.region_code",
    )
    facts = []
    for (
        cert_id,
        code,
        status,
        valid_from,
        valid_until,
        scheme_code,
        scheme_name,
        level,
        level_name,
        scheme_standards,
        audit_id,
        audit_date,
        outcome,
        body_code,
        body_name,
        name_latin,
        name_arabic,
        region_code,
        region_name,
        craft,
    ) in rows:
        codes = (
            scheme_standards if isinstance(scheme_standards, list) else _json_list(scheme_standards)
        )
        facts.append(
            CertificateFacts(
                code=format_certificate_code(int(code)),
                status=status,
                status_reason=reasons.get(cert_id) if status != "active" else None,
                valid_from=_day(valid_from),
                valid_until=_day(valid_until),
                conformity=Conformity(
                    scheme_code=scheme_code,
                    scheme_name=scheme_name,
                    level=level,
                    level_name=level_name,
                    standards=tuple(
                        StandardFacts(code=c, title=str(standards.get(c) or c)) for c in codes
                    ),
                    criteria_met=tuple(criteria.get(audit_id, ())),
                    audit_date=_day(audit_date),
                    audit_outcome=outcome,
                    body_code=body_code,
                    body_name=body_name,
                ),
                artisan=ArtisanFacts(
                    display_name_latin=name_latin,
                    display_name_arabic=name_arabic,
                    region_code=region_code,
                    region_name=region_name,
                    craft=craft,
                ),
            )
        )
    return facts


def _json_list(value: Any) -> list[str]:
    import json

    decoded = json.loads(value) if isinstance(value, str | bytes) else []
    return [str(item) for item in decoded] if isinstance(decoded, list) else []
