"""Issuing certificates from passing audits, and their lifecycle.

Who decides what:

* **certify** — an inspector (holding a live authorisation for the audit's scheme) or an
  admin of the audit's body. Inspectors "decide certificates" (ARCHITECTURE.md), and an
  admin may sign off for an inspector who has since left.
* **suspend / reinstate / withdraw** — body admins only. These are sanctions and their
  lifting, decided by the body rather than by the inspector who certified; an inspector
  who finds a non-conformity records a surveillance audit and the admin acts on it.

Lifecycle (stored status; ``expired`` is derived from ``valid_until`` and never stored)::

    active ──suspend──▶ suspended ──reinstate──▶ active
    active | suspended ──withdraw──▶ withdrawn (final)

Anything else is 409 ``invalid-transition``; an expired certificate can be withdrawn (a
fraud found later must still show) but neither suspended nor reinstated. Every change writes a
:class:`CertificateEvent` (actor, time, reason, from → to) and a log event with the reason
*code* only: the free-text reason may name people and stays out of the public log.

A change locks the certificate's row (``FOR UPDATE`` on PostgreSQL) before it reads the
status, and label issuance holds the same lock from its check to its commit: a suspension
or withdrawal waits for a batch being written (its leaves come first in the log) and every
later batch sees it and issues nothing.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from core import calendar
from core.auth import Principal
from core.keyset import Keyset, KeysetSlice
from core.problems import Conflict, Forbidden, NotFound, UnprocessableContent
from labeling.audits import repository as audits
from labeling.audits.visibility import reader_scope
from labeling.certificates import repository
from labeling.certificates.repository import CertificateFilters, CertificateRow
from labeling.translog.events import append_event
from labeling.webhooks import outbox
from schemas.audits import Audit
from schemas.audits_api import AuditOutcome
from schemas.catalog import LabelScheme
from schemas.certificates import (
    Certificate,
    CertificateAction,
    CertificateEvent,
    CertificateStatus,
)
from schemas.certificates_api import (
    CertificateCreate,
    CertificateEventPublic,
    CertificatePage,
    CertificatePublic,
    CertificateStatusChange,
)
from schemas.types import utcnow
from schemas.webhooks import WebhookEventType
from verify.label_codec import format_certificate_code

__all__ = [
    "ISSUED_REASON",
    "CertificateCursorInvalid",
    "certify",
    "decode_cursor",
    "encode_cursor",
    "get_certificate",
    "history",
    "list_certificates",
    "reinstate",
    "suspend",
    "withdraw",
]

# The reason recorded on the event that issues a certificate; not a client choice.
ISSUED_REASON = "audit_passed"

# How long after its audit a certificate may start: an older audit no longer describes
# the workshop. An assumption of this registry, not a published rule.
MAX_START_AFTER_AUDIT_MONTHS = 12

_CODE_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class _Transition:
    action: CertificateAction
    allowed_from: frozenset[CertificateStatus]
    to_status: CertificateStatus
    allowed_when_expired: bool


_SUSPEND = _Transition(
    CertificateAction.SUSPENDED,
    frozenset({CertificateStatus.ACTIVE}),
    CertificateStatus.SUSPENDED,
    allowed_when_expired=False,
)
_REINSTATE = _Transition(
    CertificateAction.REINSTATED,
    frozenset({CertificateStatus.SUSPENDED}),
    CertificateStatus.ACTIVE,
    allowed_when_expired=False,
)
_WITHDRAW = _Transition(
    CertificateAction.WITHDRAWN,
    frozenset({CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED}),
    CertificateStatus.WITHDRAWN,
    allowed_when_expired=True,
)


class CertificateCursorInvalid(UnprocessableContent):
    slug = "certificate-cursor-invalid"
    title = "The cursor was not issued by this list"


def encode_cursor(created_at: datetime, certificate_id: int) -> str:
    """An opaque keyset cursor: the page that follows starts after this certificate."""
    raw = f"{created_at.isoformat()}|{certificate_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The position :func:`encode_cursor` wrote, or :class:`CertificateCursorInvalid`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _, number = raw.partition("|")
        created_at, certificate_id = datetime.fromisoformat(moment), int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise CertificateCursorInvalid("Pass back the next_cursor of the previous page.") from exc
    if created_at.tzinfo is None or not 0 < certificate_id < 2**63:
        raise CertificateCursorInvalid("Pass back the next_cursor of the previous page.")
    return created_at, certificate_id


def certify(
    *, session: Session, principal: Principal, request: CertificateCreate
) -> CertificatePublic:
    """Issue a certificate from a passing audit of the caller's body."""
    audit, scheme = _audit_ready_to_certify(session, principal, request.audit_id)
    assert audit.id is not None and scheme.id is not None
    scope = _scope_within_audit(session, audit.id, request.product_line_ids)
    window = _validity_window(audit, scheme, request.valid_from)
    certificate = _record_issued_certificate(session, principal, audit, scheme.id, scope, window)
    assert certificate.id is not None
    row = repository.get_certificate_row(
        session=session, certificate_id=certificate.id, scope=reader_scope(principal)
    )
    assert row is not None
    _log_issuance(session, certificate.code, scheme, row, audit, scope, window)
    public = _public(row, sorted(scope))
    session.commit()
    return public


