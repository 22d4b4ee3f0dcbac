"""Signing keys as the registry publishes them. No private material is ever stored here:
``key_uri`` names where the signer finds the key (an encrypted file or an HSM object)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, LargeBinary, String
from sqlmodel import Field, SQLModel

from schemas.types import UTCDateTime, utcnow

__all__ = ["SigningKey"]


class SigningKey(SQLModel, table=True):
    __tablename__ = "signing_key"

    id: int | None = Field(default=None, primary_key=True)
    kid: str = Field(sa_column=Column(String(8), unique=True, nullable=False))
    algorithm: str = Field(default="Ed25519", sa_column=Column(String(16), nullable=False))
    public_key: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False))
    backend: str = Field(sa_column=Column(String(16), nullable=False))
    key_uri: str = Field(sa_column=Column(String(500), nullable=False))
    is_development: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    not_before: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    compromised_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
