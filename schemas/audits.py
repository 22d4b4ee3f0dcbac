"""Audits, their per-criterion findings and evidence files stored by content hash."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlmodel import Field, SQLModel

from schemas.types import UTCDateTime, utcnow

__all__ = [
    "Audit",
    "AuditEvidence",
    "AuditFinding",
    "AuditProductLine",
    "EvidenceBlob",
    "EvidenceHolder",
]


class EvidenceBlob(SQLModel, table=True):
    """An evidence file (lab report, photo); its SHA-256 is its identity.

    Stored once, whoever uploads it. ``uploaded_by`` and ``body_id`` name its first
    uploader; who may read or cite it is decided by :class:`EvidenceHolder`, never by them.
    """

    __tablename__ = "evidence_blob"

    sha256: str = Field(sa_column=Column(String(64), primary_key=True))
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    media_type: str = Field(sa_column=Column(String(100), nullable=False))
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False)
    )
    body_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("body.id"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EvidenceHolder(SQLModel, table=True):
    """A body that uploaded an evidence file: one row per (file, body), however many times
    the body uploads it. A body reads and cites the files it holds, and only those."""

    __tablename__ = "evidence_holder"

    sha256: str = Field(
        sa_column=Column(String(64), ForeignKey("evidence_blob.sha256"), primary_key=True)
    )
    body_id: int = Field(sa_column=Column(Integer, ForeignKey("body.id"), primary_key=True))
    first_uploaded_by: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False)
    )
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Audit(SQLModel, table=True):
    """A submitted audit. Immutable: a correction is a new audit naming the one it corrects.

    ``idempotency_key`` is the client's id of the submission (the ``Idempotency-Key``
    header, the workspace form's hidden field), unique per body: a retry of the same
    submission finds this audit instead of recording a second one. ``request_hash`` is the
    SHA-256 of what was submitted with it, so a key reused for another audit is refused.
    """

    __tablename__ = "audit"
    __table_args__ = (
        Index("uq_audit_body_idempotency_key", "body_id", "idempotency_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    inspector_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False, index=True)
    )
    body_id: int = Field(
        sa_column=Column(Integer, ForeignKey("body.id"), nullable=False, index=True)
    )
    artisan_id: int = Field(
        sa_column=Column(Integer, ForeignKey("artisan.id"), nullable=False, index=True)
    )
    scheme_id: int = Field(
        sa_column=Column(Integer, ForeignKey("label_scheme.id"), nullable=False, index=True)
    )
    audit_date: date = Field(sa_column=Column(Date, nullable=False))
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    outcome: str = Field(sa_column=Column(String(8), nullable=False))
    corrects_audit_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("audit.id"), nullable=True)
    )
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    idempotency_key: str | None = Field(default=None, sa_column=Column(String(100), nullable=True))
    request_hash: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))


class AuditProductLine(SQLModel, table=True):
    __tablename__ = "audit_product_line"

    audit_id: int = Field(sa_column=Column(Integer, ForeignKey("audit.id"), primary_key=True))
    product_line_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product_line.id"), primary_key=True)
    )


class AuditFinding(SQLModel, table=True):
    """The inspector's observation for one criterion; ``passed`` is computed, never typed."""

    __tablename__ = "audit_finding"

    id: int | None = Field(default=None, primary_key=True)
    audit_id: int = Field(
        sa_column=Column(Integer, ForeignKey("audit.id"), nullable=False, index=True)
    )
    criterion_id: int = Field(
        sa_column=Column(Integer, ForeignKey("scheme_criterion.id"), nullable=False)
    )
    passed: bool = Field(sa_column=Column(Boolean, nullable=False))
    observed: bool | None = Field(default=None, sa_column=Column(Boolean, nullable=True))
    measured_value: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    unit: str | None = Field(default=None, sa_column=Column(String(30), nullable=True))
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AuditEvidence(SQLModel, table=True):
    __tablename__ = "audit_evidence"

    audit_id: int = Field(sa_column=Column(Integer, ForeignKey("audit.id"), primary_key=True))
    sha256: str = Field(
        sa_column=Column(String(64), ForeignKey("evidence_blob.sha256"), primary_key=True)
    )
    filename: str = Field(sa_column=Column(String(255), nullable=False))
