"""Labels: one row per physical item, the batches they were issued in, and their history.

* ``label_batch``: one issuance request (up to 100,000 labels under one certificate and
  product line). ``(body_id, idempotency_key)`` is unique, so a retried request finds the
  batch it already made instead of making a second one; ``request_hash`` tells a retry
  (same body) from a misuse of the key (different body).
* ``label``: GTIN, serial (unique per GTIN), certificate, issue time (minute precision), key
  id and the 64-byte Ed25519 signature: everything needed to rebuild the printed URI. The
  label's *own* status (active, suspended, revoked) is stored here; the certificate's status
  is not copied onto its labels (verification combines the two, see ``docs/labels.md``).
* ``label_event``: every status change of a label, with actor, time and reason. Append-only
  (database triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from schemas.types import UTCDateTime, utcnow

__all__ = [
    "BatchStatus",
    "Label",
    "LabelAction",
    "LabelBatch",
    "LabelEvent",
    "LabelStatus",
    "MAX_BATCH_SIZE",
]

#: The largest batch one request may issue (documented limit).
MAX_BATCH_SIZE = 100_000

# Label ids grow into the tens of millions: 64-bit on PostgreSQL, the rowid on SQLite.
_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


class BatchStatus(StrEnum):
    """``queued``/``running`` only for background batches; a batch's labels exist if and
    only if its status is ``completed``."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class LabelStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class LabelAction(StrEnum):
    SUSPENDED = "suspended"
    REINSTATED = "reinstated"
    REVOKED = "revoked"


class LabelBatch(SQLModel, table=True):
    """One issuance request and its outcome."""

    __tablename__ = "label_batch"
    __table_args__ = (
        UniqueConstraint("body_id", "idempotency_key", name="uq_label_batch_body_key"),
        Index("ix_label_batch_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    body_id: int = Field(
        sa_column=Column(Integer, ForeignKey("body.id"), nullable=False, index=True)
    )
    certificate_id: int = Field(
        sa_column=Column(Integer, ForeignKey("certificate.id"), nullable=False, index=True)
    )
    artisan_id: int = Field(
        sa_column=Column(Integer, ForeignKey("artisan.id"), nullable=False, index=True)
    )
    product_line_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product_line.id"), nullable=False)
    )
    gtin: str = Field(sa_column=Column(String(14), nullable=False))
    quantity: int = Field(sa_column=Column(Integer, nullable=False))
    issued_count: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    status: str = Field(sa_column=Column(String(12), nullable=False))
    failure: str | None = Field(default=None, sa_column=Column(String(60), nullable=True))
    kid: str | None = Field(default=None, sa_column=Column(String(8), nullable=True))
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_log_index: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    idempotency_key: str | None = Field(default=None, sa_column=Column(String(100), nullable=True))
    request_hash: str = Field(sa_column=Column(String(64), nullable=False))
    created_by: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Background batches (see labeling.labels.jobs): who issues it, until when, how often.
    lease_owner: str | None = Field(default=None, sa_column=Column(String(80), nullable=True))
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))


class Label(SQLModel, table=True):
    """One physical item. Written in bulk (never one ORM object per label); read here."""

    __tablename__ = "label"
    __table_args__ = (
        UniqueConstraint("gtin", "serial", name="uq_label_gtin_serial"),
        Index("ix_label_certificate_status", "certificate_id", "status"),
    )

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    batch_id: int = Field(
        sa_column=Column(Integer, ForeignKey("label_batch.id"), nullable=False, index=True)
    )
    certificate_id: int = Field(
        sa_column=Column(Integer, ForeignKey("certificate.id"), nullable=False)
    )
    artisan_id: int = Field(
        sa_column=Column(Integer, ForeignKey("artisan.id"), nullable=False, index=True)
    )
    gtin: str = Field(sa_column=Column(String(14), nullable=False))
    serial: str = Field(sa_column=Column(String(12), nullable=False))
    issued_at: datetime = Field(sa_type=UTCDateTime)
    kid: str = Field(sa_column=Column(String(8), nullable=False))
    signature: bytes = Field(sa_column=Column(LargeBinary(64), nullable=False))
    status: str = Field(sa_column=Column(String(10), nullable=False))
    status_reason: str | None = Field(default=None, sa_column=Column(String(40), nullable=True))
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LabelEvent(SQLModel, table=True):
    """One status change of one label: who, when, why. Never rewritten."""

    __tablename__ = "label_event"

    id: int | None = Field(default=None, sa_column=Column(_BIG_ID, primary_key=True))
    label_id: int = Field(
        sa_column=Column(_BIG_ID, ForeignKey("label.id"), nullable=False, index=True)
    )
    action: str = Field(sa_column=Column(String(12), nullable=False))
    from_status: str = Field(sa_column=Column(String(10), nullable=False))
    to_status: str = Field(sa_column=Column(String(10), nullable=False))
    reason_code: str = Field(sa_column=Column(String(40), nullable=False))
    actor_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
