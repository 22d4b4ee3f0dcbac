"""The signed snapshots kept in the database, so that every server serves the same bytes.

A server that finds the stored snapshot of a kind stale (another state, another root key, or
older than the reissue interval) builds the next one under the row lock of that kind — ``FOR
UPDATE`` on PostgreSQL, the writer lock that every SQLite write transaction takes — and the
servers that wanted it meanwhile wait for that lock, then find it built: one builder at a time
across every server of one database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from schemas.snapshots import PublishedSnapshotRow

__all__ = ["StoredSnapshot", "fingerprint_text", "publish_once", "stored"]


@dataclass(frozen=True, slots=True)
class StoredSnapshot:
    body: bytes
    kid: str
    fingerprint: str
    issued_at: datetime


def fingerprint_text(fingerprint: tuple[Any, ...]) -> str:
    """The state a snapshot lists, as it is stored (the fingerprint query's values)."""
    return json.dumps([str(part) for part in fingerprint], separators=(",", ":"))


def _as_stored(row: PublishedSnapshotRow | None) -> StoredSnapshot | None:
    if row is None or row.body is None or row.kid is None or row.issued_at is None:
        return None
    return StoredSnapshot(
        body=row.body, kid=row.kid, fingerprint=row.fingerprint or "", issued_at=row.issued_at
    )


def stored(session: Session, kind: str) -> StoredSnapshot | None:
    """The snapshot of ``kind`` as last stored, without locking."""
    row = session.exec(
        select(PublishedSnapshotRow).where(PublishedSnapshotRow.kind == kind)
    ).first()
    session.rollback()  # a read: end it, whatever kind of session this is
    return _as_stored(row)


def publish_once(
    session: Session,
    kind: str,
    *,
    usable: Callable[[StoredSnapshot], bool],
    build: Callable[[], StoredSnapshot],
) -> StoredSnapshot:
    """The stored snapshot of ``kind`` if ``usable``; else build, store and return the next
    one, under the kind's row lock. ``session``'s transaction must be a write transaction
    (:func:`core.db.begin_write`); it ends here."""
    try:
        row = session.exec(
            select(PublishedSnapshotRow)
            .where(PublishedSnapshotRow.kind == kind)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        current = _as_stored(row)
        if current is not None and usable(current):
            session.rollback()
            return current
        fresh = build()
        if row is None:
            row = PublishedSnapshotRow(kind=kind)
        row.kid, row.fingerprint = fresh.kid, fresh.fingerprint
        row.issued_at, row.body = fresh.issued_at, fresh.body
        session.add(row)
        session.commit()
        return fresh
    except BaseException:
        session.rollback()
        raise
