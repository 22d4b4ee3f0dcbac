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

This module is the run: the order of the checks and the verdict they make. Each check is a
function of :mod:`verify.checks`, the facts a source hands over are :mod:`verify.source`
(re-exported here), the rules that decide are :mod:`verify.decision`. Pure and shared by
every channel; it imports nothing from ``labeling`` and never sees a private key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from verify.checks import (
    KEY_UNAVAILABLE,
    NOT_CHECKED,
    certificate_checks,
    certificate_text,
    copy_evidence_check,
    failed_check,
    key_check,
    label_check,
    signature_check,
)
from verify.decision import decide, reasons_of
from verify.item import ItemFacts, item_of
from verify.label_codec import LabelFormatError, LabelToken, parse_label_uri
from verify.source import CopyEvidence, KeyFacts, LabelRecord, VerificationSource
from verify.verdict import CertificateFacts, Check, Outcome, Overall, Verdict

__all__ = [
    "FUTURE_TOLERANCE",
    "CopyEvidence",
    "KeyFacts",
    "LabelRecord",
    "VerificationSource",
    "copy_evidence_check",
    "verify_label",
    "verify_token",
]

#: How far in the future a label's issue time may be before it is refused.
FUTURE_TOLERANCE: Final = timedelta(hours=24)


# ------------------------------------------------------------------------ verification


def verify_label(uri: str, source: VerificationSource, *, now: datetime) -> Verdict:
    """Verify a label URI against ``source``. Never raises on bad input: a malformed,
    truncated, oversized or tampered URI is an INVALID verdict with its reason code."""
    try:
        token = parse_label_uri(uri)
    except LabelFormatError as exc:
        # Not a label: the parse failure is the signature check's; nothing else is known.
        return _verdict([failed_check("signature", exc.code)], source, now, label=None)
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
        "certificate_code": certificate_text(token.certificate_code),
    }
    item = item_of(source, token.gtin) if certificate is not None else None
    return _verdict(checks, source, now, label=label, certificate=certificate, item=item)


def _run(
    token: LabelToken, source: VerificationSource, now: datetime
) -> tuple[list[Check], CertificateFacts | None]:
    """The checks in order, up to the one that settles the verdict if one does early, and
    the certificate's facts when the label is genuine enough for them to be shown."""
    if token.issued_at > now + FUTURE_TOLERANCE:
        return [failed_check("signature", "issued_at_future")], None
    key = source.key(token.kid)
    if key is None:
        return [KEY_UNAVAILABLE, failed_check("issuer_key", "key_unknown")], None
    # The signature first: nothing else the label says means anything until it verifies.
    record = source.label(token)
    signature = signature_check(token, key, record)
    if signature.outcome is Outcome.FAILED:
        return [signature], None
    issuer_key = key_check(key, token, record, source.authoritative)
    if issuer_key.outcome is Outcome.FAILED:
        # Signed by a key that could not sign it then (compromised, retired, not yet
        # valid): a forgery made with a real key. Nothing it says about a certificate is
        # shown, as for any other forgery (the page would otherwise name the artisan).
        return [signature, issuer_key], None
    label_status = label_check(record)
    if record is None and source.authoritative:
        # The registry knows every label it issued: a validly signed label it never
        # issued is a forgery (a stolen key, a signer used outside issuance).
        return [signature, issuer_key, label_status], None
    certificate = source.certificate(token.certificate_code)
    checks = [signature, issuer_key, label_status, *certificate_checks(certificate, token, now)]
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
    every = (*checks, *NOT_CHECKED[len(checks) :])
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
