"""Signing keys as the registry publishes them. No private material is ever stored here:
``key_uri`` names where the signer finds the key (an encrypted file or an HSM object).

Two purposes share the table:

* ``label`` keys sign label claims; they rotate, and each has a validity window
  (``not_before`` … ``retired_at``) and possibly a compromise time;
* the ``root`` key is the registry's root of trust: it signs the trust list and the
  transparency log's checkpoints, and verifiers pin it once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Column, LargeBinary, String
from sqlmodel import Field, SQLModel

from schemas.types import UTCDateTime, utcnow

__all__ = ["KeyPurpose", "SigningKey"]


class KeyPurpose(StrEnum):
    """What a key signs."""

    LABEL = "label"
    ROOT = "root"


class SigningKey(SQLModel, table=True):
    """A registered public key and its validity window (never a secret)."""

    __tablename__ = "signing_key"

    id: int | None = Field(default=None, primary_key=True)
    kid: str = Field(sa_column=Column(String(8), unique=True, nullable=False))
    purpose: str = Field(sa_column=Column(String(8), nullable=False, index=True))
    algorithm: str = Field(default="Ed25519", sa_column=Column(String(16), nullable=False))
    public_key: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False))
    backend: str = Field(sa_column=Column(String(16), nullable=False))
    key_uri: str = Field(sa_column=Column(String(500), nullable=False))
    is_development: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    not_before: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    compromised_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
