"""Recording, correcting and reading audits.

An inspector records what it found; the registry decides the outcome. What a submission is
checked for, in which order, and how it is decided and inserted is
:mod:`labeling.audits.submission`; this module runs it in one transaction, committed once at
the end, and reads audits back for the people allowed to.

Exactly once: a submission may carry an idempotency key (the API's ``Idempotency-Key``, the
workspace form's hidden field, the offline outbox's id), unique per body. The first
submission with a key records the audit; any later one with the same key and the same
content returns that audit (``replayed``) and records nothing — a retry after a lost
answer, a double click — and one with other content is refused, 422
``idempotency-key-reused``. Two at once: the second waits for the first's transaction
(SQLite's writer lock; on PostgreSQL the unique index) and then finds its audit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.auth import Principal
from core.keyset import Keyset, KeysetSlice
from core.problems import Conflict, NotFound, UnprocessableContent
from labeling.audits import repository
from labeling.audits.repository import AuditFilters, AuditRow
from labeling.audits.submission import artisan_of_body, insert_submission, require_inspector
from labeling.audits.visibility import reader_scope
from schemas.audits_api import (
    AuditContent,
    AuditCorrection,
    AuditCreate,
    AuditEvidencePublic,
    AuditOutcome,
    AuditPage,
    AuditPublic,
    AuditSummary,
    FindingPublic,
)
from verify.canonical import canonical_json

__all__ = [
    "AuditSubmission",
    "IdempotencyKeyInvalid",
    "IdempotencyKeyReused",
    "correct_audit",
    "get_audit",
    "list_audits",
    "record_audit",
    "submit_audit",
    "submit_correction",
]


class IdempotencyKeyReused(UnprocessableContent):
    slug = "idempotency-key-reused"
    title = "This Idempotency-Key was already used with a different request"


class IdempotencyKeyInvalid(UnprocessableContent):
    slug = "idempotency-key-invalid"
    title = "Idempotency-Key must be 1 to 100 printable ASCII characters"


@dataclass(frozen=True, slots=True)
class AuditSubmission:
    """The audit a submission recorded, or — ``replayed`` — the one its key recorded before."""

    audit: AuditPublic
    replayed: bool = False


def record_audit(
    *,
    session: Session,
    principal: Principal,
    request: AuditCreate,
    idempotency_key: str | None = None,
) -> AuditPublic:
    """Record an inspector's audit of an artisan of its body; the outcome is computed."""
    return submit_audit(
        session=session, principal=principal, request=request, idempotency_key=idempotency_key
    ).audit


def submit_audit(
    *,
    session: Session,
    principal: Principal,
    request: AuditCreate,
    idempotency_key: str | None = None,
) -> AuditSubmission:
    """:func:`record_audit`, saying whether the key had already recorded it (module doc)."""
    require_inspector(principal)
    _check_key(idempotency_key)
    digest = _request_hash(request, corrects=None)

    def submit() -> AuditPublic:
        artisan = artisan_of_body(
            session=session, principal=principal, artisan_id=request.artisan_id
        )
        row = insert_submission(
            session=session,
            principal=principal,
            artisan=artisan,
            content=request,
            corrects=None,
            key=(idempotency_key, digest) if idempotency_key else None,
        )
        return _public(session=session, row=row)

    return _once(
        session=session, principal=principal, key=idempotency_key, digest=digest, submit=submit
    )


def correct_audit(
    *,
    session: Session,
    principal: Principal,
    audit_id: int,
    request: AuditCorrection,
    idempotency_key: str | None = None,
) -> AuditPublic:
    """Record a new audit that corrects a submitted one (which stays as it was).

    Corrections form a chain: an audit already corrected answers 409 with the id of its
    correction, so that the next correction is made to the latest version.
    """
    return submit_correction(
        session=session,
        principal=principal,
        audit_id=audit_id,
        request=request,
        idempotency_key=idempotency_key,
    ).audit


def submit_correction(
    *,
    session: Session,
    principal: Principal,
    audit_id: int,
    request: AuditCorrection,
    idempotency_key: str | None = None,
) -> AuditSubmission:
    """:func:`correct_audit`, saying whether the key had already recorded it."""
    require_inspector(principal)
    _check_key(idempotency_key)
    digest = _request_hash(request, corrects=audit_id)

    def submit() -> AuditPublic:
        return _correct(
            session=session,
            principal=principal,
            audit_id=audit_id,
            request=request,
            key=(idempotency_key, digest) if idempotency_key else None,
        )

    return _once(
        session=session, principal=principal, key=idempotency_key, digest=digest, submit=submit
    )


# --- exactly once ---------------------------------------------------------------------------


def _check_key(key: str | None) -> None:
    if key is not None and not (0 < len(key) <= 100 and key.isascii() and key.isprintable()):
        raise IdempotencyKeyInvalid()


def _request_hash(content: AuditContent, *, corrects: int | None) -> str:
    """What a submission asked for (what a retry must repeat to be the same submission)."""
    payload = {"corrects": corrects, "request": content.model_dump(mode="json")}
    return hashlib.sha256(canonical_json(payload, floats=True)).hexdigest()


