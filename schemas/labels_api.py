"""API models of label batches, labels and their lifecycle.

Inputs forbid unknown fields: ids, statuses, key ids, serials, signatures and log indexes
come from the registry, never from a client.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Final, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from schemas.audits_api import RowId
from schemas.labels import BatchStatus, LabelStatus

__all__ = [
    "LabelBatchCreate",
    "LabelBatchPage",
    "LabelBatchPublic",
    "LabelBulkStatusChange",
    "LabelPage",
    "LabelPublic",
    "LabelReasonCode",
    "LabelStatusChange",
    "LabelStatusChangeResult",
]


class LabelReasonCode(StrEnum):
    """Why a label is suspended, reinstated or revoked.

    * ``lost_or_stolen`` — labels left the workshop without an item (revoke);
    * ``damaged`` / ``misprinted`` — the printed label is unusable (revoke);
    * ``counterfeit_suspected`` — copies of the label were seen in the market;
    * ``not_applied`` — the item was never made or was sold without the label;
    * ``inspection_hold`` — held pending an inspection (suspend);
    * ``inspection_cleared`` — the inspection found nothing (reinstate);
    * ``administrative_error`` — the previous decision was recorded in error.
    """

    LOST_OR_STOLEN = "lost_or_stolen"
    DAMAGED = "damaged"
    MISPRINTED = "misprinted"
    COUNTERFEIT_SUSPECTED = "counterfeit_suspected"
    NOT_APPLIED = "not_applied"
    INSPECTION_HOLD = "inspection_hold"
    INSPECTION_CLEARED = "inspection_cleared"
    ADMINISTRATIVE_ERROR = "administrative_error"


class _Input(BaseModel):
    # Nothing is stripped: text is validated as sent (see schemas.text).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class LabelBatchCreate(_Input):
    """Issue ``quantity`` labels (1 … 100,000) for one product line of a certificate."""

    certificate_id: RowId
    product_line_id: RowId
    # The business limit (100,000) is checked by the service, which answers the documented
    # ``batch-too-large`` problem; this bound only keeps the number a database integer.
    quantity: int = Field(ge=1, le=2_147_483_647)


class LabelBatchPublic(BaseModel):
    id: int
    certificate_id: int
    product_line_id: int
    artisan_id: int
    gtin: str
    quantity: int
    issued_count: int = Field(
        description="Progress: labels signed so far while the batch is `running` (a job), "
        "`quantity` once it is `completed`, 0 when `queued` or `failed`. Labels of a batch "
        "exist, and can be printed, only when it is `completed`."
    )
    status: BatchStatus = Field(
        description="`queued` and `running` only for jobs (batches over the job threshold); "
        "`completed`; or `failed`, with nothing issued"
    )
    failure: str | None = Field(
        description="Problem slug of a `failed` batch (e.g. `signer-unavailable`, "
        "`certificate-suspended`, `issuance-interrupted`)"
    )
    kid: str | None
    issued_at: datetime | None
    first_log_index: int | None
    created_at: datetime
    completed_at: datetime | None


class LabelBatchPage(BaseModel):
    """A keyset page of batches, newest first."""

    items: list[LabelBatchPublic]
    limit: int
    next_cursor: str | None = Field(
        description="Pass it as `cursor` for the next page; null on the last page."
    )


class LabelPublic(BaseModel):
    id: int
    batch_id: int
    certificate_id: int
    gtin: str
    serial: str
    issued_at: datetime
    kid: str
    status: LabelStatus
    status_reason: str | None
    uri: str = Field(description="The signed GS1 Digital Link URI printed in the QR code")


class LabelPage(BaseModel):
    items: list[LabelPublic]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class LabelStatusChange(_Input):
    reason_code: LabelReasonCode


#: A batch_id or a certificate_id given (not null), for the rule of LabelBulkStatusChange.
_GIVEN_BATCH: Final[JsonDict] = {
    "required": ["batch_id"],
    "properties": {"batch_id": {"type": "integer"}},
}
_GIVEN_CERTIFICATE: Final[JsonDict] = {
    "required": ["certificate_id"],
    "properties": {"certificate_id": {"type": "integer"}},
}


class LabelBulkStatusChange(_Input):
    """Change every label of one batch, or of one certificate, that is in a state the
    action applies to (a revoked label is never changed again)."""

    reason_code: LabelReasonCode
    # The document states the rule below: exactly one of batch_id and certificate_id.
    model_config = ConfigDict(
        json_schema_extra={
            "if": _GIVEN_BATCH,
            "then": {"not": _GIVEN_CERTIFICATE},
            "else": _GIVEN_CERTIFICATE,
        }
    )

    batch_id: RowId | None = None
    certificate_id: RowId | None = None

    @model_validator(mode="after")
    def _one_scope(self) -> Self:
        if (self.batch_id is None) == (self.certificate_id is None):
            raise ValueError("give exactly one of batch_id and certificate_id")
        return self


class LabelStatusChangeResult(BaseModel):
    changed: int = Field(description="Labels whose status changed")
    first_log_index: int | None = Field(description="Log index of the first change, if any")
