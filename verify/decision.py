"""The decision rules: every reason code a check can carry, and the overall verdict that
the checks decide (docs/verification.md §1 and §3).

:func:`decide` turns the checks of a run into one :class:`~verify.verdict.Overall`
(INVALID, UNKNOWN, REVOKED, SUSPENDED, SUSPICIOUS, AUTHENTIC_WITH_WARNINGS, AUTHENTIC, in
that order of precedence); :func:`reasons_of` lists what did not pass. :data:`REASONS`
names every reason code by check (the documentation test keeps ``docs/`` in step). Pure;
imports nothing from ``labeling`` or ``core``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from verify.label_codec import REASON_CODES
from verify.verdict import CHECK_NAMES, Check, CheckName, Outcome, Overall

__all__ = ["COPY_EVIDENCE_REASONS", "REASONS", "decide", "reasons_of"]

#: Why a genuine label is SUSPICIOUS, most telling first: the reason code of a failed
#: ``copy_evidence`` check is the first of these that the evidence holds.
COPY_EVIDENCE_REASONS: Final[tuple[str, ...]] = (
    "confirmed_clone",
    "received_by_two_retailers",
    "received_twice_in_one_shipment",
    "scanned_in_many_countries",
    "scanned_too_often",
)

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
        {"label_active", "label_not_listed", "label_suspended", "label_revoked", "label_not_found"}
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
    "copy_evidence": frozenset(COPY_EVIDENCE_REASONS),
}
REASONS: Final[Mapping[str, frozenset[str]]] = {
    name: codes | {"not_checked"} if name in CHECK_NAMES else codes
    for name, codes in _CHECK_REASONS.items()
}


_STATUS_REASONS: Final = frozenset(
    {"label_suspended", "label_revoked", "certificate_suspended", "certificate_withdrawn"}
)
_FINAL_REASONS: Final = frozenset({"label_revoked", "certificate_withdrawn"})
_UNKNOWABLE: Final = frozenset(
    {"key_unknown", "label_not_found", "certificate_not_found", "status_data_expired"}
)
_NEVER_ISSUED: Final = frozenset({"key_unknown", "label_not_found"})
_FAILED: Final = Outcome.FAILED
_WARNING: Final = Outcome.WARNING


def decide(checks: tuple[Check, ...], *, authoritative: bool) -> Overall:
    """The overall verdict from the checks (the order of precedence is documented:
    INVALID, UNKNOWN, REVOKED, SUSPENDED, SUSPICIOUS, AUTHENTIC_WITH_WARNINGS, AUTHENTIC)."""
    # Outcomes compared by identity, not gathered in a set: an enum member's hash is a
    # Python call, and every scan decides once.
    failed: set[str] = set()
    copied = warned = False
    for check in checks:
        outcome = check.outcome  # a model attribute: read once
        if outcome is _FAILED:
            if check.name == CheckName.COPY_EVIDENCE:
                copied = True
            else:
                failed.add(check.reason)
        elif outcome is _WARNING:
            warned = True
    if not failed:
        if copied:
            # 3. Genuine and in force, but the evidence says the label was copied.
            return Overall.SUSPICIOUS
        return Overall.AUTHENTIC_WITH_WARNINGS if warned else Overall.AUTHENTIC
    # 1. Not a genuine label: anything failed but status and "never heard of it".
    if failed - _UNKNOWABLE - _STATUS_REASONS:
        return Overall.INVALID
    unknowable = failed & _UNKNOWABLE
    if unknowable:
        # The registry online knows every key and label it issued: a label it never
        # heard of is not a genuine label. Offline, it may just be newer than the data.
        if authoritative and unknowable & _NEVER_ISSUED:
            return Overall.INVALID
        # Offline data too old to vouch for a label still proves a revocation: it is
        # final, whereas a suspension it lists may have been lifted since.
        if unknowable == {"status_data_expired"} and failed & _FINAL_REASONS:
            return Overall.REVOKED
        return Overall.UNKNOWN
    # 2. Status: revocation is final and outranks suspension.
    if failed & _FINAL_REASONS:
        return Overall.REVOKED
    return Overall.SUSPENDED


def reasons_of(checks: tuple[Check, ...]) -> tuple[str, ...]:
    """The reason codes of the checks that did not pass: failed, then warnings."""
    failed = [c.reason for c in checks if c.outcome is _FAILED]
    warned = [c.reason for c in checks if c.outcome is _WARNING]
    return (*failed, *warned)
