"""The registry's own secrets, shared by every worker through the database.

* ``registry_secret``: random bytes drawn once per registry (the first worker that needs
  one inserts it; every other worker reads the same row), from which keys are derived with
  HKDF, one ``info`` label per use (:mod:`labeling.registry.secrets`). Never a private
  key: signing keys stay in their custody (:mod:`labeling.keycustody`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, String
from sqlmodel import Field, SQLModel

from schemas.types import UTCDateTime, utcnow

__all__ = ["RegistrySecret"]


class RegistrySecret(SQLModel, table=True):
    __tablename__ = "registry_secret"

    name: str = Field(sa_column=Column(String(40), primary_key=True))
    value: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
