"""Recording, correcting and reading audits.

An inspector records what it found; the registry decides the outcome. Submission checks,
in this order, and stops at the first failure (each is a problem with a stable slug):

1. the artisan belongs to the inspector's body — otherwise 404 ``artisan-not-found``
   (an artisan of another body is none of this inspector's business, not even its existence);
2. the scheme exists — 422 ``unknown-scheme``;
3. the inspector holds a live authorisation for the scheme *now*, read in the same
   transaction that writes the audit — 403 ``not-authorised-for-scheme``;
4. the audit date is not in the future — 422 ``audit-date-in-future``;
5. the product lines are the artisan's — 422 ``product-line-not-of-artisan``;
6. there is exactly one finding per criterion of the scheme, of the criterion's kind and
   unit — 422 ``finding-repeated``, ``unknown-criterion``, ``missing-findings``,
   ``finding-kind-mismatch``, ``unit-mismatch``;
7. every cited evidence file is cited once (``evidence-repeated``) and held by the
   inspector's body (one of its staff uploaded it) — otherwise 422 ``unknown-evidence``, the
   same answer whether the hash is stored for another body or nowhere.

Then the outcome is computed (:mod:`labeling.audits.outcome`), the canonical record hashed
(:mod:`labeling.audits.record`), the rows inserted and ``audit.submitted`` appended to the
transparency log — all in one transaction, committed once at the end.

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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core import calendar
from core.auth import Principal
from core.keyset import Keyset, KeysetSlice
from core.problems import Conflict, Forbidden, NotFound, UnprocessableContent
from labeling.audits import repository
from labeling.audits.outcome import audit_outcome, boolean_passes, measured_passes
from labeling.audits.record import CanonicalFinding, canonical_record, content_hash
from labeling.audits.repository import AuditFilters, AuditRow
from labeling.audits.visibility import reader_scope
from labeling.translog.events import append_event
from schemas.audits import Audit, AuditFinding
from schemas.audits_api import (
    AuditContent,
    AuditCorrection,
    AuditCreate,
    AuditEvidencePublic,
    AuditOutcome,
    AuditPage,
    AuditPublic,
    AuditSummary,
    FindingInput,
    FindingPublic,
)
from schemas.catalog import LabelScheme, SchemeCriterion
from schemas.registry import Artisan
from schemas.types import utcnow
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
    _require_inspector(principal)
    _check_key(idempotency_key)
    digest = _request_hash(request, corrects=None)

    def submit() -> AuditPublic:
        artisan = _artisan_of_body(
            session=session, principal=principal, artisan_id=request.artisan_id
        )
        return _submit(
            session=session,
            principal=principal,
            artisan=artisan,
            content=request,
            corrects=None,
            key=(idempotency_key, digest) if idempotency_key else None,
        )

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
    _require_inspector(principal)
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
    artisan = _artisan_of_body(session=session, principal=principal, artisan_id=original.artisan_id)
    return _submit(
        session=session,
        principal=principal,
        artisan=artisan,
        content=request,
        corrects=original.id,
        key=key,
    )


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


# --- submission -----------------------------------------------------------------------------


def _require_inspector(principal: Principal) -> None:
    # The route admits inspectors only; this guards the service's other callers (the demo
    # loader, scripts) the same way.
    if not principal.is_inspector or principal.body_id is None:
        raise Forbidden("Only an inspector of a body records audits.")


def _artisan_of_body(*, session: Session, principal: Principal, artisan_id: int) -> Artisan:
    artisan = repository.get_artisan(session=session, artisan_id=artisan_id)
    if artisan is None or artisan.body_id != principal.body_id:
        raise NotFound("No such artisan in your body's registry.", slug="artisan-not-found")
    return artisan


@dataclass(frozen=True, slots=True)
class _CheckedAudit:
    """What a submission's checks established: the scheme, the decided findings (stored
    row and canonical form) and the cited evidence files (hash, filename)."""

    scheme: LabelScheme
    findings: list[tuple[AuditFinding, CanonicalFinding]]
    evidence: list[tuple[str, str]]


def _submit(
    *,
    session: Session,
    principal: Principal,
    artisan: Artisan,
    content: AuditContent,
    corrects: int | None,
    key: tuple[str, str] | None = None,
) -> AuditPublic:
    """Check, decide and insert one audit (``key``: its idempotency key and request hash);
    the caller commits."""
    assert principal.body_id is not None and artisan.id is not None
    checked = _check_submission(
        session=session, principal=principal, artisan=artisan, content=content
    )
    outcome = audit_outcome(finding.passed for finding, _ in checked.findings)
    body_code = repository.get_body_code(session=session, body_id=principal.body_id)
    audit = _insert_audit(
        session=session,
        principal=principal,
        artisan=artisan,
        content=content,
        checked=checked,
        outcome=outcome,
        body_code=body_code,
        corrects=corrects,
        key=key,
    )
    scheme = checked.scheme
    _log_submission(
        session=session, audit=audit, artisan=artisan, scheme=scheme, body_code=body_code
    )
    return _public(
        session=session,
        row=AuditRow(audit, artisan.public_id, scheme.code, scheme.name, body_code),
    )


def _check_submission(
    *, session: Session, principal: Principal, artisan: Artisan, content: AuditContent
) -> _CheckedAudit:
    """Checks 2 to 7 of the module's list, in order: scheme, authorisation, date, product
    lines, findings, evidence."""
    assert principal.body_id is not None
    scheme = repository.get_scheme_by_code(session=session, code=content.scheme)
    if scheme is None or scheme.id is None:
        raise UnprocessableContent(
            f"There is no label scheme {content.scheme!r}.", slug="unknown-scheme"
        )
    if not repository.has_live_authorisation(
        session=session, inspector_id=principal.user_id, scheme_id=scheme.id
    ):
        raise Forbidden(
            f"You are not authorised to audit for {scheme.code}.",
            slug="not-authorised-for-scheme",
            title="Not authorised for this scheme",
        )
    if content.audit_date > calendar.registry_today():
        raise UnprocessableContent("The audit date is in the future.", slug="audit-date-in-future")
    _check_product_lines(session=session, artisan=artisan, ids=content.product_line_ids)
    criteria = repository.list_scheme_criteria(session=session, scheme_id=scheme.id)
    findings = _evaluate(criteria=criteria, findings=content.findings)
    evidence = _evidence_held_by_body(session=session, body_id=principal.body_id, content=content)
    return _CheckedAudit(scheme=scheme, findings=findings, evidence=evidence)


def _evidence_held_by_body(
    *, session: Session, body_id: int, content: AuditContent
) -> list[tuple[str, str]]:
    """The cited evidence files (hash, filename), each cited once and held by the body."""
    evidence = [(ref.sha256, ref.filename) for ref in content.evidence]
    _refuse_repeated(
        [sha for sha, _ in evidence], slug="evidence-repeated", what="an evidence file"
    )
    # Only the files this body holds: whether another body holds a hash must not show.
    held = repository.evidence_held_by(
        session=session, body_id=body_id, hashes=[sha for sha, _ in evidence]
    )
    unknown = sorted(sha for sha, _ in evidence if sha not in held)
    if unknown:
        raise UnprocessableContent(
            "Upload evidence files before citing them.",
            slug="unknown-evidence",
            unknown=unknown,
        )
    return evidence


def _insert_audit(
    *,
    session: Session,
    principal: Principal,
    artisan: Artisan,
    content: AuditContent,
    checked: _CheckedAudit,
    outcome: AuditOutcome,
    body_code: str,
    corrects: int | None,
    key: tuple[str, str] | None,
) -> Audit:
    """Hash the canonical record and insert the audit with its lines, findings, evidence."""
    assert principal.body_id is not None and artisan.id is not None
    assert checked.scheme.id is not None
    submitted_at = utcnow()
    record = canonical_record(
        artisan_public_id=artisan.public_id,
        body_code=body_code,
        inspector_id=principal.user_id,
        scheme_code=checked.scheme.code,
        audit_date=content.audit_date,
        submitted_at=submitted_at,
        outcome=outcome.value,
        corrects_audit_id=corrects,
        product_line_ids=list(content.product_line_ids),
        findings=[canonical for _, canonical in checked.findings],
        evidence=checked.evidence,
        notes=content.notes,
    )
    return repository.add_audit(
        session=session,
        audit=Audit(
            inspector_id=principal.user_id,
            body_id=principal.body_id,
            artisan_id=artisan.id,
            scheme_id=checked.scheme.id,
            audit_date=content.audit_date,
            submitted_at=submitted_at,
            outcome=outcome.value,
            corrects_audit_id=corrects,
            notes=content.notes,
            content_hash=content_hash(record),
            idempotency_key=key[0] if key else None,
            request_hash=key[1] if key else None,
        ),
        product_line_ids=content.product_line_ids,
        findings=[finding for finding, _ in checked.findings],
        evidence=checked.evidence,
    )


def _log_submission(
    *, session: Session, audit: Audit, artisan: Artisan, scheme: LabelScheme, body_code: str
) -> None:
    """Append ``audit.submitted`` to the transparency log."""
    assert audit.id is not None
    payload: dict[str, object] = {
        "audit_id": audit.id,
        "scheme": scheme.code,
        "outcome": audit.outcome,
        "artisan": artisan.public_id,
        "body": body_code,
        "content_hash": audit.content_hash,
    }
    if audit.corrects_audit_id is not None:
        payload["corrects_audit_id"] = audit.corrects_audit_id
    append_event(session, event_type="audit.submitted", payload=payload)


def _check_product_lines(*, session: Session, artisan: Artisan, ids: list[int]) -> None:
    lines = repository.list_product_lines(session=session, ids=ids)
    if len(lines) != len(ids) or any(line.artisan_id != artisan.id for line in lines):
        # One answer whether a line does not exist or is someone else's: no probing.
        raise UnprocessableContent(
            "Every product line must be one of the audited artisan's.",
            slug="product-line-not-of-artisan",
        )


def _refuse_repeated(values: list[str], *, slug: str, what: str) -> None:
    """One finding per criterion, one citation per file: a rule of the audit, not of its
    JSON (unique by one member, which JSON Schema cannot state)."""
    repeated = sorted(value for value, count in Counter(values).items() if count > 1)
    if repeated:
        raise UnprocessableContent(f"The audit lists {what} twice.", slug=slug, repeated=repeated)


def _evaluate(
    *, criteria: list[SchemeCriterion], findings: list[FindingInput]
) -> list[tuple[AuditFinding, CanonicalFinding]]:
    """Match findings to the scheme's criteria and decide each one."""
    _refuse_repeated([f.criterion for f in findings], slug="finding-repeated", what="a criterion")
    by_code = {criterion.code: criterion for criterion in criteria}
    unknown = sorted(f.criterion for f in findings if f.criterion not in by_code)
    if unknown:
        raise UnprocessableContent(
            "These criteria are not part of the scheme.",
            slug="unknown-criterion",
            unknown=unknown,
            expected=sorted(by_code),
        )
    given = {f.criterion for f in findings}
    missing = [code for code in by_code if code not in given]
    if missing:
        raise UnprocessableContent(
            "Every criterion of the scheme needs a finding.",
            slug="missing-findings",
            missing=missing,
        )
    evaluated = []
    for finding in findings:
        criterion = by_code[finding.criterion]
        assert criterion.id is not None
        passed = _finding_passes(criterion, finding)
        row = AuditFinding(
            audit_id=0,  # set when the audit row has its id
            criterion_id=criterion.id,
            passed=passed,
            observed=finding.observed,
            measured_value=finding.measured_value,
            unit=finding.unit,
            notes=finding.notes,
        )
        canonical = CanonicalFinding(
            criterion=criterion.code,
            passed=passed,
            measured_value=finding.measured_value,
            unit=finding.unit,
            observed=finding.observed,
            notes=finding.notes,
        )
        evaluated.append((row, canonical))
    return evaluated


def _finding_passes(criterion: SchemeCriterion, finding: FindingInput) -> bool:
    if criterion.kind == "measured":
        if finding.measured_value is None or finding.unit is None:
            raise UnprocessableContent(
                f"{criterion.code} is measured: send measured_value and unit.",
                slug="finding-kind-mismatch",
                criterion=criterion.code,
            )
        if finding.unit != criterion.unit:
            raise UnprocessableContent(
                f"{criterion.code} is measured in {criterion.unit}.",
                slug="unit-mismatch",
                criterion=criterion.code,
                expected_unit=criterion.unit,
            )
        return measured_passes(
            value=finding.measured_value,
            comparison=criterion.comparison,
            threshold=criterion.threshold,
        )
    if finding.observed is None:
        raise UnprocessableContent(
            f"{criterion.code} is a yes/no criterion: send observed.",
            slug="finding-kind-mismatch",
            criterion=criterion.code,
        )
    return boolean_passes(finding.observed)


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
