"""Certificates, their scope and their lifecycle history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel

from schemas.types import UTCDateTime, utcnow

__all__ = [
    "Certificate",
    "CertificateAction",
    "CertificateEvent",
    "CertificateScope",
    "CertificateStatus",
]


class CertificateStatus(StrEnum):
    """Stored statuses. ``expired`` is never stored: it is derived from ``valid_until``."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class CertificateAction(StrEnum):
    ISSUED = "issued"
    SUSPENDED = "suspended"
    REINSTATED = "reinstated"
    WITHDRAWN = "withdrawn"


class Certificate(SQLModel, table=True):
    """A body's decision that an artisan meets a scheme, for a scope and a validity window.

    ``code`` is a random 32-bit number, public and printed in every label; it carries no
    order, so certificates cannot be enumerated from it.
    """

    __tablename__ = "certificate"

    id: int | None = Field(default=None, primary_key=True)
    code: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False))
    artisan_id: int = Field(
        sa_column=Column(Integer, ForeignKey("artisan.id"), nullable=False, index=True)
    )
    body_id: int = Field(
        sa_column=Column(Integer, ForeignKey("body.id"), nullable=False, index=True)
    )
    scheme_id: int = Field(
        sa_column=Column(Integer, ForeignKey("label_scheme.id"), nullable=False, index=True)
    )
    audit_id: int = Field(sa_column=Column(Integer, ForeignKey("audit.id"), nullable=False))
    valid_from: date = Field(sa_column=Column(Date, nullable=False))
    valid_until: date = Field(sa_column=Column(Date, nullable=False))
    status: str = Field(sa_column=Column(String(12), nullable=False, index=True))
    created_by: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    status_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    def effective_status(self, today: date) -> CertificateStatus:
        """The status a reader sees: a stored status, or ``expired`` past the window."""
        status = CertificateStatus(self.status)
        if status is CertificateStatus.WITHDRAWN:
            return status
        if today > self.valid_until:
            return CertificateStatus.EXPIRED
        return status


class CertificateScope(SQLModel, table=True):
    __tablename__ = "certificate_scope"

    certificate_id: int = Field(
        sa_column=Column(Integer, ForeignKey("certificate.id"), primary_key=True)
    )
    product_line_id: int = Field(
        sa_column=Column(Integer, ForeignKey("product_line.id"), primary_key=True)
    )


class CertificateEvent(SQLModel, table=True):
    """One change in a certificate's life: who, when, why. History is never rewritten."""

    __tablename__ = "certificate_event"

    id: int | None = Field(default=None, primary_key=True)
    certificate_id: int = Field(
        sa_column=Column(Integer, ForeignKey("certificate.id"), nullable=False, index=True)
    )
    action: str = Field(sa_column=Column(String(16), nullable=False))
    from_status: str | None = Field(default=None, sa_column=Column(String(12), nullable=True))
    to_status: str = Field(sa_column=Column(String(12), nullable=False))
    reason_code: str = Field(sa_column=Column(String(40), nullable=False))
    reason_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    actor_id: int = Field(sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
