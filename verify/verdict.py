"""The verdict: one verification model for every channel (web page, JSON, bulk, offline).

A verification runs named checks, each ``passed``, ``failed``, ``warning`` or
``not_applicable`` with a stable reason code, and derives one overall verdict from them:

=========================  ==========================================================
``AUTHENTIC``              every applicable check passed
``AUTHENTIC_WITH_WARNINGS`` genuine, but something deserves attention (the certificate
                           has since expired, the offline data is stale, …)
``SUSPENDED``              the label or its certificate is suspended (may come back)
``REVOKED``                the label is revoked, or its certificate withdrawn (final)
``INVALID``                not a genuine Khatem label (malformed, tampered, forged, …)
``UNKNOWN``                cannot be decided with the data at hand (e.g. a key or a
                           certificate this offline verifier has not heard of yet)
=========================  ==========================================================

The checks, in the order they run (``docs/verification.md`` lists every reason code):

``signature``  ``issuer_key``  ``label_status``  ``certificate_status``
``certificate_validity``  ``conformity``  ``log_inclusion``  ``data_freshness``

This module is pure and shared: :func:`verify_label` takes a :class:`VerificationSource`
— the registry's database online (``labeling.verification``), a signed trust list and
status snapshot offline (:mod:`verify.offline`) — and returns a :class:`Verdict`. It
imports nothing from ``labeling`` and never sees a private key.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verify.label_codec import (
    REASON_CODES,
    LabelFormatError,
    LabelToken,
    format_certificate_code,
    parse_label_uri,
)

__all__ = [
    "CHECK_NAMES",
    "REASONS",
    "ArtisanFacts",
    "CertificateFacts",
    "Check",
    "CheckName",
    "Conformity",
    "KeyFacts",
    "LabelFacts",
    "LabelRecord",
    "Outcome",
    "Overall",
    "plain_check",
    "remember",
    "StandardFacts",
    "VerificationSource",
    "Verdict",
    "decide",
    "verify_label",
    "verify_token",
]

#: How far in the future a label's issue time may be before it is refused.
FUTURE_TOLERANCE: Final = timedelta(hours=24)


class Overall(StrEnum):
    AUTHENTIC = "AUTHENTIC"
    AUTHENTIC_WITH_WARNINGS = "AUTHENTIC_WITH_WARNINGS"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"
    INVALID = "INVALID"
    UNKNOWN = "UNKNOWN"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    NOT_APPLICABLE = "not_applicable"


class CheckName(StrEnum):
    SIGNATURE = "signature"
    ISSUER_KEY = "issuer_key"
    LABEL_STATUS = "label_status"
    CERTIFICATE_STATUS = "certificate_status"
    CERTIFICATE_VALIDITY = "certificate_validity"
    CONFORMITY = "conformity"
    LOG_INCLUSION = "log_inclusion"
    DATA_FRESHNESS = "data_freshness"


CHECK_NAMES: Final[tuple[str, ...]] = tuple(name.value for name in CheckName)

#: Every reason code a check can carry, by check (the label codec's parse codes are the
#: ``signature`` check's failures; ``not_checked`` — an earlier check already decided the
#: verdict — can stand on any check). The documentation test keeps ``docs/`` in step.
_CHECK_REASONS: Final[Mapping[str, frozenset[str]]] = {
    "signature": frozenset(
        {
            "signature_valid",
            "signature_matches_record",
            "signature_invalid",
            "signature_not_on_record",
            "not_checked_key_unavailable",
            "issued_at_future",
        }
    )
    | REASON_CODES,  # the label codec's parse failures
    "issuer_key": frozenset(
        {
            "key_trusted",
            "key_unknown",
            "key_compromised",
            "key_compromised_after_signing",
            "key_not_yet_valid",
            "key_retired",
        }
    ),
    "label_status": frozenset(
        {
            "label_active",
            "label_not_listed",
            "label_suspended",
            "label_revoked",
            "label_not_found",
        }
    ),
    "certificate_status": frozenset(
        {
            "certificate_active",
            "certificate_suspended",
            "certificate_withdrawn",
            "certificate_expired",
            "certificate_not_found",
        }
    ),
    "certificate_validity": frozenset(
        {"issued_within_validity", "issued_outside_validity", "certificate_not_found"}
    ),
    "conformity": frozenset({"conformity_recorded", "audit_not_passed", "certificate_not_found"}),
    "log_inclusion": frozenset(
        {
            "included_in_checkpoint",
            "log_checkpoint_pending",
            "log_entry_missing",
            "log_proof_invalid",
            "not_checked_offline",
        }
    ),
    "data_freshness": frozenset(
        {
            "data_fresh",
            "status_data_stale",
            "status_data_expired",
            "trust_list_stale",
            "live_registry",
        }
    ),
}
REASONS: Final[Mapping[str, frozenset[str]]] = {
    name: codes | {"not_checked"} for name, codes in _CHECK_REASONS.items()
}

# ------------------------------------------------------------------------------ facts


@dataclass(frozen=True, slots=True)
class Check:
    """One named check: its outcome, its stable reason code and optional public detail."""

    name: str
    outcome: Outcome
    reason: str
    detail: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "outcome": self.outcome.value,
            "reason": self.reason,
        }
        if self.detail:
            data["detail"] = dict(self.detail)
        return data


@dataclass(frozen=True, slots=True)
class KeyFacts:
    """What a verifier knows about a label key (from the trust list or the keyring)."""

    kid: str
    public_key: Ed25519PublicKey
    not_before: datetime
    retired_at: datetime | None = None
    compromised_since: datetime | None = None


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


@dataclass(frozen=True, slots=True)
class StandardFacts:
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class Conformity:
    """What the certificate vouches for: scheme, level, standards, the audit behind it."""

    scheme_code: str
    scheme_name: str
    level: int | None
    level_name: str | None
    standards: tuple[StandardFacts, ...]
    criteria_met: tuple[str, ...]
    audit_date: date
    audit_outcome: str
    body_code: str
    body_name: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "scheme": {
                "code": self.scheme_code,
                "name": self.scheme_name,
                "level": self.level,
                "level_name": self.level_name,
            },
            "standards": [{"code": s.code, "title": s.title} for s in self.standards],
            "criteria_met": list(self.criteria_met),
            "audit": {"date": self.audit_date.isoformat(), "outcome": self.audit_outcome},
            "certifying_body": {"code": self.body_code, "name": self.body_name},
        }


@dataclass(frozen=True, slots=True)
class ArtisanFacts:
    """The public face of an artisan: names in both scripts, region and craft. Nothing
    personal (no national id, phone, address) and no internal id."""

    display_name_latin: str
    display_name_arabic: str
    region_code: str
    region_name: str
    craft: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "display_name_latin": self.display_name_latin,
            "display_name_arabic": self.display_name_arabic,
            "region": {"code": self.region_code, "name": self.region_name},
            "craft": self.craft,
        }


@dataclass(frozen=True, slots=True)
class CertificateFacts:
    """A certificate's public facts. ``status`` is the stored status (active, suspended,
    withdrawn); expiry is derived from ``valid_until`` at verification time."""

    code: str  # human form, "C-1D1FG6Y"
    status: str
    status_reason: str | None
    valid_from: date
    valid_until: date
    conformity: Conformity
    artisan: ArtisanFacts

    def to_dict(self, *, today: date | None = None) -> dict[str, Any]:
        status = self.status
        if status == "active" and today is not None and today > self.valid_until:
            status = "expired"
        return {
            "code": self.code,
            "status": status,
            "status_reason": self.status_reason,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "conformity": self.conformity.to_dict(),
            "artisan": self.artisan.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class LabelFacts:
    """What the label itself says (signed), in public form."""

    gtin: str
    serial: str
    issued_at: datetime
    kid: str
    certificate_code: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "gtin": self.gtin,
            "serial": self.serial,
            "issued_at": _time(self.issued_at),
            "kid": self.kid,
            "certificate": self.certificate_code,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of one verification."""

    verdict: Overall
    checks: tuple[Check, ...]
    checked_at: datetime
    mode: str  # "online" | "offline"
    label: LabelFacts | None = None
    certificate: CertificateFacts | None = None
    data_as_of: datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def check(self, name: str) -> Check | None:
        for check in self.checks:
            if check.name == name:
                return check
        return None

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reason codes of the checks that did not pass (failed, then warnings)."""
        failed = [c.reason for c in self.checks if c.outcome is Outcome.FAILED]
        warned = [c.reason for c in self.checks if c.outcome is Outcome.WARNING]
        return (*failed, *warned)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "verdict": self.verdict.value,
            "reasons": list(self.reasons),
            "checks": [check.to_dict() for check in self.checks],
            "label": self.label.to_dict() if self.label else None,
            "certificate": (
                self.certificate.to_dict(today=self.checked_at.date()) if self.certificate else None
            ),
            "checked_at": _time(self.checked_at),
            "mode": self.mode,
            "data_as_of": _time(self.data_as_of) if self.data_as_of else None,
        }
        data.update(self.extra)
        return data

    def with_extra(self, extra: Mapping[str, Any]) -> Verdict:
        """This verdict with ``extra`` in place of its own (``dataclasses.replace``, at a
        fifth of the cost: see the per-scan constructors below)."""
        copy = _verdict(
            self.verdict,
            self.checks,
            self.checked_at,
            self.mode,
            self.label,
            self.certificate,
            self.data_as_of,
        )
        _V_EXTRA(copy, extra)
        return copy


def _time(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


# Per-scan constructors. A frozen dataclass's generated __init__ sets each field through
# object.__setattr__; setting the slots through their member descriptors gives the same
# object at a third of the cost, which matters in the offline verifier's budget (a few
# microseconds beyond one Ed25519 verification). Guarded: they must set every field.


def _slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Any, ...]:
    declared = tuple(f.name for f in fields(cls))
    if declared != names or hasattr(cls, "__post_init__"):
        raise RuntimeError(f"the fast constructor of {cls.__name__} is out of date")
    return tuple(cls.__dict__[name].__set__ for name in names)


_new = object.__new__
(_LF_GTIN, _LF_SERIAL, _LF_ISSUED_AT, _LF_KID, _LF_CERTIFICATE) = _slot_setters(
    LabelFacts, ("gtin", "serial", "issued_at", "kid", "certificate_code")
)
(
    _V_VERDICT,
    _V_CHECKS,
    _V_CHECKED_AT,
    _V_MODE,
    _V_LABEL,
    _V_CERTIFICATE,
    _V_DATA_AS_OF,
    _V_EXTRA,
) = _slot_setters(
    Verdict,
    (
        "verdict",
        "checks",
        "checked_at",
        "mode",
        "label",
        "certificate",
        "data_as_of",
        "extra",
    ),
)


def _label_facts(gtin: str, serial: str, issued_at: datetime, kid: str, code: str) -> LabelFacts:
    """``LabelFacts(gtin, serial, issued_at, kid, code)``, faster (see above)."""
    facts: LabelFacts = _new(LabelFacts)
    _LF_GTIN(facts, gtin)
    _LF_SERIAL(facts, serial)
    _LF_ISSUED_AT(facts, issued_at)
    _LF_KID(facts, kid)
    _LF_CERTIFICATE(facts, code)
    return facts


def _verdict(
    overall: Overall,
    checks: tuple[Check, ...],
    checked_at: datetime,
    mode: str,
    label: LabelFacts | None,
    certificate: CertificateFacts | None,
    data_as_of: datetime | None,
) -> Verdict:
    """``Verdict(overall, checks, …)`` with an empty ``extra``, faster (see above)."""
    verdict: Verdict = _new(Verdict)
    _V_VERDICT(verdict, overall)
    _V_CHECKS(verdict, checks)
    _V_CHECKED_AT(verdict, checked_at)
    _V_MODE(verdict, mode)
    _V_LABEL(verdict, label)
    _V_CERTIFICATE(verdict, certificate)
    _V_DATA_AS_OF(verdict, data_as_of)
    _V_EXTRA(verdict, {})
    return verdict


# ------------------------------------------------------------------------------ source


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


# ---------------------------------------------------------------------------- decision


def decide(checks: tuple[Check, ...], *, authoritative: bool) -> Overall:
    """The overall verdict from the checks (the order of precedence is documented)."""
    warned = False
    for check in checks:  # the common case, nothing failed, in one pass
        if check.outcome is _FAILED:
            break
        if check.outcome is _WARNING:
            warned = True
    else:
        return Overall.AUTHENTIC_WITH_WARNINGS if warned else Overall.AUTHENTIC
    failed = {c.reason for c in checks if c.outcome is _FAILED}
    if failed:
        unknowable = {
            "key_unknown",
            "label_not_found",
            "certificate_not_found",
            "status_data_expired",
        }
        # 1. Not a genuine label: anything failed but status and "never heard of it".
        hard = failed - unknowable - _STATUS_REASONS
        if hard:
            return Overall.INVALID
        if failed & unknowable:
            # The registry online knows every key and label it issued: a label it never
            # heard of is not a genuine label. Offline, it may just be newer than the data.
            if authoritative and failed & {"key_unknown", "label_not_found"}:
                return Overall.INVALID
            # Offline data too old to vouch for a label still proves a revocation: it is
            # final, whereas a suspension it lists may have been lifted since.
            if failed & unknowable == {"status_data_expired"} and failed & _FINAL_REASONS:
                return Overall.REVOKED
            return Overall.UNKNOWN
        # 2. Status: revocation is final and outranks suspension.
        if failed & _FINAL_REASONS:
            return Overall.REVOKED
        return Overall.SUSPENDED
    for check in checks:
        if check.outcome is _WARNING:
            return Overall.AUTHENTIC_WITH_WARNINGS
    return Overall.AUTHENTIC


_STATUS_REASONS: Final = frozenset(
    {"label_suspended", "label_revoked", "certificate_suspended", "certificate_withdrawn"}
)
_FINAL_REASONS: Final = frozenset({"label_revoked", "certificate_withdrawn"})
_FAILED: Final = Outcome.FAILED
_WARNING: Final = Outcome.WARNING
_CHECK_ORDER: Final[Mapping[str, int]] = {name: i for i, name in enumerate(CHECK_NAMES)}


# ---------------------------------------------------------------------------- checking

_NA = Outcome.NOT_APPLICABLE
_PLAIN_CHECKS: dict[tuple[str, Outcome, str], Check] = {}


def plain_check(name: str, outcome: Outcome, reason: str) -> Check:
    """``Check(name, outcome, reason)`` without detail: one shared object per triple (the
    reasons are this module's codes, a small set). Scans of junk and forgeries are common,
    and fresh objects would churn the per-object caches of whoever writes verdicts out."""
    key = (name, outcome, reason)
    check = _PLAIN_CHECKS.get(key)
    if check is None:
        check = Check(name, outcome, reason)
        remember(_PLAIN_CHECKS, key, check)
    return check


#: The checks a verification stopped before.
_NOT_CHECKED: Final[Mapping[str, Check]] = {
    name: Check(name, _NA, "not_checked") for name in CHECK_NAMES
}


def _invalid(reason: str, now: datetime, source: VerificationSource) -> Verdict:
    """The verdict on input that is not a label at all: the parse failure is the
    ``signature`` check's reason, and nothing else could be checked."""
    checks = (plain_check("signature", Outcome.FAILED, reason),) + tuple(
        _NOT_CHECKED[name] for name in CHECK_NAMES[1:]
    )
    return Verdict(
        verdict=Overall.INVALID,
        checks=checks,
        checked_at=now,
        mode=source.mode,
        data_as_of=source.data_as_of(),
    )


def verify_label(uri: str, source: VerificationSource, *, now: datetime) -> Verdict:
    """Verify a label URI against ``source``. Never raises on bad input: a malformed,
    truncated, oversized or tampered URI is an INVALID verdict with its reason code."""
    try:
        token = parse_label_uri(uri)
    except LabelFormatError as exc:
        return _invalid(exc.code, now, source)
    return verify_token(token, source, now=now)


def verify_token(token: LabelToken, source: VerificationSource, *, now: datetime) -> Verdict:
    """Verify a parsed label (see :func:`verify_label`)."""
    label_facts = _label_facts(
        token.gtin,
        token.serial,
        token.issued_at,
        token.kid,
        _certificate_text(token.certificate_code),
    )
    checks: list[Check] = []
    key = source.key(token.kid)
    if token.issued_at > now + FUTURE_TOLERANCE:
        checks.append(plain_check("signature", Outcome.FAILED, "issued_at_future"))
        return _finish(checks, token, label_facts, None, source, now, stop=True)
    if key is None:
        checks.append(plain_check("signature", _NA, "not_checked_key_unavailable"))
        checks.append(plain_check("issuer_key", Outcome.FAILED, "key_unknown"))
        return _finish(checks, token, label_facts, None, source, now, stop=True)
    # The signature first: nothing else the label says means anything until it verifies.
    record = source.label(token)
    if record is not None and record.signature is not None:
        # Online: the registry stored what it signed when it issued the label; the
        # presented claim must be that record exactly (one cryptographic check at issuance,
        # a constant-time comparison per scan).
        if not record.matches(token):
            checks.append(plain_check("signature", Outcome.FAILED, "signature_not_on_record"))
            return _finish(checks, token, label_facts, None, source, now, stop=True)
        checks.append(_SIGNATURE_ON_RECORD)
    else:
        try:
            key.public_key.verify(token.signature, token.signed_bytes())
        except InvalidSignature:
            checks.append(plain_check("signature", Outcome.FAILED, "signature_invalid"))
            return _finish(checks, token, label_facts, None, source, now, stop=True)
        checks.append(_SIGNATURE_VALID)
    key_check = _key_check(key, token, record, source.authoritative)
    checks.append(key_check)
    if key_check.outcome is _FAILED:
        # Signed by a key that could not sign it then (compromised, retired, not yet
        # valid): a forgery made with a real key. Nothing it says about a certificate is
        # shown, as for any other forgery (the page would otherwise name the artisan).
        return _finish(checks, token, label_facts, None, source, now, stop=True)
    checks.append(_label_check(record))
    if record is None and source.authoritative:
        # The registry knows every label it issued: a validly signed label it never
        # issued is a forgery (a stolen key, a signer used outside issuance).
        return _finish(checks, token, label_facts, None, source, now, stop=True)
    certificate = source.certificate(token.certificate_code)
    checks.extend(_certificate_checks(certificate, token, now))
    checks.append(source.log_inclusion(token, record))
    checks.append(source.freshness(now))
    return _finish(checks, token, label_facts, certificate, source, now, stop=False)


def _finish(
    checks: list[Check],
    token: LabelToken,
    label: LabelFacts,
    certificate: CertificateFacts | None,
    source: VerificationSource,
    now: datetime,
    *,
    stop: bool,
) -> Verdict:
    if stop:
        done = {c.name for c in checks}
        checks += [_NOT_CHECKED[n] for n in CHECK_NAMES if n not in done]
        ordered = tuple(sorted(checks, key=lambda c: _CHECK_ORDER[c.name]))
    else:
        # A verification that ran every check appended them in CHECK_NAMES order.
        ordered = tuple(checks)
    return _verdict(
        decide(ordered, authoritative=source.authoritative),
        ordered,
        now,
        source.mode,
        label,
        certificate,
        source.data_as_of(),
    )


def _key_check(
    key: KeyFacts, token: LabelToken, record: LabelRecord | None, authoritative: bool
) -> Check:
    signed_at = token.issued_at
    if key.compromised_since is not None:
        # A thief back-dates freely, so only an attested time (the log entry of a label
        # the registry itself issued) can clear a signature made before the compromise.
        attested = record.logged_at if (authoritative and record is not None) else None
        if attested is None or attested >= key.compromised_since:
            return Check(
                "issuer_key",
                Outcome.FAILED,
                "key_compromised",
                {"compromised_since": _time(key.compromised_since)},
            )
        return Check(
            "issuer_key",
            Outcome.WARNING,
            "key_compromised_after_signing",
            {"compromised_since": _time(key.compromised_since)},
        )
    if signed_at < key.not_before:
        return plain_check("issuer_key", Outcome.FAILED, "key_not_yet_valid")
    if key.retired_at is not None and signed_at >= key.retired_at:
        return plain_check("issuer_key", Outcome.FAILED, "key_retired")
    cached = _KEY_TRUSTED.get(id(key))
    if cached is not None and cached[0] is key:
        return cached[1]
    check = Check("issuer_key", Outcome.PASSED, "key_trusted", MappingProxyType({"kid": key.kid}))
    remember(_KEY_TRUSTED, id(key), (key, check))
    return check


def _label_check(record: LabelRecord | None) -> Check:
    if record is None:
        return plain_check("label_status", Outcome.FAILED, "label_not_found")
    detail = {"reason_code": record.reason} if record.reason else None
    if record.status == "revoked":
        return Check("label_status", Outcome.FAILED, "label_revoked", detail)
    if record.status == "suspended":
        return Check("label_status", Outcome.FAILED, "label_suspended", detail)
    if not record.listed:
        return _LABEL_NOT_LISTED
    return _LABEL_ACTIVE


def _certificate_checks(
    certificate: CertificateFacts | None, token: LabelToken, now: datetime
) -> tuple[Check, Check, Check]:
    if certificate is None:
        return _CERTIFICATE_NOT_FOUND
    # Issue times are UTC minutes; the certificate's dates are Morocco-local days, so a
    # label issued in the first hour of a certificate's first day is given a day's grace.
    issued_on = token.issued_at.date()
    within = certificate.valid_from - _ONE_DAY <= issued_on <= certificate.valid_until
    expired = now.date() > certificate.valid_until
    # The three checks depend only on the certificate and these two flags: built once per
    # certificate (the offline verifier's budget is a few microseconds beyond Ed25519).
    key = (id(certificate), within, expired)
    cached = _CERTIFICATE_CHECKS.get(key)
    if cached is not None and cached[0] is certificate:
        return cached[1]
    checks = _build_certificate_checks(certificate, within=within, expired=expired)
    remember(_CERTIFICATE_CHECKS, key, (certificate, checks))
    return checks


def _build_certificate_checks(
    certificate: CertificateFacts, *, within: bool, expired: bool
) -> tuple[Check, Check, Check]:
    detail = (
        MappingProxyType({"reason_code": certificate.status_reason})
        if certificate.status_reason
        else None
    )
    if certificate.status == "withdrawn":
        status = Check("certificate_status", Outcome.FAILED, "certificate_withdrawn", detail)
    elif certificate.status == "suspended":
        status = Check("certificate_status", Outcome.FAILED, "certificate_suspended", detail)
    elif expired:
        status = Check(
            "certificate_status",
            Outcome.WARNING,
            "certificate_expired",
            MappingProxyType({"valid_until": certificate.valid_until.isoformat()}),
        )
    else:
        status = _CERTIFICATE_ACTIVE
    validity = Check(
        "certificate_validity",
        Outcome.PASSED if within else Outcome.FAILED,
        "issued_within_validity" if within else "issued_outside_validity",
        MappingProxyType(
            {
                "valid_from": certificate.valid_from.isoformat(),
                "valid_until": certificate.valid_until.isoformat(),
            }
        ),
    )
    conformity_facts = certificate.conformity
    if conformity_facts.audit_outcome != "pass":
        conformity = Check("conformity", Outcome.FAILED, "audit_not_passed")
    else:
        conformity = Check(
            "conformity",
            Outcome.PASSED,
            "conformity_recorded",
            MappingProxyType(conformity_facts.to_dict()),
        )
    return status, validity, conformity


# Checks that carry no per-label detail are shared; so are those built per key or per
# certificate (keyed by object identity, the object kept alongside to make reuse safe).
# Their details are read-only mappings.
_SIGNATURE_VALID: Final = Check("signature", Outcome.PASSED, "signature_valid")
_SIGNATURE_ON_RECORD: Final = Check("signature", Outcome.PASSED, "signature_matches_record")
_LABEL_ACTIVE: Final = Check("label_status", Outcome.PASSED, "label_active")
_LABEL_NOT_LISTED: Final = Check("label_status", Outcome.PASSED, "label_not_listed")
_CERTIFICATE_ACTIVE: Final = Check("certificate_status", Outcome.PASSED, "certificate_active")
_CERTIFICATE_NOT_FOUND: Final = (
    Check("certificate_status", Outcome.FAILED, "certificate_not_found"),
    Check("certificate_validity", _NA, "certificate_not_found"),
    Check("conformity", _NA, "certificate_not_found"),
)
_ONE_DAY: Final = timedelta(days=1)
_CACHE_LIMIT: Final = 65_536
_KEY_TRUSTED: dict[int, tuple[KeyFacts, Check]] = {}
_CERTIFICATE_CHECKS: dict[
    tuple[int, bool, bool], tuple[CertificateFacts, tuple[Check, Check, Check]]
] = {}


_CERTIFICATE_TEXT: dict[int, str] = {}


def _certificate_text(code: int) -> str:
    """The human form of a certificate code (memoised: a registry has few certificates)."""
    text = _CERTIFICATE_TEXT.get(code)
    if text is None:
        text = format_certificate_code(code)
        remember(_CERTIFICATE_TEXT, code, text)
    return text


def remember(cache: dict[Any, Any], key: Any, value: Any, *, limit: int = _CACHE_LIMIT) -> None:
    """``cache[key] = value`` for the per-scan caches: one that holds ``limit`` entries
    starts afresh (cheaper than any eviction policy, and refilled within a few scans)."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
