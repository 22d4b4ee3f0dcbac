"""Queries on certificates, their scope and their history. Repositories flush; services commit.

``certificate_event`` is append-only (a database trigger refuses UPDATE and DELETE): the
history is only ever added to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from core.keyset import Keyset
from labeling.audits.visibility import ReaderScope
from schemas.catalog import LabelScheme
from schemas.certificates import (
    Certificate,
    CertificateEvent,
    CertificateScope,
    CertificateStatus,
)
from schemas.registry import Artisan, Body

__all__ = [
    "CertificateFilters",
    "CertificateRow",
    "add_certificate",
    "add_event",
    "certificate_for_audit",
    "code_taken",
    "get_certificate",
    "get_certificate_row",
    "list_certificates",
    "list_events",
    "scope_of",
]


@dataclass(frozen=True, slots=True)
class CertificateFilters:
    status: CertificateStatus | None = None
    scheme_code: str | None = None
    region_code: str | None = None
    #: the artisan's craft sector (``filiere`` code of the catalogue, e.g. ``F01``)
    filiere_code: str | None = None
    artisan_id: int | None = None
    #: in force (active, not expired) and ending within this many days from today
    expiring_within_days: int | None = None


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """A certificate with the public facts of its artisan, scheme and body."""

    certificate: Certificate
    artisan_public_id: str
    artisan_display_name_latin: str
    artisan_display_name_arabic: str
    region_code: str
    scheme_code: str
    scheme_name: str
    level: int | None
    level_name: str | None
    body_code: str


def _visible(scope: ReaderScope) -> ColumnElement[bool]:
    return scope.clause(
        artisan_column=col(Certificate.artisan_id), body_column=col(Certificate.body_id)
    )


def _rows() -> Select[*tuple[Any, ...]]:
    # Only the artisan's public columns are selected: its personal data never leaves the
    # database on this path.
    return (
        sa_select(
            Certificate,
            col(Artisan.public_id),
            col(Artisan.display_name_latin),
            col(Artisan.display_name_arabic),
            col(Artisan.region_code),
            col(LabelScheme.code),
            col(LabelScheme.name),
            col(LabelScheme.level),
            col(LabelScheme.level_name),
            col(Body.code),
        )
        .join(Artisan, col(Artisan.id) == col(Certificate.artisan_id))
        .join(LabelScheme, col(LabelScheme.id) == col(Certificate.scheme_id))
        .join(Body, col(Body.id) == col(Certificate.body_id))
    )


def _status_clause(status: CertificateStatus, today: date) -> ColumnElement[bool]:
    """The stored-column condition for an *effective* status (``expired`` is derived)."""
    withdrawn = CertificateStatus.WITHDRAWN.value
    if status is CertificateStatus.WITHDRAWN:
        return col(Certificate.status) == withdrawn
    if status is CertificateStatus.EXPIRED:
        return and_(col(Certificate.status) != withdrawn, col(Certificate.valid_until) < today)
    return and_(col(Certificate.status) == status.value, col(Certificate.valid_until) >= today)


def get_certificate(
    *, session: Session, certificate_id: int, for_update: bool = False
) -> Certificate | None:
    """One certificate; ``for_update`` locks its row on PostgreSQL (``FOR UPDATE``) so that
    two status changes of the same certificate are decided one after the other, and so
    are a status change and a label batch: issuance holds the same lock from its check to
    its commit (:func:`labeling.labels.repository.lock_certificate`), so a suspension
    waits for the batch being written and the batches after it see it."""
    statement = select(Certificate).where(Certificate.id == certificate_id)
    if for_update:
        # populate_existing: the locked row's values, not an earlier read's (identity map).
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return session.exec(statement).first()


def get_certificate_row(
    *, session: Session, certificate_id: int, scope: ReaderScope
) -> CertificateRow | None:
    row = session.execute(
        _rows().where(col(Certificate.id) == certificate_id, _visible(scope))
    ).first()
    return CertificateRow(*row) if row is not None else None


def list_certificates(
    *,
    session: Session,
    scope: ReaderScope,
    filters: CertificateFilters,
    today: date,
    limit: int,
    offset: int,
    after: tuple[datetime, int] | None = None,
    keyset: Keyset | None = None,
) -> tuple[list[CertificateRow], int]:
    """A page of certificates, newest first (``created_at``, then ``id``), and how many
    match. ``after`` (the ``created_at`` and ``id`` of the last certificate of the previous
    page) makes it a keyset page: the rows that follow it, whatever was added meanwhile."""
    conditions: list[ColumnElement[bool]] = [_visible(scope)]
    if filters.status is not None:
        conditions.append(_status_clause(filters.status, today))
    if filters.scheme_code is not None:
        conditions.append(col(LabelScheme.code) == filters.scheme_code)
    if filters.region_code is not None:
        conditions.append(col(Artisan.region_code) == filters.region_code)
    if filters.filiere_code is not None:
        conditions.append(col(Artisan.filiere_code) == filters.filiere_code)
    if filters.artisan_id is not None:
        conditions.append(col(Certificate.artisan_id) == filters.artisan_id)
    if filters.expiring_within_days is not None:
        conditions.append(_status_clause(CertificateStatus.ACTIVE, today))
        horizon = today + timedelta(days=filters.expiring_within_days)
        conditions.append(col(Certificate.valid_until) <= horizon)
    starts: list[ColumnElement[bool]] = []
    if after is not None:
        created, last_id = after
        starts.append(
            or_(
                col(Certificate.created_at) < created,
                and_(col(Certificate.created_at) == created, col(Certificate.id) < last_id),
            )
        )
    order = (col(Certificate.created_at).desc(), col(Certificate.id).desc())
    if keyset is not None:
        moment, row_id = col(Certificate.created_at), col(Certificate.id)
        start = keyset.clause(moment, row_id)
        starts = [start] if start is not None else []
        order, limit = keyset.order(moment, row_id), keyset.fetch
    page = _rows().where(*conditions, *starts).order_by(*order).limit(limit).offset(offset)
    total_query = (
        select(func.count())
        .select_from(Certificate)
        .join(Artisan, col(Artisan.id) == col(Certificate.artisan_id))
        .join(LabelScheme, col(LabelScheme.id) == col(Certificate.scheme_id))
        .where(*conditions)
    )
    rows = [CertificateRow(*row) for row in session.execute(page)]
    return rows, int(session.execute(total_query).scalar_one())


def scope_of(*, session: Session, certificate_ids: Sequence[int]) -> dict[int, list[int]]:
    """The product lines each certificate covers, in one query for a whole page."""
    result: dict[int, list[int]] = {certificate_id: [] for certificate_id in certificate_ids}
    if not certificate_ids:
        return result
    statement = (
        select(CertificateScope.certificate_id, CertificateScope.product_line_id)
        .where(col(CertificateScope.certificate_id).in_(list(certificate_ids)))
        .order_by(col(CertificateScope.certificate_id), col(CertificateScope.product_line_id))
    )
    for certificate_id, product_line_id in session.exec(statement):
        result[certificate_id].append(product_line_id)
    return result


def certificate_for_audit(*, session: Session, audit_id: int) -> Certificate | None:
    return session.exec(select(Certificate).where(Certificate.audit_id == audit_id)).first()


def code_taken(*, session: Session, code: int) -> bool:
    return session.exec(select(Certificate.id).where(Certificate.code == code)).first() is not None


def add_certificate(
    *,
    session: Session,
    certificate: Certificate,
    product_line_ids: Sequence[int],
    issued: CertificateEvent,
) -> Certificate:
    """Insert a certificate, its scope and the event that issued it."""
    session.add(certificate)
    session.flush()
    assert certificate.id is not None
    for product_line_id in product_line_ids:
        session.add(
            CertificateScope(certificate_id=certificate.id, product_line_id=product_line_id)
        )
    issued.certificate_id = certificate.id
    session.add(issued)
    session.flush()
    return certificate


def add_event(
    *, session: Session, certificate: Certificate, event: CertificateEvent
) -> CertificateEvent:
    """Record a status change: the certificate's new status and its history entry."""
    session.add(certificate)
    session.add(event)
    session.flush()
    return event


def list_events(*, session: Session, certificate_id: int) -> list[CertificateEvent]:
    statement = (
        select(CertificateEvent)
        .where(CertificateEvent.certificate_id == certificate_id)
        .order_by(col(CertificateEvent.id))  # append order, immune to clock skew
    )
    return list(session.exec(statement))
