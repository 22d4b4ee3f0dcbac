"""Queries on audits, their findings and evidence files. Repositories flush; services commit.

Audit rows are append-only (a database trigger refuses UPDATE and DELETE), so this module
only ever inserts and reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Insert, Select, func
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from core.keyset import Keyset
from labeling.audits.visibility import ReaderScope
from schemas.audits import (
    Audit,
    AuditEvidence,
    AuditFinding,
    AuditProductLine,
    EvidenceBlob,
    EvidenceHolder,
)
from schemas.catalog import LabelScheme, SchemeCriterion
from schemas.registry import Artisan, Body, InspectorAuthorisation, ProductLine
from schemas.types import utcnow

__all__ = [
    "AuditFilters",
    "AuditRow",
    "EvidenceMeta",
    "add_audit",
    "audit_by_key",
    "evidence_attached_to_visible_audit",
    "evidence_held_by",
    "find_correction_of",
    "get_artisan",
    "get_audit",
    "get_audit_row",
    "get_body_code",
    "get_evidence_blob",
    "get_scheme_by_code",
    "get_scheme_by_id",
    "has_live_authorisation",
    "list_audit_evidence",
    "list_audit_findings",
    "list_audit_product_line_ids",
    "list_audits",
    "list_product_lines",
    "list_scheme_criteria",
    "record_evidence",
]


def _visible(scope: ReaderScope) -> ColumnElement[bool]:
    return scope.clause(artisan_column=col(Audit.artisan_id), body_column=col(Audit.body_id))


@dataclass(frozen=True, slots=True)
class AuditFilters:
    artisan_id: int | None = None
    inspector_id: int | None = None
    scheme_code: str | None = None
    outcome: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    """An audit with the public codes a reader needs alongside it."""

    audit: Audit
    artisan_public_id: str
    scheme_code: str
    scheme_name: str
    body_code: str


@dataclass(frozen=True, slots=True)
class EvidenceMeta:
    sha256: str
    size: int
    media_type: str


# --- catalogue and registry look-ups ------------------------------------------------------


def get_scheme_by_code(*, session: Session, code: str) -> LabelScheme | None:
    return session.exec(select(LabelScheme).where(LabelScheme.code == code)).first()


def get_scheme_by_id(*, session: Session, scheme_id: int) -> LabelScheme | None:
    return session.get(LabelScheme, scheme_id)


def list_scheme_criteria(*, session: Session, scheme_id: int) -> list[SchemeCriterion]:
    statement = (
        select(SchemeCriterion)
        .where(SchemeCriterion.scheme_id == scheme_id)
        .order_by(col(SchemeCriterion.position), col(SchemeCriterion.id))
    )
    return list(session.exec(statement))


def has_live_authorisation(*, session: Session, inspector_id: int, scheme_id: int) -> bool:
    statement = select(InspectorAuthorisation.id).where(
        InspectorAuthorisation.inspector_id == inspector_id,
        InspectorAuthorisation.scheme_id == scheme_id,
        col(InspectorAuthorisation.revoked_at).is_(None),
    )
    return session.exec(statement).first() is not None


def get_artisan(*, session: Session, artisan_id: int) -> Artisan | None:
    return session.get(Artisan, artisan_id)


def get_body_code(*, session: Session, body_id: int) -> str:
    code = session.exec(select(Body.code).where(Body.id == body_id)).one()
    return code


def list_product_lines(*, session: Session, ids: Sequence[int]) -> list[ProductLine]:
    if not ids:
        return []
    return list(session.exec(select(ProductLine).where(col(ProductLine.id).in_(list(ids)))))


# --- evidence -------------------------------------------------------------------------------


def get_evidence_blob(*, session: Session, sha256: str) -> EvidenceBlob | None:
    return session.get(EvidenceBlob, sha256)


def _insert_if_absent(session: Session, entity: type[EvidenceBlob | EvidenceHolder]) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING``: a row that another transaction inserts first,
    even one not yet committed (PostgreSQL waits for it), is left as it is, without an
    error and without ending this transaction."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(entity).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(entity).on_conflict_do_nothing()
    raise NotImplementedError(f"no idempotent insert for {dialect}")  # pragma: no cover


def record_evidence(
    *,
    session: Session,
    sha256: str,
    size: int,
    media_type: str,
    uploaded_by: int,
    body_id: int | None,
) -> None:
    """Record an upload: the file, unless it is stored already (by anyone), and the
    uploader's body as one of its holders, unless it is one already.

    Idempotent and safe against concurrent uploads of the same bytes, by the same body or
    by others: every upload's transaction commits, and each body is recorded once.
    """
    now = utcnow()
    session.execute(
        _insert_if_absent(session, EvidenceBlob).values(
            sha256=sha256,
            size=size,
            media_type=media_type,
            data=b"",  # the bytes are in the evidence store, not in the database
            uploaded_by=uploaded_by,
            body_id=body_id,
            created_at=now,
        )
    )
    if body_id is not None:
        session.execute(
            _insert_if_absent(session, EvidenceHolder).values(
                sha256=sha256, body_id=body_id, first_uploaded_by=uploaded_by, uploaded_at=now
            )
        )


def evidence_held_by(*, session: Session, body_id: int | None, hashes: Sequence[str]) -> set[str]:
    """Those of ``hashes`` that ``body_id`` holds (has uploaded). Only this body's rows are
    consulted: whether another body holds a hash never changes the answer."""
    if body_id is None or not hashes:
        return set()
    statement = select(EvidenceHolder.sha256).where(
        EvidenceHolder.body_id == body_id, col(EvidenceHolder.sha256).in_(list(hashes))
    )
    return set(session.exec(statement))


def evidence_attached_to_visible_audit(
    *, session: Session, sha256: str, scope: ReaderScope
) -> bool:
    statement = (
        select(AuditEvidence.audit_id)
        .join(Audit, col(Audit.id) == col(AuditEvidence.audit_id))
        .where(AuditEvidence.sha256 == sha256, _visible(scope))
        .limit(1)
    )
    return session.exec(statement).first() is not None


# --- audits ---------------------------------------------------------------------------------


def add_audit(
    *,
    session: Session,
    audit: Audit,
    product_line_ids: Sequence[int],
    findings: Sequence[AuditFinding],
    evidence: Sequence[tuple[str, str]],
) -> Audit:
    """Insert an audit with everything it holds, in one flush."""
    session.add(audit)
    session.flush()
    assert audit.id is not None
    for product_line_id in product_line_ids:
        session.add(AuditProductLine(audit_id=audit.id, product_line_id=product_line_id))
    for finding in findings:
        finding.audit_id = audit.id
        session.add(finding)
    for sha256, filename in evidence:
        session.add(AuditEvidence(audit_id=audit.id, sha256=sha256, filename=filename))
    session.flush()
    return audit


def audit_by_key(*, session: Session, body_id: int, key: str) -> Audit | None:
    """The audit a body recorded under this idempotency key, if any."""
    return session.exec(
        select(Audit).where(Audit.body_id == body_id, Audit.idempotency_key == key)
    ).first()


def get_audit(*, session: Session, audit_id: int, for_update: bool = False) -> Audit | None:
    """One audit; ``for_update`` takes its row lock on PostgreSQL (a read lock only: the
    row is never updated) so that two writers deciding on it queue up."""
    statement = select(Audit).where(Audit.id == audit_id)
    if for_update:
        statement = statement.with_for_update()
    return session.exec(statement).first()


def _audit_rows() -> Select[Audit, str, str, str, str]:
    return (
        sa_select(
            Audit,
            col(Artisan.public_id),
            col(LabelScheme.code),
            col(LabelScheme.name),
            col(Body.code),
        )
        .join(Artisan, col(Artisan.id) == col(Audit.artisan_id))
        .join(LabelScheme, col(LabelScheme.id) == col(Audit.scheme_id))
        .join(Body, col(Body.id) == col(Audit.body_id))
    )


def get_audit_row(*, session: Session, audit_id: int, scope: ReaderScope) -> AuditRow | None:
    row = session.execute(_audit_rows().where(col(Audit.id) == audit_id, _visible(scope))).first()
    if row is None:
        return None
    audit, public_id, scheme_code, scheme_name, body_code = row
    return AuditRow(audit, public_id, scheme_code, scheme_name, body_code)


def _conditions(scope: ReaderScope, filters: AuditFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_visible(scope)]
    if filters.artisan_id is not None:
        conditions.append(col(Audit.artisan_id) == filters.artisan_id)
    if filters.inspector_id is not None:
        conditions.append(col(Audit.inspector_id) == filters.inspector_id)
    if filters.scheme_code is not None:
        conditions.append(col(LabelScheme.code) == filters.scheme_code)
    if filters.outcome is not None:
        conditions.append(col(Audit.outcome) == filters.outcome)
    if filters.date_from is not None:
        conditions.append(col(Audit.audit_date) >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(col(Audit.audit_date) <= filters.date_to)
    return conditions


def list_audits(
    *,
    session: Session,
    scope: ReaderScope,
    filters: AuditFilters,
    limit: int,
    offset: int,
) -> tuple[list[AuditRow], int]:
    """A page of visible audits, newest audit date first, and the total matching."""
    conditions = _conditions(scope, filters)
    page = (
        _audit_rows()
        .where(*conditions)
        .order_by(col(Audit.audit_date).desc(), col(Audit.id).desc())
        .limit(limit)
        .offset(offset)
    )
    total_query = (
        select(func.count())
        .select_from(Audit)
        .join(LabelScheme, col(LabelScheme.id) == col(Audit.scheme_id))
        .where(*conditions)
    )
    rows = [AuditRow(*row) for row in session.execute(page)]
    total = int(session.execute(total_query).scalar_one())
    return rows, total


def audit_keyset_rows(
    *, session: Session, scope: ReaderScope, filters: AuditFilters, keyset: Keyset
) -> list[AuditRow]:
    """The rows of a keyset page of visible audits, newest recorded first (``submitted_at``,
    then ``id``): ``keyset.fetch`` of them in the walk's order, for ``keyset.slice``."""
    moment, row_id = col(Audit.submitted_at), col(Audit.id)
    start = keyset.clause(moment, row_id)
    page = (
        _audit_rows()
        .where(*_conditions(scope, filters), *([start] if start is not None else []))
        .order_by(*keyset.order(moment, row_id))
        .limit(keyset.fetch)
    )
    return [AuditRow(*row) for row in session.execute(page)]


