"""API models of certificates and their lifecycle.

A certificate's scheme, level, artisan, code and status come from the registry (the audit it
rests on, a random draw, the lifecycle rules); a client only chooses the scope, the start of
validity and, for a status change, a reason from :class:`ReasonCode`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.audits_api import FreeText, IsoDate, ProductLineIds, RowId
from schemas.certificates import CertificateStatus

__all__ = [
    "CertificateCreate",
    "CertificateEventPublic",
    "CertificatePage",
    "CertificatePublic",
    "CertificateStatusChange",
    "ReasonCode",
]


class ReasonCode(StrEnum):
    """Why a body admin suspends, reinstates or withdraws a certificate.

    * ``surveillance_nonconformity`` — a surveillance audit or market check found a
      non-conformity;
    * ``artisan_request`` — the artisan asked for it (e.g. a workshop closing for a season);
    * ``corrective_action_closed`` — the artisan's corrective action was verified (the usual
      reason to reinstate);
    * ``label_misuse`` — labels used outside the certified scope;
    * ``fraud`` — falsified evidence or counterfeit labels;
    * ``administrative_error`` — the previous decision was recorded in error;
    * ``other`` — anything else; ``reason_text`` is then required.
    """

    SURVEILLANCE_NONCONFORMITY = "surveillance_nonconformity"
    ARTISAN_REQUEST = "artisan_request"
    CORRECTIVE_ACTION_CLOSED = "corrective_action_closed"
    LABEL_MISUSE = "label_misuse"
    FRAUD = "fraud"
    ADMINISTRATIVE_ERROR = "administrative_error"
    OTHER = "other"


class _Input(BaseModel):
    # Nothing is stripped: text is validated as sent (see schemas.text).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class CertificateCreate(_Input):
    """Certify an artisan from one passing audit.

    ``product_line_ids`` defaults to every product line the audit covered and may only
    narrow it; ``valid_from`` defaults to the audit date and may not precede it.
    """

    audit_id: RowId
    product_line_ids: ProductLineIds | None = None
    valid_from: IsoDate | None = None


class CertificateStatusChange(_Input):
    """A suspension, reinstatement or withdrawal: a reason code and an optional note.

    The note may name people, so it stays in the certificate's history and never reaches
    the public transparency log.
    """

    # The document states the rule below: reason_code ``other`` comes with a reason_text.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"required": ["reason_code"], "properties": {"reason_code": {"const": "other"}}},
            "then": {
                "required": ["reason_text"],
                "properties": {"reason_text": {"type": "string"}},
            },
        }
    )

    reason_code: ReasonCode
    reason_text: FreeText | None = None

    @model_validator(mode="after")
    def _other_needs_text(self) -> Self:
        if self.reason_code is ReasonCode.OTHER and not self.reason_text:
            raise ValueError("reason_code 'other' needs a reason_text")
        return self


class CertificatePublic(BaseModel):
    id: int
    code: str = Field(
        pattern=r"^C-[0-9A-HJKMNP-TV-Z]{7}$",
        description="The certificate's code as printed on its labels, badge and public page: "
        "C- and 7 Crockford base32 characters.",
        examples=["C-3E9ZPMR"],
    )
    status: CertificateStatus = Field(description="Effective status; 'expired' is derived")
    artisan_id: int
    artisan_public_id: str
    artisan_display_name_latin: str
    artisan_display_name_arabic: str
    region_code: str
    body_code: str
    scheme_code: str
    scheme_name: str
    level: int | None
    level_name: str | None
    audit_id: int
    valid_from: date
    valid_until: date
    product_line_ids: list[int]
    created_at: datetime
    status_changed_at: datetime


class CertificatePage(BaseModel):
    items: list[CertificatePublic]
    total: int
    limit: int
    offset: int
    next_cursor: str | None = Field(
        default=None,
        description="Pass it as `cursor` for the next page (keyset: stable while "
        "certificates are added); null on the last page.",
    )


class CertificateEventPublic(BaseModel):
    """One entry of a certificate's history, oldest first."""

    action: str
    from_status: str | None
    to_status: str
    reason_code: str
    reason_text: str | None
    actor_id: int
    at: datetime
