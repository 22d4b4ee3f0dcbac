"""Helpers shared by the log, keyring and transparency feature tests."""

from __future__ import annotations

import hashlib

from fastapi import FastAPI
from sqlalchemy import Connection
from sqlmodel import Session

from core.settings import Settings
from labeling.translog import LogEvent, append_events
from verify.merkle import root_from_leaf_hashes

__all__ = [
    "drop_append_only_triggers",
    "leaf_hashes_from_data",
    "make_log_app",
    "seed_events",
]


def make_log_app(settings: Settings) -> FastAPI:
    """The registry app; the log and trust-list routers are part of ``main.ROUTERS``."""
    from main import create_app

    return create_app(settings)


def seed_events(session: Session, count: int, *, kind: str = "test.event") -> int:
    """Append ``count`` events and commit; returns the first index."""
    first = append_events(session, [LogEvent(kind, {"n": i}) for i in range(count)])
    session.commit()
    return first


def leaf_hashes_from_data(connection: Connection) -> list[bytes]:
    """Every leaf hash recomputed from the stored data, in index order."""
    rows = connection.exec_driver_sql("SELECT payload FROM log_entry ORDER BY leaf_index")
    return [hashlib.sha256(b"\x00" + row[0].encode("utf-8")).digest() for row in rows]


def root_from_data(connection: Connection) -> bytes:
    """The root recomputed from the stored data alone."""
    return root_from_leaf_hashes(leaf_hashes_from_data(connection))


def drop_append_only_triggers(connection: Connection) -> None:
    """What a rogue administrator would do first (names from core.migrations.append_only)."""
    for table in ("log_entry", "log_node", "log_checkpoint"):
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP TRIGGER {table}_append_only ON {table}")
            connection.exec_driver_sql(f"DROP TRIGGER {table}_no_truncate ON {table}")
        else:
            connection.exec_driver_sql(f"DROP TRIGGER {table}_no_update")
            connection.exec_driver_sql(f"DROP TRIGGER {table}_no_delete")
