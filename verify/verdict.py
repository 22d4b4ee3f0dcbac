"""The verdict: what a verification says, one model for every channel.

A verification runs eight named checks, each ``passed``, ``failed``, ``warning`` or
``not_applicable`` with a stable reason code, and derives one overall verdict from them:

=========================  ==========================================================
``AUTHENTIC``              every applicable check passed
``AUTHENTIC_WITH_WARNINGS`` genuine, but something deserves attention (the certificate
                           has since expired, the offline data is stale, …)
``SUSPENDED``              the label or its certificate is suspended (may come back)
``REVOKED``                the label is revoked, or its certificate withdrawn (final)
``INVALID``                not a genuine Khatem label (malformed, tampered, forged, …)
``SUSPICIOUS``             the signature is genuine, but the registry holds evidence that
                           the label has been copied (received by two retailers, scanned
                           in too many countries or too often, confirmed as a clone)
``UNKNOWN``                cannot be decided with the data at hand (e.g. a key or a
                           certificate this offline verifier has not heard of yet)
=========================  ==========================================================

The checks, in the order they run (``docs/verification.md`` lists every reason code):

``signature``  ``issuer_key``  ``label_status``  ``certificate_status``
``certificate_validity``  ``conformity``  ``log_inclusion``  ``data_freshness``

and, after them, ``copy_evidence`` only when the registry holds evidence that the label was
copied (an additive change of the verdict's JSON, docs/verification.md §7): every verdict
without such evidence is the same, byte for byte, as before it existed.

:class:`Verdict` and the facts it carries are frozen pydantic models: the Python value the
pages, the CLI and the offline library read, and — through ``model_dump_json`` — the JSON
the label URL, ``/api/v1/verify`` and the bulk API answer, which OpenAPI documents from the
same classes (``Verdict.model_json_schema(mode="serialization")``). Attributes keep the
names Python readers know (``conformity.scheme_name``); the JSON nests them as
docs/verification.md shows (``conformity.scheme.name``): the model serializers below are
the one place that says how.

The verifier that makes a verdict is :mod:`verify.verifier`. This module imports nothing
from ``labeling`` or ``core``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator
from typing_extensions import TypedDict

from verify.item import ItemFacts
from verify.label_codec import REASON_CODES

__all__ = [
    "CHECK_NAMES",
    "COPY_EVIDENCE_REASONS",
    "REASONS",
    "ArtisanFacts",
    "CertificateFacts",
    "Check",
    "CheckName",
    "Conformity",
    "LabelFacts",
    "Outcome",
    "Overall",
    "StandardFacts",
    "Verdict",
    "decide",
    "reasons_of",
]


class Overall(StrEnum):
    """The overall verdict (docs/verification.md §1)."""

    AUTHENTIC = "AUTHENTIC"
    AUTHENTIC_WITH_WARNINGS = "AUTHENTIC_WITH_WARNINGS"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"
    INVALID = "INVALID"
    UNKNOWN = "UNKNOWN"
    SUSPICIOUS = "SUSPICIOUS"


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
    COPY_EVIDENCE = "copy_evidence"


#: The eight checks every verdict carries, in order (``copy_evidence`` follows them only
#: when there is evidence: it is not one of these).
CHECK_NAMES: Final[tuple[str, ...]] = tuple(
    name.value for name in CheckName if name is not CheckName.COPY_EVIDENCE
)

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


#: An instant: UTC, to the second (the verifier drops sub-seconds), written
#: ``2026-06-01T12:00:00Z``.
Instant = datetime


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ------------------------------------------------------------------------------ facts


class StandardFacts(_Model):
    """A standard the certificate's scheme cites: ``StandardFacts(code, title)``."""

    code: str
    title: str

    def __init__(self, code: str, title: str) -> None:
        BaseModel.__init__(self, code=code, title=title)


class SchemeJson(TypedDict):
    code: str
    name: str
    level: int | None
    level_name: str | None


class AuditJson(TypedDict):
    date: date
    outcome: str


class CodeNameJson(TypedDict):
    code: str
    name: str


class ConformityJson(TypedDict):
    """The JSON of :class:`Conformity` (also the ``conformity`` check's detail)."""

    scheme: SchemeJson
    standards: tuple[StandardFacts, ...]
    criteria_met: tuple[str, ...]
    audit: AuditJson
    certifying_body: CodeNameJson


def _flatten(data: Any, nesting: Mapping[str, Mapping[str, str]]) -> Any:
    """``data`` in the JSON shape (members ``nesting`` names hold objects) as the flat
    fields the model keeps; anything else as it is."""
    if not isinstance(data, Mapping) or not any(member in data for member in nesting):
        return data
    flat = {name: value for name, value in data.items() if name not in nesting}
    for member, fields in nesting.items():
        inner = data.get(member)
        if not isinstance(inner, Mapping):
            flat[member] = inner  # validation says what is wrong with it
            continue
        flat.update({field: inner[key] for key, field in fields.items() if key in inner})
    return flat


_CONFORMITY_NESTING: Final = {
    "scheme": {
        "code": "scheme_code",
        "name": "scheme_name",
        "level": "level",
        "level_name": "level_name",
    },
    "audit": {"date": "audit_date", "outcome": "audit_outcome"},
    "certifying_body": {"code": "body_code", "name": "body_name"},
}
_ARTISAN_NESTING: Final = {"region": {"code": "region_code", "name": "region_name"}}


