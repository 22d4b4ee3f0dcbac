"""Appending registry events to the log.

A leaf's data is the canonical JSON (RFC 8785 style: sorted keys, no spaces, UTF-8) of
``{"type": ..., "at": ..., **payload}``. Payloads hold event types, times, public ids,
reason codes and content hashes — never personal data.

Leaf indexes are dense: the appender takes the log's write lock for the rest of the
transaction (an advisory lock on PostgreSQL; SQLite transactions already begin IMMEDIATE),
reads the current size and writes the next indexes, so a rolled-back transaction leaves no
gap and two writers never share an index.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from schemas.types import utcnow

__all__ = ["append_event", "canonical_payload", "LOG_LOCK_KEY"]

LOG_LOCK_KEY = 0x6B686174  # "khat": the advisory lock id of the log's single writer


def canonical_payload(event_type: str, at: datetime, payload: dict[str, Any]) -> str:
    document = {"type": event_type, "at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), **payload}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _lock_and_size(session: Session) -> int:
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOG_LOCK_KEY})
    size = session.execute(text("SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM log_entry"))
    return int(size.scalar_one())


def append_event(session: Session, *, event_type: str, payload: dict[str, Any]) -> int:
    """Append one event in the caller's transaction; returns its leaf index."""
    at = utcnow()
    data = canonical_payload(event_type, at, payload)
    leaf_hash = hashlib.sha256(b"\x00" + data.encode("utf-8")).digest()
    index = _lock_and_size(session)
    session.execute(
        text(
            "INSERT INTO log_entry (leaf_index, event_type, occurred_at, payload, leaf_hash) "
            "VALUES (:i, :t, :at, :p, :h)"
        ),
        {
            "i": index,
            "t": event_type,
            "at": at if bind_is_pg(session) else at.replace(tzinfo=None),
            "p": data,
            "h": leaf_hash,
        },
    )
    return index


def bind_is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
