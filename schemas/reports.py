"""Buyers' reports of suspected fakes, and the cases they open for a certification body.

* ``report_case``: one label's open question to the body that certified its artisan. A
  label has at most one open case (a partial unique index); a report of a label whose case
  is open joins it. The body confirms a clone (``confirmed``) or dismisses it
  (``dismissed``); a closed case is never reopened: a later report opens a new one.
* ``fake_report``: what one buyer said: what was bought, where (shop, city, country),
  when, and optionally a photo (re-encoded, without metadata) and an e-mail address. None
  of it is required to identify the buyer; no address, user agent or cookie is stored.
  The personal data (contact, photo, free text) of a closed case is erased after
  ``KHATEM_REPORT_RETENTION_DAYS`` (``khatem reports purge``, docs/reports.md).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic import Field as PydField
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    text,
)
from sqlmodel import Field, SQLModel

from schemas.retailers import COUNTRY_PATTERN
from schemas.text import SINGLE_LINE, TEXT, refuse_bidi_controls
from schemas.types import UTCDateTime, utcnow

__all__ = [
    "EMAIL_PATTERN",
    "CaseDecision",
    "CaseStatus",
    "FakeReport",
    "FakeReportCreate",
    "FakeReportReceived",
    "ReportCase",
]

_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")
#: An e-mail address as people type it (the registry never sends to it; the body may).
EMAIL_PATTERN = r"^[^@\s<>\"]{1,64}@[^@\s<>\"]{1,185}\.[A-Za-z]{2,63}$"


class CaseStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class CaseDecision(StrEnum):
    CONFIRM = "confirm"
    DISMISS = "dismiss"


class ReportCase(SQLModel, table=True):
    __tablename__ = "report_case"
    __table_args__ = (
        Index(
            "uq_report_case_open_label",
            "label_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_report_case_body", "body_id", "status", "id"),
    )

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    label_id: int = Field(sa_column=Column(_BIG_ID, ForeignKey("label.id"), nullable=False))
    #: The body that certified the label's artisan (the label's certificate's body).
    body_id: int = Field(sa_column=Column(Integer, ForeignKey("body.id"), nullable=False))
    status: str = Field(sa_column=Column(String(10), nullable=False))
    reports_count: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_report_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=True)
    )
    #: Whether the confirmation also revoked the label.
    revoked: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    #: When the reports' personal data was erased (retention), if it was.
    purged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FakeReport(SQLModel, table=True):
    __tablename__ = "fake_report"
    __table_args__ = (
        Index("ix_fake_report_case", "case_id"),
        Index("ix_fake_report_label_time", "label_id", "created_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    case_id: int = Field(sa_column=Column(_BIG_ID, ForeignKey("report_case.id"), nullable=False))
    label_id: int = Field(sa_column=Column(_BIG_ID, ForeignKey("label.id"), nullable=False))
    item: str = Field(sa_column=Column(String(500), nullable=False))
    shop_name: str = Field(default="", sa_column=Column(String(200), nullable=False))
    city: str = Field(default="", sa_column=Column(String(100), nullable=False))
    country: str | None = Field(default=None, sa_column=Column(String(2), nullable=True))
    bought_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    contact_email: str | None = Field(default=None, sa_column=Column(String(254), nullable=True))
    #: The photo as the registry re-encoded it (JPEG, no metadata), if one was sent.
    photo: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# --- API models -------------------------------------------------------------------------


Line = Annotated[str, AfterValidator(refuse_bidi_controls)]


class FakeReportCreate(BaseModel):
    """``POST /api/v1/reports``: a buyer's report of a suspected fake. Only the label and
    what was bought are required; nothing that identifies the buyer is."""

    model_config = ConfigDict(extra="forbid")

    gtin: str = PydField(pattern=r"^[0-9]{14}$", description="The label's GTIN (14 digits)")
    serial: str = PydField(
        pattern=r"^[0-9A-Z]{1,12}$", description="The label's serial, as printed"
    )
    item: Line = PydField(
        min_length=1,
        max_length=500,
        pattern=TEXT,
        description="What was bought (e.g. 'a blue wool carpet, 2 x 3 m')",
    )
    shop_name: Line | None = PydField(
        default=None,
        min_length=1,
        max_length=200,
        pattern=SINGLE_LINE,
        description="The shop or market stall where it was bought",
    )
    city: Line | None = PydField(
        default=None,
        min_length=1,
        max_length=100,
        pattern=SINGLE_LINE,
        description="The city where it was bought",
    )
    country: str | None = PydField(
        default=None, pattern=COUNTRY_PATTERN, description="ISO 3166-1 alpha-2 country"
    )
    bought_on: date | None = PydField(default=None, description="When it was bought")
    contact_email: str | None = PydField(
        default=None,
        max_length=254,
        pattern=EMAIL_PATTERN,
        description="Optional: an address where the body may write back to you",
    )
    photo: str | None = PydField(
        default=None,
        max_length=1_000_000,
        pattern=r"^[A-Za-z0-9+/]*={0,2}$",
        description="Optional: a photo of the item or its label, base64 (JPEG, PNG or "
        "WebP); it is re-encoded without its metadata (GPS, camera)",
    )


class FakeReportReceived(BaseModel):
    status: str = PydField(description="Always `received`")
    received_at: datetime
