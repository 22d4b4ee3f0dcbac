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
docs/verification.md shows (``conformity.scheme.name``).

Three modules, one idea each: this one is the verdict's shape (the enums, the checks, the
label's facts, the verdict); the certificate's facts and their JSON nesting are
:mod:`verify.certificate_facts` (re-exported here); the rules that decide the verdict
from the checks, and every reason code, are :mod:`verify.decision`. The verifier that
makes a verdict is :mod:`verify.verifier`. This module imports nothing from ``labeling``
or ``core``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from verify.certificate_facts import ArtisanFacts, CertificateFacts, Conformity, StandardFacts
from verify.item import ItemFacts

__all__ = [
    "CHECK_NAMES",
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

#: An instant: UTC, to the second (the verifier drops sub-seconds), written
#: ``2026-06-01T12:00:00Z``.
Instant = datetime


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ------------------------------------------------------------------------------- label


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
