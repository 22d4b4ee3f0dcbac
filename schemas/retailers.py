"""Retailer organisations, their receipts of labelled items, and the marks receipts leave.

* ``retailer``: a department store or importer. Its machines call the API with bearer
  tokens of one service account (``account_id``, role ``retailer``) that has no password:
  the registry's operators open it and hand out its first key (docs/retailers.md).
* ``receipt``: one labelled item received by one retailer. ``(retailer_id, label_id)`` is
  unique: a retailer records a label once, and a repeat answers the first receipt. The
  first receipt of a label by anyone ``binds`` it to that retailer and country.
* ``label_mark``: evidence that a label may have been copied, by reason code (a retailer
  received a label another retailer had received; one shipment held the same label twice).
  No personal data: a label, a reason, the organisation whose receipt raised it, a time.
  ``(label_id, reason, retailer_id)`` is unique, so a retried request marks once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict
from pydantic import Field as PydField
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from schemas.text import SINGLE_LINE
from schemas.types import UTCDateTime, utcnow

__all__ = [
    "COUNTRY_PATTERN",
    "THRESHOLD_REASONS",
    "LabelMark",
    "LabelMarkLift",
    "MarkReason",
    "Receipt",
    "ReceiptChannel",
    "ReceiptItemOutcome",
    "ReceiptItemResult",
    "ReceiptPage",
    "ReceiptPublic",
    "ReceiptsRecorded",
    "Retailer",
    "RetailerCreate",
    "RetailerPublic",
    "RetailerStatus",
    "ShipmentReceipt",
]

_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")

#: ISO 3166-1 alpha-2: two upper-case letters (the registry does not keep the list).
COUNTRY_PATTERN = r"^[A-Z]{2}$"
#: A shipment reference as retailers' systems write them (a despatch advice number, a URN).
SHIPMENT_PATTERN = r"^[!-~](?:[ -~]{0,98}[!-~])?$"


class RetailerStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class ReceiptChannel(StrEnum):
    JSON = "json"
    EPCIS = "epcis"


class MarkReason(StrEnum):
    """Why a label is marked. Read by the SUSPICIOUS verdict (issue 15 item 4)."""

    RECEIVED_BY_TWO_RETAILERS = "received_by_two_retailers"
    RECEIVED_TWICE_IN_ONE_SHIPMENT = "received_twice_in_one_shipment"
    #: Written by the scan telemetry's flush when a threshold is crossed (docs/privacy.md).
    SCANNED_IN_MANY_COUNTRIES = "scanned_in_many_countries"
    SCANNED_TOO_OFTEN = "scanned_too_often"
    #: Written when the certifying body confirms a buyer's report of a fake.
    CONFIRMED_CLONE = "confirmed_clone"


#: The marks a scan threshold writes: the ones a body's administrator may lift.
THRESHOLD_REASONS: frozenset[str] = frozenset(
    {MarkReason.SCANNED_IN_MANY_COUNTRIES.value, MarkReason.SCANNED_TOO_OFTEN.value}
)


class Retailer(SQLModel, table=True):
    __tablename__ = "retailer"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(16), unique=True, nullable=False))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    country: str = Field(sa_column=Column(String(2), nullable=False))
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id"), unique=True, nullable=False)
    )
    status: str = Field(sa_column=Column(String(10), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Receipt(SQLModel, table=True):
    __tablename__ = "receipt"
    __table_args__ = (
        UniqueConstraint("retailer_id", "label_id", name="uq_receipt_retailer_label"),
        Index("ix_receipt_label", "label_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    retailer_id: int = Field(sa_column=Column(Integer, ForeignKey("retailer.id"), nullable=False))
    label_id: int = Field(sa_column=Column(_BIG_ID, ForeignKey("label.id"), nullable=False))
    shipment_ref: str = Field(sa_column=Column(String(100), nullable=False))
    country: str = Field(sa_column=Column(String(2), nullable=False))
    channel: str = Field(sa_column=Column(String(8), nullable=False))
    epcis_event_id: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    #: Whether this receipt was the label's first by anyone: it binds the label.
    binds: bool = Field(sa_column=Column(Boolean, nullable=False))
    #: The verdict the label had when it was received (AUTHENTIC, SUSPENDED, …).
    verdict: str = Field(sa_column=Column(String(24), nullable=False))
    #: Reason codes of the marks this receipt raised, comma-separated ("" for none).
    marks: str = Field(default="", sa_column=Column(String(200), nullable=False))
    received_at: datetime = Field(sa_type=UTCDateTime)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LabelMark(SQLModel, table=True):
    __tablename__ = "label_mark"
    __table_args__ = (
        UniqueConstraint("label_id", "reason", "retailer_id", name="uq_label_mark"),
        Index("ix_label_mark_label", "label_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    label_id: int = Field(sa_column=Column(_BIG_ID, ForeignKey("label.id"), nullable=False))
    reason: str = Field(sa_column=Column(String(40), nullable=False))
    retailer_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("retailer.id"), nullable=True)
    )
    receipt_id: int | None = Field(
        default=None, sa_column=Column(_BIG_ID, ForeignKey("receipt.id"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: What a scan-threshold mark saw (JSON: countries, scans, window_days); None otherwise.
    evidence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    #: The lift that cleared this mark (a body found the scans legitimate); None: it stands.
    lift_id: int | None = Field(
        default=None,
        sa_column=Column(_BIG_ID, ForeignKey("label_mark_lift.id"), nullable=True),
    )


class LabelMarkLift(SQLModel, table=True):
    """A body administrator's decision that a label's threshold marks were wrong (a trade
    fair, a shop's display scanned all day): the marks it lifts stop counting, and the
    thresholds count only the scans after it (``baseline``: the label's counters at the
    lift, JSON ``{"day": {"country": scans}}``, subtracted from later counts)."""

    __tablename__ = "label_mark_lift"
    __table_args__ = (Index("ix_label_mark_lift_label", "label_id"),)

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    label_id: int = Field(sa_column=Column(_BIG_ID, ForeignKey("label.id"), nullable=False))
    #: The reason codes lifted, comma-separated.
    reasons: str = Field(sa_column=Column(String(200), nullable=False))
    note: str = Field(sa_column=Column(String(500), nullable=False))
    lifted_by: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    lifted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    baseline: str = Field(default="{}", sa_column=Column(Text, nullable=False))


# --- API models -------------------------------------------------------------------------


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ShipmentReceipt(_Input):
    """``POST /api/v1/receipts``: the labels of one shipment, as scanned at the dock."""

    shipment_ref: str = PydField(
        min_length=1,
        max_length=100,
        pattern=SHIPMENT_PATTERN,
        description="Your reference of the shipment (despatch advice, delivery note)",
    )
    country: str | None = PydField(
        default=None,
        pattern=COUNTRY_PATTERN,
        description="ISO 3166-1 alpha-2 country where the goods were received; "
        "default: the country your account was opened with",
    )
    received_at: AwareDatetime | None = PydField(
        default=None,
        description="When the goods were received, with its UTC offset (default: now)",
    )
    # Each label as long as the verify API admits one (MAX_LABEL_TEXT); a longer text is no
    # label the registry issued.
    labels: list[Annotated[str, PydField(max_length=4_096)]] = PydField(
        min_length=1,
        max_length=1000,
        description="The label URIs, one per item received, exactly as scanned",
    )


class ReceiptItemOutcome(StrEnum):
    RECORDED = "recorded"
    REFUSED = "refused"


class ReceiptPublic(BaseModel):
    id: int
    gtin: str
    serial: str
    shipment_ref: str
    country: str
    channel: ReceiptChannel
    epcis_event_id: str | None
    binds: bool = PydField(description="This was the label's first receipt by anyone")
    verdict: str = PydField(description="The label's verdict when it was received")
    marks: list[str] = PydField(description="Reason codes of the marks this receipt raised")
    received_at: datetime
    recorded_at: datetime


class ReceiptItemResult(BaseModel):
    """One item of a shipment: recorded (with its receipt) or refused (with reasons)."""

    index: int = PydField(description="Position of the item in the request (0-based)")
    label: str = PydField(description="The label URI as sent (up to 512 characters)")
    outcome: ReceiptItemOutcome
    reasons: list[str] = PydField(
        description="Refused: why (verification reason codes, label_unknown)"
    )
    receipt: ReceiptPublic | None


class ReceiptsRecorded(BaseModel):
    recorded: int
    refused: int
    items: list[ReceiptItemResult]


class ReceiptPage(BaseModel):
    items: list[ReceiptPublic]
    next_after: int | None = PydField(
        description="Pass as `after` for the next page; null on the last page"
    )


class RetailerPublic(BaseModel):
    code: str
    name: str
    country: str
    status: RetailerStatus
    created_at: datetime


class RetailerCreate(_Input):
    name: str = PydField(min_length=1, max_length=200, pattern=SINGLE_LINE)
    country: str = PydField(pattern=COUNTRY_PATTERN)