def _replay(
    *, session: Session, principal: Principal, key: str, digest: str
) -> AuditSubmission | None:
    assert principal.body_id is not None
    existing = repository.audit_by_key(session=session, body_id=principal.body_id, key=key)
    if existing is None or existing.id is None:
        return None
    if existing.request_hash != digest:
        raise IdempotencyKeyReused(
            "This key already recorded another audit; send a new key for a new audit."
        )
    return AuditSubmission(
        get_audit(session=session, principal=principal, audit_id=existing.id), replayed=True
    )


def _once(
    *,
    session: Session,
    principal: Principal,
    key: str | None,
    digest: str,
    submit: Callable[[], AuditPublic],
) -> AuditSubmission:
    if key is None:
        public = submit()
        session.commit()
        return AuditSubmission(public)
    replayed = _replay(session=session, principal=principal, key=key, digest=digest)
    if replayed is not None:
        return replayed
    try:
        public = submit()
        session.commit()
    except IntegrityError:
        # The same key, committed by a concurrent submission since our look-up.
        session.rollback()
        replayed = _replay(session=session, principal=principal, key=key, digest=digest)
        if replayed is None:
            raise
        return replayed
    return AuditSubmission(public)


def _correct(
    *,
    session: Session,
    principal: Principal,
    audit_id: int,
    request: AuditCorrection,
    key: tuple[str, str] | None,
) -> AuditPublic:
    # The row lock makes two simultaneous corrections of the same audit queue up, so the
    # second one sees the first and is refused instead of forking the chain.
    original = repository.get_audit(session=session, audit_id=audit_id, for_update=True)
    if original is None or original.body_id != principal.body_id:
        raise NotFound("No such audit.", slug="audit-not-found")
    correction_id = repository.find_correction_of(session=session, audit_id=audit_id)
    if correction_id is not None:
        raise Conflict(
            "This audit was already corrected; correct the latest version instead.",
            slug="audit-already-corrected",
            corrected_by_audit_id=correction_id,
        )
    artisan = artisan_of_body(session=session, principal=principal, artisan_id=original.artisan_id)
    row = insert_submission(
        session=session,
        principal=principal,
        artisan=artisan,
        content=request,
        corrects=original.id,
        key=key,
    )
    return _public(session=session, row=row)


def get_audit(*, session: Session, principal: Principal, audit_id: int) -> AuditPublic:
    row = repository.get_audit_row(
        session=session, audit_id=audit_id, scope=reader_scope(principal)
    )
    if row is None:
        raise NotFound("No such audit.", slug="audit-not-found")
    return _public(session=session, row=row)


def list_audits(
    *, session: Session, principal: Principal, filters: AuditFilters, limit: int, offset: int
) -> AuditPage:
    rows, total = repository.list_audits(
        session=session,
        scope=reader_scope(principal),
        filters=filters,
        limit=limit,
        offset=offset,
    )
    return AuditPage(items=[_summary(row) for row in rows], total=total, limit=limit, offset=offset)


def audit_keyset_page(
    *, session: Session, principal: Principal, filters: AuditFilters, keyset: Keyset
) -> KeysetSlice[AuditSummary]:
    """A keyset page of the audits the principal may read, newest recorded first."""
    rows = repository.audit_keyset_rows(
        session=session, scope=reader_scope(principal), filters=filters, keyset=keyset
    )
    return keyset.slice(
        [_summary(row) for row in rows], lambda audit: (audit.submitted_at, audit.id)
    )


# --- reading ----------------------------------------------------------------------------------


def _summary(row: AuditRow) -> AuditSummary:
    audit = row.audit
    assert audit.id is not None
    return AuditSummary(
        id=audit.id,
        artisan_id=audit.artisan_id,
        artisan_public_id=row.artisan_public_id,
        body_code=row.body_code,
        inspector_id=audit.inspector_id,
        scheme_code=row.scheme_code,
        audit_date=audit.audit_date,
        submitted_at=audit.submitted_at,
        outcome=AuditOutcome(audit.outcome),
        corrects_audit_id=audit.corrects_audit_id,
        content_hash=audit.content_hash,
    )


def _public(*, session: Session, row: AuditRow) -> AuditPublic:
    audit = row.audit
    assert audit.id is not None
    findings = repository.list_audit_findings(session=session, audit_id=audit.id)
    evidence = repository.list_audit_evidence(session=session, audit_id=audit.id)
    return AuditPublic(
        **_summary(row).model_dump(),
        scheme_name=row.scheme_name,
        corrected_by_audit_id=repository.find_correction_of(session=session, audit_id=audit.id),
        notes=audit.notes,
        product_line_ids=repository.list_audit_product_line_ids(session=session, audit_id=audit.id),
        findings=[
            FindingPublic(
                criterion_code=criterion.code,
                criterion_name=criterion.name,
                kind=criterion.kind,
                comparison=criterion.comparison,
                threshold=criterion.threshold,
                criterion_unit=criterion.unit,
                measured_value=finding.measured_value,
                unit=finding.unit,
                observed=finding.observed,
                passed=finding.passed,
                notes=finding.notes,
            )
            for finding, criterion in findings
        ],
        evidence=[
            AuditEvidencePublic(
                sha256=link.sha256,
                filename=link.filename,
                media_type=meta.media_type,
                size=meta.size,
            )
            for link, meta in evidence
        ],
    )