class Conformity(_Model):
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

    @model_validator(mode="before")
    @classmethod
    def _from_json(cls, data: Any) -> Any:
        return _flatten(data, _CONFORMITY_NESTING)

    @model_serializer(mode="plain")
    def public(self) -> ConformityJson:
        """The facts as the JSON nests them."""
        return {
            "scheme": {
                "code": self.scheme_code,
                "name": self.scheme_name,
                "level": self.level,
                "level_name": self.level_name,
            },
            "standards": self.standards,
            "criteria_met": self.criteria_met,
            "audit": {"date": self.audit_date, "outcome": self.audit_outcome},
            "certifying_body": {"code": self.body_code, "name": self.body_name},
        }


class ArtisanJson(TypedDict):
    display_name_latin: str
    display_name_arabic: str
    region: CodeNameJson
    craft: str


class ArtisanFacts(_Model):
    """The public face of an artisan: names in both scripts, region and craft. Nothing
    personal (no national id, phone, address) and no internal id."""

    display_name_latin: str
    display_name_arabic: str
    region_code: str
    region_name: str
    craft: str

    @model_validator(mode="before")
    @classmethod
    def _from_json(cls, data: Any) -> Any:
        return _flatten(data, _ARTISAN_NESTING)

    @model_serializer(mode="plain")
    def public(self) -> ArtisanJson:
        return {
            "display_name_latin": self.display_name_latin,
            "display_name_arabic": self.display_name_arabic,
            "region": {"code": self.region_code, "name": self.region_name},
            "craft": self.craft,
        }


class CertificateFacts(_Model):
    """A certificate's public facts.

    ``status`` is what the registry stored (``active``, ``suspended``, ``withdrawn``); in a
    verdict it is the status as of ``checked_at``, when an active certificate past its
    ``valid_until`` is ``expired``.
    """

    code: str = Field(description="The certificate code, e.g. C-1Z8K3QD.")
    status: Literal["active", "suspended", "withdrawn", "expired"]
    status_reason: str | None = Field(
        description="The body's reason code for a suspension or withdrawal."
    )
    valid_from: date
    valid_until: date
    conformity: Conformity
    artisan: ArtisanFacts


class LabelFacts(_Model):
    """What the label itself says (signed), in public form."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    gtin: str
    serial: str
    issued_at: Instant
    kid: str
    certificate_code: str = Field(
        alias="certificate", description="The certificate code, e.g. C-1Z8K3QD."
    )


# ------------------------------------------------------------------------------ checks


def _empty(detail: Mapping[str, Any] | None) -> bool:
    return not detail


class Check(_Model):
    """One named check: its outcome, its stable reason code and optional public detail."""

    name: CheckName
    outcome: Outcome
    reason: str = Field(description="A reason code of docs/verification.md §3.")
    detail: Mapping[str, Any] | None = Field(
        default=None,
        exclude_if=_empty,
        description="Public facts of the check (a key id, a validity window, a log leaf, a "
        "status reason code; for a passed `conformity`, as `certificate.conformity`). "
        "Absent when there are none.",
    )


# ----------------------------------------------------------------------------- verdict

Assumption = Literal["scheme", "body", "craft", "standards"]


def _no_assumptions(assumptions: tuple[str, ...]) -> bool:
    return not assumptions


def _no_item(item: ItemFacts | None) -> bool:
    return item is None


class Verdict(_Model):
    """The result of one verification: the same model online, offline and in bulk.

    ``checked_at`` is the last member of the JSON, and the only one that changes from one
    scan of an unchanged label to the next (the HTTP answers' ETags leave it out).
    """

    verdict: Overall
    reasons: tuple[str, ...] = Field(
        description="The reason codes of the failed checks, then of the warnings: empty "
        "when there is nothing to report.",
    )
    checks: tuple[Check, ...] = Field(
        description="The eight checks, always in this order; then `copy_evidence` when the "
        "registry holds evidence that the label was copied (since verdict JSON 1.1; absent "
        "otherwise)."
    )
    label: LabelFacts | None = Field(
        description="What the label says; null when it is not a label."
    )
    certificate: CertificateFacts | None = Field(
        description="The certificate's public facts, once the label is known to be genuine."
    )
    item: ItemFacts | None = Field(
        default=None,
        exclude_if=_no_item,
        description="Since verdict JSON 1.1: what the label belongs to (the product line's "
        "description), with the certificate facts; absent when there are none.",
    )
    mode: Literal["online", "offline"]
    data_as_of: Instant | None = Field(description="Offline: when the verifier's data was made.")
    assumptions: tuple[Assumption, ...] = Field(
        default=(),
        exclude_if=_no_assumptions,
        description="Online: the catalogue records behind the verdict that the seed data "
        "marks as placeholders. Absent when there are none.",
    )
    checked_at: Instant

    def check(self, name: str) -> Check | None:
        for check in self.checks:
            if check.name == name:
                return check
        return None

    @property
    def extra(self) -> Mapping[str, Any]:
        """The optional members beside the fixed ones (``assumptions``), as a mapping: the
        spelling the pages read."""
        return {"assumptions": self.assumptions} if self.assumptions else {}


# ---------------------------------------------------------------------------- decision

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
