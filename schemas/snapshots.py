"""The status snapshots as signed, kept for every server of the registry to serve."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, String
from sqlmodel import Field, SQLModel

from schemas.types import UTCDateTime

__all__ = ["PublishedSnapshotRow"]


class PublishedSnapshotRow(SQLModel, table=True):
    """The latest signed snapshot of one kind (``labels``, ``certificates``): its bytes, the
    root key that signed them, and the fingerprint of the state they list."""

    __tablename__ = "published_snapshot"

    kind: str = Field(sa_column=Column(String(20), primary_key=True))
    kid: str | None = Field(default=None, sa_column=Column(String(8), nullable=True))
    fingerprint: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
