"""The checks a verification runs, one function each (docs/verification.md §3): the
``signature``, ``issuer_key``, ``label_status`` and certificate checks, ``copy_evidence``,
and the fixed checks every run shares. :mod:`verify.verifier` runs them in order;
:mod:`verify.decision` decides the verdict from them.

Each check is a pure function of a label and its facts, and returns a
:class:`~verify.verdict.Check`. Imports nothing from ``labeling``; never sees a private key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Final

from cryptography.exceptions import InvalidSignature

from verify.certificate_facts import CertificateFacts
from verify.decision import COPY_EVIDENCE_REASONS
from verify.label_codec import LabelToken, format_certificate_code
from verify.source import CopyEvidence, KeyFacts, LabelRecord
from verify.trust_list import format_time
from verify.verdict import CHECK_NAMES, Check, Outcome

__all__ = [
    "KEY_UNAVAILABLE",
    "NOT_CHECKED",
    "VALIDITY_GRACE",
    "certificate_checks",
    "certificate_text",
    "copy_evidence_check",
    "failed_check",
    "key_check",
    "label_check",
    "make_check",
    "signature_check",
]

#: Issue times are UTC minutes; a certificate's dates are Morocco-local days: a label
#: issued in the first hour of a certificate's first day is given a day's grace.
VALIDITY_GRACE: Final = timedelta(days=1)


def make_check(
    name: str, outcome: Outcome, reason: str, detail: Mapping[str, Any] | None = None
) -> Check:
    return Check(name=name, outcome=outcome, reason=reason, detail=detail)


def failed_check(name: str, reason: str) -> Check:
    return make_check(name, Outcome.FAILED, reason)


# The checks whose every part is fixed.
NOT_CHECKED: Final = tuple(
    make_check(name, Outcome.NOT_APPLICABLE, "not_checked") for name in CHECK_NAMES
)
KEY_UNAVAILABLE: Final = make_check(
    "signature", Outcome.NOT_APPLICABLE, "not_checked_key_unavailable"
)
_SIGNATURE_ON_RECORD: Final = make_check("signature", Outcome.PASSED, "signature_matches_record")
_SIGNATURE_VALID: Final = make_check("signature", Outcome.PASSED, "signature_valid")
_LABEL_ACTIVE: Final = make_check("label_status", Outcome.PASSED, "label_active")
_LABEL_NOT_LISTED: Final = make_check("label_status", Outcome.PASSED, "label_not_listed")
_CERTIFICATE_ACTIVE: Final = make_check("certificate_status", Outcome.PASSED, "certificate_active")
_NO_CERTIFICATE: Final = (
    failed_check("certificate_status", "certificate_not_found"),
    make_check("certificate_validity", Outcome.NOT_APPLICABLE, "certificate_not_found"),
    make_check("conformity", Outcome.NOT_APPLICABLE, "certificate_not_found"),
)


def copy_evidence_check(evidence: tuple[CopyEvidence, ...]) -> Check | None:
    """The ``copy_evidence`` check: failed, with the most telling reason the evidence holds
    and every piece of it (in :data:`COPY_EVIDENCE_REASONS` order) as its detail; None when
    no piece has a reason this verifier knows."""
    known = sorted(
        (item for item in evidence if item.reason in _COPY_RANK),
        key=lambda item: _COPY_RANK[item.reason],
    )
    if not known:
        return None
    detail = {"evidence": [item.public() for item in known]}
    return make_check("copy_evidence", Outcome.FAILED, known[0].reason, detail)


_COPY_RANK: Final = {reason: index for index, reason in enumerate(COPY_EVIDENCE_REASONS)}


def signature_check(token: LabelToken, key: KeyFacts, record: LabelRecord | None) -> Check:
    if record is not None and record.signature is not None:
        # Online: the registry stored what it signed when it issued the label; the
        # presented claim must be that record exactly (one cryptographic check at issuance,
        # a constant-time comparison per scan).
        if not record.matches(token):
            return failed_check("signature", "signature_not_on_record")
        return _SIGNATURE_ON_RECORD
    try:
        key.public_key.verify(token.signature, token.signed_bytes())
    except InvalidSignature:
        return failed_check("signature", "signature_invalid")
    return _SIGNATURE_VALID


def key_check(
    key: KeyFacts, token: LabelToken, record: LabelRecord | None, authoritative: bool
) -> Check:
    if key.compromised_since is not None:
        # A thief back-dates freely, so only an attested time (the log entry of a label
        # the registry itself issued) can clear a signature made before the compromise.
        attested = record.logged_at if (authoritative and record is not None) else None
        after = attested is not None and attested < key.compromised_since
        return make_check(
            "issuer_key",
            Outcome.WARNING if after else Outcome.FAILED,
            "key_compromised_after_signing" if after else "key_compromised",
            {"compromised_since": format_time(key.compromised_since)},
        )
    if token.issued_at < key.not_before:
        return failed_check("issuer_key", "key_not_yet_valid")
    if key.retired_at is not None and token.issued_at >= key.retired_at:
        return failed_check("issuer_key", "key_retired")
    return _trusted(key.kid)


def label_check(record: LabelRecord | None) -> Check:
    if record is None:
        return failed_check("label_status", "label_not_found")
    if record.status in ("revoked", "suspended"):
        detail = {"reason_code": record.reason} if record.reason else None
        return make_check("label_status", Outcome.FAILED, f"label_{record.status}", detail)
    return _LABEL_ACTIVE if record.listed else _LABEL_NOT_LISTED


def certificate_checks(
    certificate: CertificateFacts | None, token: LabelToken, now: datetime
) -> tuple[Check, ...]:
    """``certificate_status``, ``certificate_validity`` and ``conformity``."""
    if certificate is None:
        return _NO_CERTIFICATE
    valid_from, valid_until = certificate.valid_from, certificate.valid_until
    within = valid_from - VALIDITY_GRACE <= token.issued_at.date() <= valid_until
    return _derived(certificate, within, now.date() > valid_until)


# ------------------------------------------------------------------------- memoised
# The checks that depend only on a key or a certificate (and a certificate code's text) are
# pure functions of frozen values: each is made once per value rather than once per scan.
# This buys bench/verify_offline.py about 0.06 of the ratio (1.32 without, 1.26 with, on
# the shared 2-core machine); it changes no answer (tests/verification/test_golden_verdicts.py).
# The certificate's checks are remembered by certificate code and compared by value, which is
# `is` for the facts object a source hands out again: hashing the whole frozen model, as an
# lru_cache would, costs 0.8 us a scan, about 0.01 of the ratio.

certificate_text = lru_cache(maxsize=4096)(format_certificate_code)
_DERIVED_MAX: Final = 4096
_derived_checks: dict[tuple[str, bool, bool], tuple[CertificateFacts, tuple[Check, ...]]] = {}


@lru_cache(maxsize=1024)
def _trusted(kid: str) -> Check:
    return make_check("issuer_key", Outcome.PASSED, "key_trusted", {"kid": kid})


def _derived(certificate: CertificateFacts, within: bool, expired: bool) -> tuple[Check, ...]:
    key = (certificate.code, within, expired)
    known = _derived_checks.get(key)
    if known is not None and (known[0] is certificate or known[0] == certificate):
        return known[1]
    checks = _derive(certificate, within, expired)
    if len(_derived_checks) >= _DERIVED_MAX:
        _derived_checks.clear()  # bounded: junk certificates cannot grow it
    _derived_checks[key] = (certificate, checks)
    return checks


def _derive(certificate: CertificateFacts, within: bool, expired: bool) -> tuple[Check, ...]:
    valid_from, valid_until = certificate.valid_from, certificate.valid_until
    validity = make_check(
        "certificate_validity",
        Outcome.PASSED if within else Outcome.FAILED,
        "issued_within_validity" if within else "issued_outside_validity",
        {"valid_from": valid_from.isoformat(), "valid_until": valid_until.isoformat()},
    )
    conformity = certificate.conformity
    if conformity.audit_outcome != "pass":
        recorded = failed_check("conformity", "audit_not_passed")
    else:
        recorded = make_check(
            "conformity", Outcome.PASSED, "conformity_recorded", conformity.public()
        )
    return _certificate_status(certificate, expired), validity, recorded


def _certificate_status(certificate: CertificateFacts, expired: bool) -> Check:
    if certificate.status in ("withdrawn", "suspended"):
        reason = certificate.status_reason
        detail = {"reason_code": reason} if reason else None
        return make_check(
            "certificate_status", Outcome.FAILED, f"certificate_{certificate.status}", detail
        )
    if expired:
        return make_check(
            "certificate_status",
            Outcome.WARNING,
            "certificate_expired",
            {"valid_until": certificate.valid_until.isoformat()},
        )
    return _CERTIFICATE_ACTIVE
