"""Queries for the public certificate pages beside its facts (which come through
:mod:`labeling.verification.facts`): public columns only.

The artisan's personal columns (``national_id``, ``phone``, ``address``) and every internal
id stay in the database: the statements below never select them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from schemas.certificates import Certificate, CertificateScope
from schemas.registry import ProductLine

__all__ = ["certificate_status", "product_line_names"]


def certificate_status(*, session: Session, code: int) -> tuple[str, date] | None:
    """The stored status and the end of validity of the certificate ``code`` (its badge)."""
    row = session.execute(
        select(col(Certificate.status), col(Certificate.valid_until)).where(
            col(Certificate.code) == code
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


def product_line_names(*, session: Session, certificate_id: int) -> list[str]:
    """The public names of the products in the certificate's scope."""
    rows = session.execute(
        select(col(ProductLine.name))
        .join(CertificateScope, col(CertificateScope.product_line_id) == col(ProductLine.id))
        .where(col(CertificateScope.certificate_id) == certificate_id)
        .order_by(col(ProductLine.name))
    ).all()
    return [row[0] for row in rows]