def suspend(
    *,
    session: Session,
    principal: Principal,
    certificate_id: int,
    request: CertificateStatusChange,
) -> CertificatePublic:
    """Suspend an active certificate (labels under it stop verifying as authentic)."""
    return _change(session, principal, certificate_id, request, _SUSPEND)


def reinstate(
    *,
    session: Session,
    principal: Principal,
    certificate_id: int,
    request: CertificateStatusChange,
) -> CertificatePublic:
    """Lift a suspension of a certificate that has not expired meanwhile."""
    return _change(session, principal, certificate_id, request, _REINSTATE)


def withdraw(
    *,
    session: Session,
    principal: Principal,
    certificate_id: int,
    request: CertificateStatusChange,
) -> CertificatePublic:
    """Withdraw a certificate for good."""
    return _change(session, principal, certificate_id, request, _WITHDRAW)


def get_certificate(
    *, session: Session, principal: Principal, certificate_id: int
) -> CertificatePublic:
    row = _visible_row(session, principal, certificate_id)
    assert row.certificate.id is not None
    scope = repository.scope_of(session=session, certificate_ids=[row.certificate.id])
    return _public(row, scope[row.certificate.id])


def list_certificates(
    *,
    session: Session,
    principal: Principal,
    filters: CertificateFilters,
    limit: int,
    offset: int,
    cursor: str | None = None,
) -> CertificatePage:
    """A page of the certificates the reader may see, newest first. ``cursor`` (a page's
    ``next_cursor``) gives the keyset page that follows it; ``offset`` still works."""
    after = decode_cursor(cursor) if cursor is not None else None
    rows, total = repository.list_certificates(
        session=session,
        scope=reader_scope(principal),
        filters=filters,
        today=calendar.registry_today(),
        limit=limit + 1,
        offset=offset,
        after=after,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1].certificate if rows else None
    following = (
        encode_cursor(last.created_at, last.id) if more and last and last.id is not None else None
    )
    scopes = repository.scope_of(
        session=session,
        certificate_ids=[row.certificate.id for row in rows if row.certificate.id is not None],
    )
    items = [_public(row, scopes.get(row.certificate.id or 0, [])) for row in rows]
    return CertificatePage(
        items=items, total=total, limit=limit, offset=offset, next_cursor=following
    )


