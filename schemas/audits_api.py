"""API models of audits and evidence: what an inspector sends, what a reader gets back.

Request bodies forbid unknown fields, so an ``id``, an ``outcome`` or a finding's ``passed``
sent by a client is a 422 instead of being silently dropped: those are computed by the
registry, never typed in. Every number, id and string is bounded here, so that nothing a
client sends can overflow a database column or reach a query as garbage.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Final, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    model_validator,
)
from pydantic.config import JsonDict

from schemas.text import FILE_NAME, SINGLE_LINE, TEXT, bidi_checked, refuse_bidi_controls

__all__ = [
    "MAX_MEASURED_VALUE",
    "MAX_ROW_ID",
    "SINCE_2000",
    "AuditContent",
    "AuditCorrection",
    "AuditCreate",
    "AuditEvidencePublic",
    "AuditOutcome",
    "AuditPage",
    "AuditPublic",
    "AuditSummary",
    "EvidencePublic",
    "EvidenceRef",
    "FindingInput",
    "FindingPublic",
    "FreeText",
    "IsoDate",
    "ProductLineIds",
    "RowId",
    "SchemeCode",
    "Sha256Hex",
]

# Ids are 32-bit integer columns on PostgreSQL; anything larger is refused at the edge
# rather than becoming a database overflow error.
MAX_ROW_ID = 2_147_483_647

# Every measured criterion is a non-negative physical quantity (knots per m², mg/dm²). The
# densest silk carpets reach a few million knots per m²; a billion is a typing error.
MAX_MEASURED_VALUE = 1_000_000_000.0

# Audits older than this are not registry records but data-entry mistakes.
EARLIEST_AUDIT_DATE = date(2000, 1, 1)
#: What the document says of an audit date: a calendar date from the year 2000 on (JSON
#: Schema has no minimum for a date; the pattern states it).
SINCE_2000: Final = r"^[2-9][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _printable(text: str) -> str:
    # NUL cannot be stored in a PostgreSQL text column and other control characters have no
    # business in notes; refusing them keeps both backends answering the same way.
    if _CONTROL.search(text):
        raise ValueError("control characters are not allowed")
    return refuse_bidi_controls(text)


def _iso_date_only(value: Any) -> Any:
    # Lax parsing would read 1700000000 or "2025-01-01T00:00" as a date; an audit date is
    # a calendar date written as one.
    if isinstance(value, datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date-time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise ValueError("expected a date written as YYYY-MM-DD")


def _plain_filename(name: str) -> str:
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise ValueError("a file name, not a path")
    return name


def _distinct(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise ValueError("lists a product line twice")
    return ids


RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
#: Product lines of an audit or a certificate: each once (``uniqueItems`` says so).
ProductLineIds = Annotated[
    list[RowId],
    Field(min_length=1, max_length=100, json_schema_extra={"uniqueItems": True}),
    AfterValidator(_distinct),
]
Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", min_length=64, max_length=64)]
SchemeCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")]
CriterionCode = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$")]
FreeText = Annotated[
    str,
    Field(min_length=1, max_length=4000, pattern=TEXT),
    BeforeValidator(bidi_checked),
    AfterValidator(_printable),
]
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
EvidenceFilename = Annotated[
    str,
    Field(min_length=1, max_length=255, pattern=FILE_NAME),
    AfterValidator(_printable),
    AfterValidator(_plain_filename),
]


class AuditOutcome(StrEnum):
    """An audit passes iff every finding passes; computed, never typed in."""

    PASS = "pass"
    FAIL = "fail"


class _Input(BaseModel):
    # Nothing is stripped: text is validated as sent (see schemas.text).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


#: A field of FindingInput given (not null), for its rule.
_GIVEN_OBSERVED: Final[JsonDict] = {
    "required": ["observed"],
    "properties": {"observed": {"type": "boolean"}},
}
_GIVEN_MEASURED_VALUE: Final[JsonDict] = {
    "required": ["measured_value"],
    "properties": {"measured_value": {"type": "number"}},
}
_GIVEN_UNIT: Final[JsonDict] = {"required": ["unit"], "properties": {"unit": {"type": "string"}}}


class FindingInput(_Input):
    """What the inspector observed for one criterion of the scheme.

    A measured criterion takes ``measured_value`` and ``unit`` (the criterion's own unit);
    a yes/no criterion takes ``observed``. Whether the finding passes is the registry's
    computation, so there is no ``passed`` field to send.
    """

    # The document states the rule below: measured_value and unit, or observed.
    model_config = ConfigDict(
        json_schema_extra={
            "if": _GIVEN_OBSERVED,
            "then": {"not": {"anyOf": [_GIVEN_MEASURED_VALUE, _GIVEN_UNIT]}},
            "else": {"allOf": [_GIVEN_MEASURED_VALUE, _GIVEN_UNIT]},
        }
    )

    criterion: CriterionCode
    measured_value: StrictFloat | None = Field(default=None, ge=0, le=MAX_MEASURED_VALUE)
    unit: (
        Annotated[
            str, Field(min_length=1, max_length=30, pattern=SINGLE_LINE), AfterValidator(_printable)
        ]
        | None
    ) = None
    observed: StrictBool | None = None
    notes: FreeText | None = None

    @model_validator(mode="after")
    def _one_kind_of_observation(self) -> Self:
        if (self.measured_value is None) != (self.unit is None):
            raise ValueError("a measured finding needs both measured_value and unit")
        measured = self.measured_value is not None
        if measured and self.observed is not None:
            raise ValueError("a finding is either measured (value, unit) or observed, not both")
        if not measured and self.observed is None:
            raise ValueError("a finding needs measured_value and unit, or observed")
        if self.measured_value is not None and not math.isfinite(self.measured_value):
            raise ValueError("measured_value must be a finite number")
        return self


class EvidenceRef(_Input):
    """An evidence file already uploaded (``POST /api/v1/evidence``), named for this audit."""

    sha256: Sha256Hex
    filename: EvidenceFilename


class AuditContent(_Input):
    scheme: SchemeCode = Field(description="Label scheme code, e.g. TAPIS-SUPERIEURE")
    product_line_ids: ProductLineIds
    audit_date: IsoDate = Field(
        description="The day of the audit: not in the future, not before 2000",
        json_schema_extra={"pattern": SINCE_2000},
    )
    findings: list[FindingInput] = Field(
        min_length=1, max_length=50, description="One finding per criterion of the scheme"
    )
    evidence: list[EvidenceRef] = Field(default_factory=list, max_length=50)
    notes: FreeText | None = None

    # A criterion or an evidence file given twice is a rule JSON Schema cannot state (unique
    # by one member): the service refuses it with its own problem type (labeling.audits).
    @model_validator(mode="after")
    def _since_2000(self) -> Self:
        if self.audit_date < EARLIEST_AUDIT_DATE:
            raise ValueError(f"audit_date before {EARLIEST_AUDIT_DATE.isoformat()}")
        return self


class AuditCreate(AuditContent):
    """An inspector's audit of an artisan of its own body."""

    artisan_id: RowId


class AuditCorrection(AuditContent):
    """A corrected audit: same artisan as the audit it corrects, everything else restated."""


class EvidencePublic(BaseModel):
    """A stored evidence file: its content hash is its identity."""

    sha256: str
    size: int
    media_type: str


class FindingPublic(BaseModel):
    criterion_code: str
    criterion_name: str
    kind: str
    comparison: str | None
    threshold: float | None
    criterion_unit: str | None
    measured_value: float | None
    unit: str | None
    observed: bool | None
    passed: bool
    notes: str | None


class AuditEvidencePublic(BaseModel):
    sha256: str
    filename: str
    media_type: str
    size: int


class AuditSummary(BaseModel):
    id: int
    artisan_id: int
    artisan_public_id: str
    body_code: str
    inspector_id: int
    scheme_code: str
    audit_date: date
    submitted_at: datetime
    outcome: AuditOutcome
    corrects_audit_id: int | None
    content_hash: str


class AuditPublic(AuditSummary):
    scheme_name: str
    corrected_by_audit_id: int | None
    notes: str | None
    product_line_ids: list[int]
    findings: list[FindingPublic]
    evidence: list[AuditEvidencePublic]


class AuditPage(BaseModel):
    items: list[AuditSummary]
    total: int
    limit: int
    offset: int
