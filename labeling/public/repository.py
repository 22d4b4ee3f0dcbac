"""Queries for the public certificate page: public columns only, by certificate code.

The artisan's personal columns (``national_id``, ``phone``, ``address``) and every internal
id stay in the database: the statements below never select them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from schemas.audits import Audit
from schemas.catalog import LabelScheme, Standard
from schemas.certificates import Certificate, CertificateEvent, CertificateScope
from schemas.registry import Artisan, Body, Filiere, ProductLine, Region

__all__ = [
    "CertificateRecord",
    "LatestEvent",
    "certificate_by_code",
    "latest_event",
    "product_line_names",
    "standards",
]


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    """A certificate and the public facts around it (no personal data, no ids outward)."""

    certificate_id: int  # internal: used for the follow-up queries, never shown
    code: int
    status: str
    valid_from: date
    valid_until: date
    status_changed_at: datetime
    artisan_latin: str
    artisan_arabic: str
    region_code: str
    region_name: str
    craft: str
    craft_is_assumption: bool
    scheme_code: str
    scheme_name: str
    level: int | None
    level_name: str | None
    scheme_standards: tuple[str, ...]
    scheme_is_assumption: bool
    audit_date: date
    audit_outcome: str
    body_code: str
    body_name: str
    body_is_assumption: bool


@dataclass(frozen=True, slots=True)
class LatestEvent:
    reason_code: str
    at: datetime


def certificate_by_code(*, session: Session, code: int) -> CertificateRecord | None:
    statement = (
        select(
            col(Certificate.id),
            col(Certificate.code),
            col(Certificate.status),
            col(Certificate.valid_from),
            col(Certificate.valid_until),
            col(Certificate.status_changed_at),
            col(Artisan.display_name_latin),
            col(Artisan.display_name_arabic),
            col(Artisan.region_code),
            col(Region.name),
            col(Artisan.metier),
            col(Filiere.is_assumption),
            col(LabelScheme.code),
            col(LabelScheme.name),
            col(LabelScheme.level),
            col(LabelScheme.level_name),
            col(LabelScheme.standards),
            col(LabelScheme.is_assumption),
            col(Audit.audit_date),
            col(Audit.outcome),
            col(Body.code),
            col(Body.name),
            col(Body.is_assumption),
        )
        .join(Artisan, col(Artisan.id) == col(Certificate.artisan_id))
        .join(Region, col(Region.code) == col(Artisan.region_code))
        .join(Filiere, col(Filiere.code) == col(Artisan.filiere_code))
        .join(LabelScheme, col(LabelScheme.id) == col(Certificate.scheme_id))
        .join(Audit, col(Audit.id) == col(Certificate.audit_id))
        .join(Body, col(Body.id) == col(Certificate.body_id))
        .where(col(Certificate.code) == code)
    )
    row = session.execute(statement).first()
    if row is None:
        return None
    values = list(row)
    values[16] = tuple(values[16] or ())
    return CertificateRecord(*values)


def latest_event(*, session: Session, certificate_id: int) -> LatestEvent | None:
    """The certificate's most recent lifecycle event (its reason and time)."""
    row = session.execute(
        select(col(CertificateEvent.reason_code), col(CertificateEvent.at))
        .where(col(CertificateEvent.certificate_id) == certificate_id)
        .order_by(col(CertificateEvent.at).desc(), col(CertificateEvent.id).desc())
        .limit(1)
    ).first()
    return LatestEvent(reason_code=row[0], at=row[1]) if row else None


def product_line_names(*, session: Session, certificate_id: int) -> list[str]:
    """The public names of the products in the certificate's scope."""
    rows = session.execute(
        select(col(ProductLine.name))
        .join(CertificateScope, col(CertificateScope.product_line_id) == col(ProductLine.id))
        .where(col(CertificateScope.certificate_id) == certificate_id)
        .order_by(col(ProductLine.name))
    ).all()
    return [row[0] for row in rows]


def standards(*, session: Session, codes: tuple[str, ...]) -> list[tuple[str, str, bool]]:
    """(code, title, is_assumption) of the named standards, in the order given."""
    if not codes:
        return []
    rows = session.execute(
        select(col(Standard.code), col(Standard.title), col(Standard.is_assumption)).where(
            col(Standard.code).in_(codes)
        )
    ).all()
    found = {row[0]: (row[0], row[1], bool(row[2])) for row in rows}
    return [found[code] for code in codes if code in found]