def certificate_keyset_page(
    *, session: Session, principal: Principal, filters: CertificateFilters, keyset: Keyset
) -> KeysetSlice[CertificatePublic]:
    """A keyset page, either way, of the certificates the reader may see, newest first."""
    rows, _ = repository.list_certificates(
        session=session,
        scope=reader_scope(principal),
        filters=filters,
        today=calendar.registry_today(),
        limit=keyset.fetch,
        offset=0,
        keyset=keyset,
    )
    scopes = repository.scope_of(
        session=session,
        certificate_ids=[row.certificate.id for row in rows if row.certificate.id is not None],
    )
    items = [_public(row, scopes.get(row.certificate.id or 0, [])) for row in rows]
    return keyset.slice(items, lambda certificate: (certificate.created_at, certificate.id))


def history(
    *, session: Session, principal: Principal, certificate_id: int
) -> list[CertificateEventPublic]:
    """Every change of the certificate, oldest first, issuance included."""
    _visible_row(session, principal, certificate_id)
    return [
        CertificateEventPublic(
            action=event.action,
            from_status=event.from_status,
            to_status=event.to_status,
            reason_code=event.reason_code,
            reason_text=event.reason_text,
            actor_id=event.actor_id,
            at=event.at,
        )
        for event in repository.list_events(session=session, certificate_id=certificate_id)
    ]


# --- internals ------------------------------------------------------------------------------


def _audit_ready_to_certify(
    session: Session, principal: Principal, audit_id: int
) -> tuple[Audit, LabelScheme]:
    """The caller's audit (row-locked) and its scheme, once the caller may certify it and
    the audit passed, has no certificate yet and was not corrected."""
    if not (principal.is_inspector or principal.is_admin) or principal.body_id is None:
        raise Forbidden("Only an inspector or admin of a body certifies.")
    # Locking the audit row makes two simultaneous requests for the same audit queue up:
    # the second sees the first's certificate and is refused.
    audit = audits.get_audit(session=session, audit_id=audit_id, for_update=True)
    if audit is None or audit.id is None or audit.body_id != principal.body_id:
        raise NotFound("No such audit.", slug="audit-not-found")
    scheme = audits.get_scheme_by_id(session=session, scheme_id=audit.scheme_id)
    assert scheme is not None and scheme.id is not None, "audit.scheme_id is a foreign key"
    if principal.is_inspector and not audits.has_live_authorisation(
        session=session, inspector_id=principal.user_id, scheme_id=scheme.id
    ):
        raise Forbidden(
            f"You are not authorised to certify for {scheme.code}.",
            slug="not-authorised-for-scheme",
            title="Not authorised for this scheme",
        )
    if audit.outcome != AuditOutcome.PASS.value:
        raise UnprocessableContent(
            "Only a passing audit can be certified.", slug="audit-not-passing"
        )
    existing = repository.certificate_for_audit(session=session, audit_id=audit.id)
    if existing is not None:
        raise Conflict(
            "A certificate was already issued from this audit.",
            slug="audit-already-certified",
            certificate_id=existing.id,
        )
    corrected_by = audits.find_correction_of(session=session, audit_id=audit.id)
    if corrected_by is not None:
        raise Conflict(
            "This audit was corrected; certify from the correction.",
            slug="audit-superseded",
            corrected_by_audit_id=corrected_by,
        )
    return audit, scheme


def _scope_within_audit(session: Session, audit_id: int, requested: list[int] | None) -> list[int]:
    """The product lines the certificate covers: those asked for, or all the audit covered."""
    audited_lines = audits.list_audit_product_line_ids(session=session, audit_id=audit_id)
    scope = requested or audited_lines
    if not set(scope) <= set(audited_lines):
        raise UnprocessableContent(
            "The scope may only include product lines the audit covered.",
            slug="scope-outside-audit",
        )
    return scope


