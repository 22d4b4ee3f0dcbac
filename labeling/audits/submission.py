"""One audit submission checked, decided and inserted.

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
transparency log. The caller (:mod:`labeling.audits.service`) makes a submission count
exactly once and commits: all in one transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session

from core import calendar
from core.auth import Principal
from core.problems import Forbidden, NotFound, UnprocessableContent
from labeling.audits import repository
from labeling.audits.outcome import audit_outcome, boolean_passes, measured_passes
from labeling.audits.record import CanonicalFinding, canonical_record, content_hash
from labeling.audits.repository import AuditRow
from labeling.translog.events import append_event
from schemas.audits import Audit, AuditFinding
from schemas.audits_api import AuditContent, AuditOutcome, FindingInput
from schemas.catalog import LabelScheme, SchemeCriterion
from schemas.registry import Artisan
from schemas.types import utcnow

__all__ = ["artisan_of_body", "insert_submission", "require_inspector"]


def require_inspector(principal: Principal) -> None:
    # The route admits inspectors only; this guards the service's other callers (the demo
    # loader, scripts) the same way.
    if not principal.is_inspector or principal.body_id is None:
        raise Forbidden("Only an inspector of a body records audits.")


def artisan_of_body(*, session: Session, principal: Principal, artisan_id: int) -> Artisan:
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


def insert_submission(
    *,
    session: Session,
    principal: Principal,
    artisan: Artisan,
    content: AuditContent,
    corrects: int | None,
    key: tuple[str, str] | None = None,
) -> AuditRow:
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
    return AuditRow(audit, artisan.public_id, scheme.code, scheme.name, body_code)


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
