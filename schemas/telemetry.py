"""Scan counters: how often each label was scanned, per day and coarse country.

Nothing here identifies a scanner (docs/privacy.md): a label, a day, a country code from a
trusted proxy header (``""`` when none), a count. Written in batches by
:mod:`labeling.verification.telemetry`, pruned after ``scan_retention_days``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

__all__ = ["UNKNOWN_COUNTRY", "ScanCounter"]

_BIG_ID = BigInteger().with_variant(Integer(), "sqlite")

#: The country of a scan no trusted header placed.
UNKNOWN_COUNTRY = ""


class ScanCounter(SQLModel, table=True):
    __tablename__ = "scan_counter"
    __table_args__ = (Index("ix_scan_counter_day", "day"),)

    label_id: int = Field(
        sa_column=Column(_BIG_ID, ForeignKey("label.id"), primary_key=True, nullable=False)
    )
    day: date = Field(sa_column=Column(Date, primary_key=True, nullable=False))
    country: str = Field(sa_column=Column(String(2), primary_key=True, nullable=False))
    scans: int = Field(sa_column=Column(Integer, nullable=False))