def _validity_window(
    audit: Audit, scheme: LabelScheme, requested_from: date | None
) -> tuple[date, date]:
    """First and last day of validity: starting on or after the audit (within
    :data:`MAX_START_AFTER_AUDIT_MONTHS`) and not already over today."""
    valid_from = requested_from or audit.audit_date
    if valid_from < audit.audit_date:
        raise UnprocessableContent(
            "Validity cannot start before the audit date.", slug="valid-from-before-audit"
        )
    if valid_from > calendar.add_months(audit.audit_date, MAX_START_AFTER_AUDIT_MONTHS):
        raise UnprocessableContent(
            f"Validity must start within {MAX_START_AFTER_AUDIT_MONTHS} months of the audit.",
            slug="valid-from-too-late",
        )
    # The window is inclusive: 36 months from 2025-03-15 ends on 2028-03-14.
    valid_until = calendar.add_months(valid_from, scheme.validity_months) - timedelta(days=1)
    if valid_until < calendar.registry_today():
        raise UnprocessableContent(
            "This audit is too old: the certificate would already be expired.",
            slug="certificate-would-be-expired",
        )
    return valid_from, valid_until


def _record_issued_certificate(
    session: Session,
    principal: Principal,
    audit: Audit,
    scheme_id: int,
    scope: list[int],
    window: tuple[date, date],
) -> Certificate:
    """Store the new active certificate, its scope and its ``issued`` event."""
    assert audit.id is not None
    valid_from, valid_until = window
    now = utcnow()
    return repository.add_certificate(
        session=session,
        certificate=Certificate(
            code=_draw_code(session),
            artisan_id=audit.artisan_id,
            body_id=audit.body_id,
            scheme_id=scheme_id,
            audit_id=audit.id,
            valid_from=valid_from,
            valid_until=valid_until,
            status=CertificateStatus.ACTIVE.value,
            created_by=principal.user_id,
            created_at=now,
            status_changed_at=now,
        ),
        product_line_ids=sorted(scope),
        issued=CertificateEvent(
            certificate_id=0,  # set once the certificate row has its id
            action=CertificateAction.ISSUED.value,
            from_status=None,
            to_status=CertificateStatus.ACTIVE.value,
            reason_code=ISSUED_REASON,
            actor_id=principal.user_id,
            at=now,
        ),
    )


def _log_issuance(
    session: Session,
    certificate_code: int,
    scheme: LabelScheme,
    row: CertificateRow,
    audit: Audit,
    scope: list[int],
    window: tuple[date, date],
) -> None:
    """Append ``certificate.issued`` to the public log (no personal data)."""
    valid_from, valid_until = window
    append_event(
        session,
        event_type="certificate.issued",
        payload={
            "certificate_code": certificate_code,
            "scheme": scheme.code,
            "level": scheme.level,
            "artisan": row.artisan_public_id,
            "body": row.body_code,
            "audit_id": audit.id,
            "audit_content_hash": audit.content_hash,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
            "product_line_ids": sorted(scope),
        },
    )


def _draw_code(session: Session) -> int:
    """A random, unused, non-zero 32-bit code: unguessable and carrying no order."""
    for _ in range(_CODE_ATTEMPTS):
        code = secrets.randbits(32)
        if code and not repository.code_taken(session=session, code=code):
            return code
    # Eight collisions in a row among 4 billion codes means the generator is broken.
    raise RuntimeError("could not draw an unused certificate code")


def _visible_row(session: Session, principal: Principal, certificate_id: int) -> CertificateRow:
    row = repository.get_certificate_row(
        session=session, certificate_id=certificate_id, scope=reader_scope(principal)
    )
    if row is None:
        raise NotFound("No such certificate.", slug="certificate-not-found")
    return row


