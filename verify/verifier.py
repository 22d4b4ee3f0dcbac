"""The verifier: a label and a source of facts in, a :class:`~verify.verdict.Verdict` out.

:func:`verify_label` takes a :class:`VerificationSource` — the registry's database online
(``labeling.verification``), a signed trust list and status snapshots offline
(:mod:`verify.offline`) — and runs the eight checks of docs/verification.md in order:

1. ``signature``: the label is the claim the registry stored (online), or its Ed25519
   signature verifies (a source without the stored claim);
2. ``issuer_key``: the key could sign it then (not compromised, retired, not yet valid);
3. ``label_status``; 4.–6. ``certificate_status``, ``certificate_validity``,
   ``conformity``; 7. ``log_inclusion``; 8. ``data_freshness`` (the last two: the source's);
   then ``copy_evidence``, only when the source's record of the label carries evidence that
   it was copied (:class:`CopyEvidence`): the verdict is then SUSPICIOUS unless a status
   or a forgery decides it first.

A check that settles the verdict early (a forgery, an unknown key or label) stops the run:
the checks after it are ``not_checked`` and the verdict shows no certificate facts.

This module is pure and shared by every channel; it imports nothing from ``labeling`` and
never sees a private key.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Final, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verify.item import ItemFacts, item_of
from verify.label_codec import (
    LabelFormatError,
    LabelToken,
    format_certificate_code,
    parse_label_uri,
)
from verify.trust_list import format_time
from verify.verdict import (
    CHECK_NAMES,
    COPY_EVIDENCE_REASONS,
    CertificateFacts,
    Check,
    Outcome,
    Overall,
    Verdict,
    decide,
    reasons_of,
)

__all__ = [
    "FUTURE_TOLERANCE",
    "CopyEvidence",
    "KeyFacts",
    "LabelRecord",
    "VerificationSource",
    "verify_label",
    "verify_token",
]

#: How far in the future a label's issue time may be before it is refused.
FUTURE_TOLERANCE: Final = timedelta(hours=24)
#: Issue times are UTC minutes; a certificate's dates are Morocco-local days: a label
#: issued in the first hour of a certificate's first day is given a day's grace.
VALIDITY_GRACE: Final = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class KeyFacts:
    """What a verifier knows about a label key (from the trust list or the keyring)."""

    kid: str
    public_key: Ed25519PublicKey
    not_before: datetime
    retired_at: datetime | None = None
    compromised_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class CopyEvidence:
    """One piece of evidence that a label was copied (docs/verification.md §3,
    ``copy_evidence``): its reason code and, where the source knows them, when it was
    seen (``on``, a day), in which country (``country``: a receipt's), the countries and
    scans counted over ``window_days`` days. Nothing about any person."""

    reason: str
    on: date | None = None
    country: str | None = None
    countries: tuple[str, ...] = ()
    scans: int | None = None
    window_days: int | None = None

    def public(self) -> dict[str, Any]:
        """The evidence as the check's detail shows it (absent members left out)."""
        shown: dict[str, Any] = {"reason": self.reason}
        if self.on is not None:
            shown["on"] = self.on.isoformat()
        if self.country is not None:
            shown["country"] = self.country
        if self.countries:
            shown["countries"] = list(self.countries)
        if self.scans is not None:
            shown["scans"] = self.scans
        if self.window_days is not None:
            shown["window_days"] = self.window_days
        return shown


@dataclass(frozen=True, slots=True)
class LabelRecord:
    """The registry's record of a label, as far as the source knows it.

    ``listed`` is ``False`` when the source cannot know the label individually (an offline
    snapshot lists only labels whose status changed): the label is then taken as active.
    ``log_index`` is the label's transparency-log leaf (online only).

    ``signature`` (with ``kid``, ``issued_at`` and ``certificate_code``) is the claim the
    registry itself signed and stored, when the source has it (online). The registry
    knows what it signed, so such a label is checked by comparing the presented claim with
    the record (constant time) instead of repeating the Ed25519 verification per scan.

    ``evidence`` is what the source holds that says the label was copied (empty: nothing).
    """

    status: str  # "active" | "suspended" | "revoked"
    reason: str | None = None
    listed: bool = True
    log_index: int | None = None
    logged_at: datetime | None = None
    signature: bytes | None = None
    kid: str | None = None
    issued_at: datetime | None = None
    certificate_code: int | None = None
    evidence: tuple[CopyEvidence, ...] = ()

    def matches(self, token: LabelToken) -> bool:
        """Whether ``token`` is exactly the claim on record (signature compared in
        constant time; the other fields are public and compared plainly)."""
        if self.signature is None:
            return False
        same_claim = (
            self.kid == token.kid
            and self.issued_at == token.issued_at
            and self.certificate_code == token.certificate_code
        )
        return hmac.compare_digest(self.signature, token.signature) and same_claim


class VerificationSource(Protocol):
    """Where a verifier's facts come from (the registry online, snapshots offline)."""

    #: Whether the source knows every key and label the registry issued (online). An
    #: authoritative source turns "never heard of it" into INVALID; offline into UNKNOWN.
    authoritative: bool
    mode: str

    def key(self, kid: str) -> KeyFacts | None: ...

    def label(self, token: LabelToken) -> LabelRecord | None: ...

    def certificate(self, code: int) -> CertificateFacts | None: ...

    def log_inclusion(self, token: LabelToken, record: LabelRecord | None) -> Check: ...

    def freshness(self, now: datetime) -> Check: ...

    def data_as_of(self) -> datetime | None: ...


# ------------------------------------------------------------------------ verification


def verify_label(uri: str, source: VerificationSource, *, now: datetime) -> Verdict:
    """Verify a label URI against ``source``. Never raises on bad input: a malformed,
    truncated, oversized or tampered URI is an INVALID verdict with its reason code."""
    try:
        token = parse_label_uri(uri)
    except LabelFormatError as exc:
        # Not a label: the parse failure is the signature check's; nothing else is known.
        return _verdict([_failed("signature", exc.code)], source, now, label=None)
    return verify_token(token, source, now=now)


def verify_token(token: LabelToken, source: VerificationSource, *, now: datetime) -> Verdict:
    """Verify a parsed label (see :func:`verify_label`)."""
    checks, certificate = _run(token, source, now)
    if certificate is not None and certificate.status == "active":
        if now.date() > certificate.valid_until:
            certificate = certificate.model_copy(update={"status": "expired"})
    label = {  # the LabelFacts: made with the verdict, in one validation
        "gtin": token.gtin,
        "serial": token.serial,
        "issued_at": token.issued_at,
        "kid": token.kid,
        "certificate_code": _certificate_text(token.certificate_code),
    }
    item = item_of(source, token.gtin) if certificate is not None else None
    return _verdict(checks, source, now, label=label, certificate=certificate, item=item)


def _run(
    token: LabelToken, source: VerificationSource, now: datetime
) -> tuple[list[Check], CertificateFacts | None]:
    """The checks in order, up to the one that settles the verdict if one does early, and
    the certificate's facts when the label is genuine enough for them to be shown."""
    if token.issued_at > now + FUTURE_TOLERANCE:
        return [_failed("signature", "issued_at_future")], None
    key = source.key(token.kid)
    if key is None:
        return [_KEY_UNAVAILABLE, _failed("issuer_key", "key_unknown")], None
    # The signature first: nothing else the label says means anything until it verifies.
    record = source.label(token)
    signature = _signature_check(token, key, record)
    if signature.outcome is Outcome.FAILED:
        return [signature], None
    issuer_key = _key_check(key, token, record, source.authoritative)
    if issuer_key.outcome is Outcome.FAILED:
        # Signed by a key that could not sign it then (compromised, retired, not yet
        # valid): a forgery made with a real key. Nothing it says about a certificate is
        # shown, as for any other forgery (the page would otherwise name the artisan).
        return [signature, issuer_key], None
    label_status = _label_check(record)
    if record is None and source.authoritative:
        # The registry knows every label it issued: a validly signed label it never
        # issued is a forgery (a stolen key, a signer used outside issuance).
        return [signature, issuer_key, label_status], None
    certificate = source.certificate(token.certificate_code)
    checks = [signature, issuer_key, label_status, *_certificate_checks(certificate, token, now)]
    checks += [source.log_inclusion(token, record), source.freshness(now)]
    if record is not None and record.evidence:  # most labels carry none
        copied = copy_evidence_check(record.evidence)
        if copied is not None:
            checks.append(copied)
    return checks, certificate


def _verdict(
    checks: list[Check],
    source: VerificationSource,
    now: datetime,
    *,
    label: Mapping[str, Any] | None,
    certificate: CertificateFacts | None = None,
    item: ItemFacts | None = None,
) -> Verdict:
    """The verdict on ``checks``, the checks a run made in order: those it did not reach
    are ``not_checked``."""
    every = (*checks, *_NOT_CHECKED[len(checks) :])
    overall = decide(every, authoritative=source.authoritative)
    return _validate_verdict(
        {
            "verdict": overall,
            "reasons": () if overall is Overall.AUTHENTIC else reasons_of(every),
            "checks": every,
            "label": label,
            "certificate": certificate,
            "item": item,
            "mode": source.mode,
            "data_as_of": source.data_as_of(),
            "checked_at": now.replace(microsecond=0) if now.microsecond else now,
        }
    )


#: ``Verdict.model_validate`` without its keyword handling (a fifth of the validation's
#: cost, about 0.005 of bench/verify_offline.py's ratio): the same pydantic-core validator.
_validate_verdict: Final[Callable[[Mapping[str, Any]], Verdict]] = (
    Verdict.__pydantic_validator__.validate_python
)


# ----------------------------------------------------------------------------- checks


def _check(
    name: str, outcome: Outcome, reason: str, detail: Mapping[str, Any] | None = None
) -> Check:
    return Check(name=name, outcome=outcome, reason=reason, detail=detail)


def _failed(name: str, reason: str) -> Check:
    return _check(name, Outcome.FAILED, reason)


# The checks whose every part is fixed.
_NOT_CHECKED: Final = tuple(
    _check(name, Outcome.NOT_APPLICABLE, "not_checked") for name in CHECK_NAMES
)
_KEY_UNAVAILABLE: Final = _check("signature", Outcome.NOT_APPLICABLE, "not_checked_key_unavailable")
_SIGNATURE_ON_RECORD: Final = _check("signature", Outcome.PASSED, "signature_matches_record")
_SIGNATURE_VALID: Final = _check("signature", Outcome.PASSED, "signature_valid")
_LABEL_ACTIVE: Final = _check("label_status", Outcome.PASSED, "label_active")
_LABEL_NOT_LISTED: Final = _check("label_status", Outcome.PASSED, "label_not_listed")
_CERTIFICATE_ACTIVE: Final = _check("certificate_status", Outcome.PASSED, "certificate_active")
_NO_CERTIFICATE: Final = (
    _failed("certificate_status", "certificate_not_found"),
    _check("certificate_validity", Outcome.NOT_APPLICABLE, "certificate_not_found"),
    _check("conformity", Outcome.NOT_APPLICABLE, "certificate_not_found"),
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
    return _check("copy_evidence", Outcome.FAILED, known[0].reason, detail)


_COPY_RANK: Final = {reason: index for index, reason in enumerate(COPY_EVIDENCE_REASONS)}


def _signature_check(token: LabelToken, key: KeyFacts, record: LabelRecord | None) -> Check:
    if record is not None and record.signature is not None:
        # Online: the registry stored what it signed when it issued the label; the
        # presented claim must be that record exactly (one cryptographic check at issuance,
        # a constant-time comparison per scan).
        if not record.matches(token):
            return _failed("signature", "signature_not_on_record")
        return _SIGNATURE_ON_RECORD
    try:
        key.public_key.verify(token.signature, token.signed_bytes())
    except InvalidSignature:
        return _failed("signature", "signature_invalid")
    return _SIGNATURE_VALID


def _key_check(
    key: KeyFacts, token: LabelToken, record: LabelRecord | None, authoritative: bool
) -> Check:
    if key.compromised_since is not None:
        # A thief back-dates freely, so only an attested time (the log entry of a label
        # the registry itself issued) can clear a signature made before the compromise.
        attested = record.logged_at if (authoritative and record is not None) else None
        after = attested is not None and attested < key.compromised_since
        return _check(
            "issuer_key",
            Outcome.WARNING if after else Outcome.FAILED,
            "key_compromised_after_signing" if after else "key_compromised",
            {"compromised_since": format_time(key.compromised_since)},
        )
    if token.issued_at < key.not_before:
        return _failed("issuer_key", "key_not_yet_valid")
    if key.retired_at is not None and token.issued_at >= key.retired_at:
        return _failed("issuer_key", "key_retired")
    return _trusted(key.kid)


def _label_check(record: LabelRecord | None) -> Check:
    if record is None:
        return _failed("label_status", "label_not_found")
    if record.status in ("revoked", "suspended"):
        detail = {"reason_code": record.reason} if record.reason else None
        return _check("label_status", Outcome.FAILED, f"label_{record.status}", detail)
    return _LABEL_ACTIVE if record.listed else _LABEL_NOT_LISTED


def _certificate_checks(
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

_certificate_text = lru_cache(maxsize=4096)(format_certificate_code)
_DERIVED_MAX: Final = 4096
_derived_checks: dict[tuple[str, bool, bool], tuple[CertificateFacts, tuple[Check, ...]]] = {}


@lru_cache(maxsize=1024)
def _trusted(kid: str) -> Check:
    return _check("issuer_key", Outcome.PASSED, "key_trusted", {"kid": kid})


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
    validity = _check(
        "certificate_validity",
        Outcome.PASSED if within else Outcome.FAILED,
        "issued_within_validity" if within else "issued_outside_validity",
        {"valid_from": valid_from.isoformat(), "valid_until": valid_until.isoformat()},
    )
    conformity = certificate.conformity
    if conformity.audit_outcome != "pass":
        recorded = _failed("conformity", "audit_not_passed")
    else:
        recorded = _check("conformity", Outcome.PASSED, "conformity_recorded", conformity.public())
    return _certificate_status(certificate, expired), validity, recorded


def _certificate_status(certificate: CertificateFacts, expired: bool) -> Check:
    if certificate.status in ("withdrawn", "suspended"):
        reason = certificate.status_reason
        detail = {"reason_code": reason} if reason else None
        return _check(
            "certificate_status", Outcome.FAILED, f"certificate_{certificate.status}", detail
        )
    if expired:
        return _check(
            "certificate_status",
            Outcome.WARNING,
            "certificate_expired",
            {"valid_until": certificate.valid_until.isoformat()},
        )
    return _CERTIFICATE_ACTIVE
