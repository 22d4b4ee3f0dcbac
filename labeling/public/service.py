"""The public pages' facts: a certificate's public page and its badge status, by code.

Certificate codes are read leniently (``c-1z8k3qd``, ``C 1Z8K 3QD``), as Crockford base32
intends for typed input; anything that is not a code is simply not found.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from labeling.public import repository
from labeling.public.errors import CertificateNotFound
from labeling.verification.evidence import evidence_of
from labeling.verification.facts import BY_CODE, load_certificates, session_runner
from verify.label_codec import LabelFormatError, format_certificate_code, parse_certificate_code
from verify.pages import CertificatePage
from verify.pages.typed import PrintedLabel

__all__ = [
    "badge_status",
    "certificate_page",
    "effective_status",
    "existing_certificate",
    "parse_code",
    "printed_labels",
]


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


def certificate_page(*, session: Session, code_text: str, today: date) -> CertificatePage:
    """The public facts of the certificate ``code_text``; :class:`CertificateNotFound`.

    The facts come through the one mapper of :mod:`labeling.verification.facts`, as the
    verdicts' and the snapshots' do.
    """
    run, mark = session_runner(session)
    found = load_certificates(run, mark, where=BY_CODE, params=(parse_code(code_text),))
    if not found:
        raise CertificateNotFound("No certificate has this code.")
    record = found[0]
    facts = record.facts
    status = effective_status(facts.status, facts.valid_until, today)
    if status == "expired":
        since: date | None = facts.valid_until
    elif status in ("suspended", "withdrawn") and record.status_changed_at is not None:
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
        assumptions=frozenset(record.assumptions),
    )


def badge_status(*, session: Session, code_text: str, today: date) -> tuple[str, str]:
    """The effective status and the canonical code of a certificate, for its badge."""
    code = parse_code(code_text)
    found = repository.certificate_status(session=session, code=code)
    if found is None:
        raise CertificateNotFound("No certificate has this code.")
    status, valid_until = found
    return effective_status(status, valid_until, today), format_certificate_code(code)


def existing_certificate(*, session: Session, code: int) -> str | None:
    """The printed code of certificate ``code`` (``C-1D1FG6Y``), or ``None`` if none has it."""
    if repository.certificate_status(session=session, code=code) is None:
        return None
    return format_certificate_code(code)


def printed_labels(
    *, session: Session, serial: str, gtin: str | None, today: date
) -> list[PrintedLabel]:
    """The public record of the labels issued with ``serial`` (under ``gtin``, if given):
    what a person who typed the serial from a label may learn (see verify.pages.typed),
    with the evidence of copying the label URL's verdict reads (its SUSPICIOUS reasons)."""
    return [
        PrintedLabel(
            gtin=row.gtin,
            serial=row.serial,
            status=row.status,
            status_reason=row.status_reason,
            product_line=row.product_line,
            certificate_code=format_certificate_code(row.certificate_code),
            certificate_status=effective_status(
                row.certificate_status, row.certificate_valid_until, today
            ),
            evidence=evidence_of(repository.marks_of_label(session=session, label_id=row.label_id)),
        )
        for row in repository.labels_by_serial(session=session, serial=serial, gtin=gtin)
    ]
