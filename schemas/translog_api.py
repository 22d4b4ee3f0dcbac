"""API models of the public transparency-log endpoints (docs/transparency-log.md).

Hashes are lower-case hex in this JSON API (the checkpoint note itself uses base64, as its
C2SP format requires)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ConsistencyProofPublic", "InclusionProofPublic", "LogEntriesPage", "LogEntryPublic"]

_HEX32 = r"^[0-9a-f]{64}$"


class InclusionProofPublic(BaseModel):
    """RFC 9162 inclusion proof of one leaf in the tree of ``tree_size`` leaves."""

    model_config = ConfigDict(frozen=True)

    leaf_index: int
    tree_size: int
    leaf_hash: str = Field(pattern=_HEX32, description="SHA-256(0x00 || leaf data), hex.")
    inclusion_path: list[str] = Field(description="Sibling hashes, leaf side first (hex).")


class ConsistencyProofPublic(BaseModel):
    """RFC 9162 consistency proof between two tree sizes."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    first: int = Field(alias="from")
    second: int = Field(alias="to")
    consistency_path: list[str] = Field(description="Proof hashes (hex), RFC 9162 2.1.4.")


class LogEntryPublic(BaseModel):
    """One leaf: ``data`` is the exact leaf data (canonical JSON, UTF-8)."""

    model_config = ConfigDict(frozen=True)

    leaf_index: int
    event_type: str
    occurred_at: datetime
    data: str = Field(description="Canonical JSON; leaf_hash = SHA-256(0x00 || UTF-8(data)).")
    leaf_hash: str = Field(pattern=_HEX32)


class LogEntriesPage(BaseModel):
    """A page of entries and where the next one starts (null at the current end)."""

    model_config = ConfigDict(frozen=True)

    start: int
    tree_size: int = Field(description="The log's size when the page was read.")
    entries: list[LogEntryPublic]
    next_start: int | None