def find_correction_of(*, session: Session, audit_id: int) -> int | None:
    """The id of the audit that corrects this one, if any."""
    statement = (
        select(Audit.id).where(Audit.corrects_audit_id == audit_id).order_by(col(Audit.id)).limit(1)
    )
    return session.exec(statement).first()


def list_audit_product_line_ids(*, session: Session, audit_id: int) -> list[int]:
    statement = (
        select(AuditProductLine.product_line_id)
        .where(AuditProductLine.audit_id == audit_id)
        .order_by(col(AuditProductLine.product_line_id))
    )
    return list(session.exec(statement))


def list_audit_findings(
    *, session: Session, audit_id: int
) -> list[tuple[AuditFinding, SchemeCriterion]]:
    statement = (
        select(AuditFinding, SchemeCriterion)
        .join(SchemeCriterion, col(SchemeCriterion.id) == col(AuditFinding.criterion_id))
        .where(AuditFinding.audit_id == audit_id)
        .order_by(col(SchemeCriterion.position), col(AuditFinding.id))
    )
    return [(finding, criterion) for finding, criterion in session.exec(statement)]


def list_audit_evidence(
    *, session: Session, audit_id: int
) -> list[tuple[AuditEvidence, EvidenceMeta]]:
    statement = (
        select(AuditEvidence, EvidenceBlob.size, EvidenceBlob.media_type)
        .join(EvidenceBlob, col(EvidenceBlob.sha256) == col(AuditEvidence.sha256))
        .where(AuditEvidence.audit_id == audit_id)
        .order_by(col(AuditEvidence.filename), col(AuditEvidence.sha256))
    )
    return [
        (link, EvidenceMeta(sha256=link.sha256, size=size, media_type=media_type))
        for link, size, media_type in session.exec(statement)
    ]
