"""The public pages' facts: a certificate's public page and its badge status, by code.

Certificate codes are read leniently (``c-1z8k3qd``, ``C 1Z8K 3QD``), as Crockford base32
intends for typed input; anything that is not a code is simply not found.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from labeling.public import repository
from labeling.public.errors import CertificateNotFound
from verify.label_codec import LabelFormatError, format_certificate_code, parse_certificate_code
from verify.pages import CertificatePage
from verify.verdict import ArtisanFacts, CertificateFacts, Conformity, StandardFacts

__all__ = ["badge_status", "certificate_page", "effective_status", "parse_code"]


def parse_code(text: str) -> int:
    try:
        return parse_certificate_code(text)
    except LabelFormatError as exc:
        raise CertificateNotFound("No certificate has this code.") from exc


def effective_status(stored: str, valid_until: date, today: date) -> str:
    """What a reader sees: withdrawn is final; past its window a certificate is expired."""
    if stored == "withdrawn":
        return stored
    if today > valid_until:
        return "expired"
    return stored


def _record(session: Session, code_text: str) -> repository.CertificateRecord:
    record = repository.certificate_by_code(session=session, code=parse_code(code_text))
    if record is None:
        raise CertificateNotFound("No certificate has this code.")
    return record


def certificate_page(*, session: Session, code_text: str, today: date) -> CertificatePage:
    """The public facts of the certificate ``code_text``; :class:`CertificateNotFound`."""
    record = _record(session, code_text)
    status = effective_status(record.status, record.valid_until, today)
    event = repository.latest_event(session=session, certificate_id=record.certificate_id)
    reason = event.reason_code if event and status in ("suspended", "withdrawn") else None
    found_standards = repository.standards(session=session, codes=record.scheme_standards)
    facts = CertificateFacts(
        code=format_certificate_code(record.code),
        status=record.status,
        status_reason=reason,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        conformity=Conformity(
            scheme_code=record.scheme_code,
            scheme_name=record.scheme_name,
            level=record.level,
            level_name=record.level_name,
            standards=tuple(StandardFacts(code, title) for code, title, _ in found_standards),
            criteria_met=(),
            audit_date=record.audit_date,
            audit_outcome=record.audit_outcome,
            body_code=record.body_code,
            body_name=record.body_name,
        ),
        artisan=ArtisanFacts(
            display_name_latin=record.artisan_latin,
            display_name_arabic=record.artisan_arabic,
            region_code=record.region_code,
            region_name=record.region_name,
            craft=record.craft,
        ),
    )
    assumptions = {
        name
        for name, flag in (
            ("scheme", record.scheme_is_assumption),
            ("body", record.body_is_assumption),
            ("craft", record.craft_is_assumption),
            ("standards", any(assumed for _, _, assumed in found_standards)),
        )
        if flag
    }
    if status == "expired":
        since: date | None = record.valid_until
    elif status in ("suspended", "withdrawn"):
        since = record.status_changed_at.date()
    else:
        since = None
    return CertificatePage(
        facts=facts,
        status=status,
        status_since=since,
        product_lines=tuple(
            repository.product_line_names(session=session, certificate_id=record.certificate_id)
        ),
        assumptions=frozenset(assumptions),
    )


def badge_status(*, session: Session, code_text: str, today: date) -> tuple[str, str]:
    """The effective status and the canonical code of a certificate, for its badge."""
    record = _record(session, code_text)
    return (
        effective_status(record.status, record.valid_until, today),
        format_certificate_code(record.code),
    )
