"""The transparency log's tables. All three are append-only: database triggers reject
UPDATE and DELETE (see the migration), so history cannot be rewritten in place.

Storage layout (docs/transparency-log.md explains the choice): a leaf's hash lives in its
``log_entry`` row (level 0 of the tree); every completed perfect subtree of level 3 and
above is one ``log_node`` row. Both are written in the transaction that appends the leaves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Integer, LargeBinary, SmallInteger, String, Text
from sqlmodel import Field, SQLModel

from schemas.types import UTCDateTime, utcnow

__all__ = ["LogCheckpoint", "LogEntry", "LogNode"]

# On SQLite an INTEGER PRIMARY KEY is the rowid itself: no second B-tree to maintain.
_LEAF_INDEX = BigInteger().with_variant(Integer(), "sqlite")


class LogEntry(SQLModel, table=True):
    """One leaf: an event type, a time and a canonical JSON payload of ids and hashes.

    ``payload`` holds the leaf's exact data (``leaf_hash = SHA-256(0x00 || payload)``).
    Never personal data: a leaf that must commit to private data holds a salted hash.
    """

    __tablename__ = "log_entry"

    leaf_index: int = Field(sa_column=Column(_LEAF_INDEX, primary_key=True, autoincrement=False))
    event_type: str = Field(sa_column=Column(String(40), nullable=False))
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    leaf_hash: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False, index=True))


class LogNode(SQLModel, table=True):
    """The hash of a complete perfect subtree: level L >= 1, index i covers leaves
    [i * 2**L, (i + 1) * 2**L). Stored once when completed, never changed. Level 0 (the
    leaves) is ``LogEntry.leaf_hash``."""

    __tablename__ = "log_node"
    __table_args__ = {"sqlite_with_rowid": False}

    level: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    idx: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    hash: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False))


class LogCheckpoint(SQLModel, table=True):
    """A signed checkpoint (C2SP tlog-checkpoint) of the tree at ``tree_size``."""

    __tablename__ = "log_checkpoint"

    id: int | None = Field(default=None, primary_key=True)
    tree_size: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    root_hash: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False))
    note: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