def _change(
    session: Session,
    principal: Principal,
    certificate_id: int,
    request: CertificateStatusChange,
    transition: _Transition,
) -> CertificatePublic:
    """Apply ``transition`` for an admin of the certificate's body, in one transaction: the
    new status, its event, the public log entry and the retailers' outbox commit together."""
    certificate = _certificate_to_change(session, principal, certificate_id)
    stored = CertificateStatus(certificate.status)
    _check_transition(certificate, transition)
    now = utcnow()
    certificate.status = transition.to_status.value
    certificate.status_changed_at = now
    repository.add_event(
        session=session,
        certificate=certificate,
        event=CertificateEvent(
            certificate_id=certificate_id,
            action=transition.action.value,
            from_status=stored.value,
            to_status=transition.to_status.value,
            reason_code=request.reason_code.value,
            reason_text=request.reason_text,
            actor_id=principal.user_id,
            at=now,
        ),
    )
    _announce_change(session, certificate, request, transition, from_status=stored, at=now)
    row = _visible_row(session, principal, certificate_id)
    scope = repository.scope_of(session=session, certificate_ids=[certificate_id])
    public = _public(row, scope[certificate_id])
    session.commit()
    return public


def _certificate_to_change(
    session: Session, principal: Principal, certificate_id: int
) -> Certificate:
    """The certificate, locked for update, if the principal is an admin of its body."""
    if not principal.is_admin or principal.body_id is None:
        raise Forbidden("Only a body admin changes a certificate's status.")
    certificate = repository.get_certificate(
        session=session, certificate_id=certificate_id, for_update=True
    )
    if certificate is None or certificate.body_id != principal.body_id:
        raise NotFound("No such certificate.", slug="certificate-not-found")
    return certificate


def _check_transition(certificate: Certificate, transition: _Transition) -> None:
    """Raise ``Conflict`` unless ``transition`` may start from the certificate's status
    (an expired certificate only allows the transitions marked ``allowed_when_expired``)."""
    stored = CertificateStatus(certificate.status)
    effective = certificate.effective_status(calendar.registry_today())
    expired_blocks = effective is CertificateStatus.EXPIRED and not transition.allowed_when_expired
    if stored not in transition.allowed_from or expired_blocks:
        raise Conflict(
            f"A certificate that is {effective.value} cannot be {transition.action.value}.",
            slug="invalid-transition",
            title="Invalid status transition",
            status_now=effective.value,
        )


def _announce_change(
    session: Session,
    certificate: Certificate,
    request: CertificateStatusChange,
    transition: _Transition,
    *,
    from_status: CertificateStatus,
    at: datetime,
) -> None:
    """Append the change to the public log and queue it for the retailers that received
    labels under the certificate (the outbox), in the caller's transaction."""
    assert certificate.id is not None
    scheme = audits.get_scheme_by_id(session=session, scheme_id=certificate.scheme_id)
    assert scheme is not None
    append_event(
        session,
        event_type=f"certificate.{transition.action.value}",
        payload={
            "certificate_code": certificate.code,
            "scheme": scheme.code,
            "reason_code": request.reason_code.value,
            "from_status": from_status.value,
            "to_status": transition.to_status.value,
        },
    )
    outbox.certificate_changed(
        session,
        certificate_id=certificate.id,
        certificate_code=format_certificate_code(certificate.code),
        event_type=WebhookEventType(f"certificate.{transition.action.value}"),
        from_status=from_status.value,
        to_status=transition.to_status.value,
        reason_code=request.reason_code.value,
        at=at,
    )


def _public(row: CertificateRow, product_line_ids: list[int]) -> CertificatePublic:
    certificate = row.certificate
    assert certificate.id is not None
    return CertificatePublic(
        id=certificate.id,
        code=format_certificate_code(certificate.code),
        status=certificate.effective_status(calendar.registry_today()),
        artisan_id=certificate.artisan_id,
        artisan_public_id=row.artisan_public_id,
        artisan_display_name_latin=row.artisan_display_name_latin,
        artisan_display_name_arabic=row.artisan_display_name_arabic,
        region_code=row.region_code,
        body_code=row.body_code,
        scheme_code=row.scheme_code,
        scheme_name=row.scheme_name,
        level=row.level,
        level_name=row.level_name,
        audit_id=certificate.audit_id,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        product_line_ids=product_line_ids,
        created_at=certificate.created_at,
        status_changed_at=certificate.status_changed_at,
    )
