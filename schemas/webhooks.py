"""Webhooks: a retailer's subscriptions, the outbox of events, deliveries and their log.

* ``webhook_subscription``: an https URL of a retailer and the ``whsec_`` secret its
  deliveries are signed with (Standard Webhooks). The secret is shown once, at creation.
* ``webhook_event``: the outbox. One row per event per retailer, written in the same
  transaction as the status change it reports; ``message_id`` is the ``webhook-id`` the
  receiver deduplicates by, ``payload`` the exact bytes delivered.
* ``webhook_delivery``: one event to one subscription: when to try next, who holds the
  lease on it (a delivery worker), how it ended.
* ``webhook_attempt``: the delivery log: every attempt, its HTTP status or error code.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict
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
)
from sqlmodel import Field, SQLModel

from schemas.types import UTCDateTime, utcnow

__all__ = [
    "DeliveryStatus",
    "WebhookAttempt",
    "WebhookAttemptPublic",
    "WebhookCreate",
    "WebhookCreated",
    "WebhookDelivery",
    "WebhookDeliveryPage",
    "WebhookDeliveryPublic",
    "WebhookEvent",
    "WebhookEventType",
    "WebhookPublic",
    "WebhookSubscription",
    "WebhookUpdate",
]

_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


class WebhookEventType(StrEnum):
    LABEL_SUSPENDED = "label.suspended"
    LABEL_REINSTATED = "label.reinstated"
    LABEL_REVOKED = "label.revoked"
    #: The label stands marked as copied (a SUSPICIOUS verdict), once per reason.
    LABEL_SUSPICIOUS = "label.suspicious"
    #: The body lifted the label's scan-threshold marks (the scans were legitimate).
    LABEL_MARK_LIFTED = "label.mark_lifted"
    CERTIFICATE_SUSPENDED = "certificate.suspended"
    CERTIFICATE_REINSTATED = "certificate.reinstated"
    CERTIFICATE_WITHDRAWN = "certificate.withdrawn"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    #: Every attempt of the retry schedule failed; a replay makes it pending again.
    FAILED = "failed"


class WebhookSubscription(SQLModel, table=True):
    __tablename__ = "webhook_subscription"

    id: int | None = Field(default=None, primary_key=True)
    retailer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("retailer.id"), nullable=False, index=True)
    )
    url: str = Field(sa_column=Column(String(2048), nullable=False))
    secret: str = Field(sa_column=Column(String(100), nullable=False))
    description: str = Field(default="", sa_column=Column(String(200), nullable=False))
    #: Comma-separated event types; "" for every type.
    event_types: str = Field(default="", sa_column=Column(String(400), nullable=False))
    is_active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookEvent(SQLModel, table=True):
    __tablename__ = "webhook_event"

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    message_id: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    retailer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("retailer.id"), nullable=False, index=True)
    )
    type: str = Field(sa_column=Column(String(40), nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_finished", "finished_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    event_id: int = Field(
        sa_column=Column(_BIG_ID, ForeignKey("webhook_event.id"), nullable=False, index=True)
    )
    subscription_id: int = Field(
        sa_column=Column(Integer, ForeignKey("webhook_subscription.id"), nullable=False, index=True)
    )
    status: str = Field(sa_column=Column(String(10), nullable=False))
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    #: When the current series of attempts began (creation, or the last replay).
    series_started_at: datetime = Field(sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, sa_column=Column(String(80), nullable=True))
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status_code: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    last_error: str | None = Field(default=None, sa_column=Column(String(80), nullable=True))
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: When it ended: delivered, or given up (failed); None while pending. The retention
    #: job prunes an event once all its deliveries ended this long ago.
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempt"

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    delivery_id: int = Field(
        sa_column=Column(_BIG_ID, ForeignKey("webhook_delivery.id"), nullable=False, index=True)
    )
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    status_code: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    error: str | None = Field(default=None, sa_column=Column(String(80), nullable=True))
    duration_ms: int = Field(default=0, sa_column=Column(Integer, nullable=False))


# --- API models -------------------------------------------------------------------------


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebhookCreate(_Input):
    url: str = PydField(
        min_length=9,
        max_length=2048,
        pattern=r"^[!-~]+$",
        description="An https URL on a public address",
    )
    description: str = PydField(default="", max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
    event_types: list[WebhookEventType] = PydField(
        default_factory=list, max_length=10, description="Empty: every event type"
    )


class WebhookUpdate(_Input):
    url: str | None = PydField(default=None, min_length=9, max_length=2048, pattern=r"^[!-~]+$")
    description: str | None = PydField(default=None, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
    event_types: list[WebhookEventType] | None = PydField(default=None, max_length=10)
    is_active: bool | None = None


class WebhookPublic(BaseModel):
    id: int
    url: str
    description: str
    event_types: list[WebhookEventType]
    is_active: bool
    created_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str = PydField(description="The signing secret (whsec_…): shown this once only")


class WebhookAttemptPublic(BaseModel):
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class WebhookDeliveryPublic(BaseModel):
    id: int
    message_id: str = PydField(description="The webhook-id header: deduplicate by it")
    type: WebhookEventType
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[WebhookAttemptPublic]


class WebhookDeliveryPage(BaseModel):
    items: list[WebhookDeliveryPublic]
    next_after: int | None
