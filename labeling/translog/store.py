"""The log's repository: every SQL statement that reads or writes the log tables.

Reads and writes go through the DB-API driver (``exec_driver_sql``) rather than the ORM:
a proof is one statement, and a batch of 100,000 leaves is a few chunked ``INSERT … SELECT``
statements on SQLite (:mod:`core.bulk_insert`) or two ``COPY`` streams on PostgreSQL, with
no Python object per row beyond a tuple. Both
backends are handled here and nowhere else: SQLite takes ``?`` placeholders and naive UTC
text timestamps (the form SQLAlchemy's SQLite ``DateTime`` reads back), PostgreSQL ``%s``
and aware datetimes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from core.bulk_insert import sqlite_insert_columns
from core.db import begin_write
from verify.merkle import CompletedSubtree, MerkleError, Subtree, root_from_leaf_hashes

__all__ = [
    "LOG_LOCK_KEY",
    "STORED_FROM_LEVEL",
    "StoredEntry",
    "StoredSubtrees",
    "database_key",
    "find_leaf",
    "insert_checkpoint",
    "insert_leaves",
    "latest_checkpoint",
    "lock_log",
    "read_entries",
    "stored_node_count",
    "tree_size",
]

LOG_LOCK_KEY = 0x6B686174  # "khat": the advisory lock id of the log's single writer

#: Interior subtrees of this level and above are stored; levels 1 and 2 (2 and 4 leaves)
#: are recomputed from the adjacent leaves, which saves 3/4 of the subtree rows.
STORED_FROM_LEVEL = 3
COPY_THRESHOLD = 64  # rows from which COPY beats executemany on PostgreSQL

StoredEntry = tuple[int, str, datetime, str, bytes]
"""``(leaf_index, event_type, occurred_at, payload, leaf_hash)`` of one leaf."""


def _is_pg(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _mark(connection: Connection) -> str:
    return "%s" if _is_pg(connection) else "?"


def database_key(session: Session) -> str:
    """A stable name of the database a session writes to (password hidden)."""
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def lock_log(session: Session) -> Connection:
    """Take the log's writer lock for the rest of the caller's transaction.

    PostgreSQL: a transaction-scoped advisory lock, released at commit or rollback. SQLite:
    the database's single writer lock, held from the transaction's start
    (:func:`core.db.begin_write`: a write session's transactions begin ``IMMEDIATE``
    already; a read session's, as a ``GET`` that signs a due checkpoint has, is ended and
    a write transaction begun, so the caller reads the log's state again after this).
    """
    connection = begin_write(session)
    if _is_pg(connection):
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (LOG_LOCK_KEY,))
    return connection


def tree_size(connection: Connection) -> int:
    """The number of committed (or, inside the writer's transaction, written) leaves."""
    row = connection.exec_driver_sql("SELECT COALESCE(MAX(leaf_index) + 1, 0) FROM log_entry").one()
    return int(row[0])


def _sqlite_time(at: datetime) -> str:
    # The text form SQLAlchemy's SQLite DateTime type writes and reads back.
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def insert_leaves(
    connection: Connection,
    *,
    first_index: int,
    event_types: Sequence[str],
    at: datetime,
    payloads: Sequence[str],
    leaf_hashes: Sequence[bytes],
    nodes: Sequence[CompletedSubtree],
) -> None:
    """Insert leaves ``first_index …`` and the interior subtrees they complete."""
    if _is_pg(connection) and len(payloads) >= COPY_THRESHOLD:
        _copy_leaves(connection, first_index, event_types, at, payloads, leaf_hashes, nodes)
        return
    if not _is_pg(connection):
        # Chunked INSERT … SELECT, the batch's time (and type) bound once (core.bulk_insert).
        constants: dict[str, Any] = {"occurred_at": _sqlite_time(at)}
        columns: dict[str, Sequence[Any]] = {
            "leaf_index": range(first_index, first_index + len(payloads)),
            "payload": payloads,
            "leaf_hash": leaf_hashes,
        }
        if len(set(event_types)) == 1:
            constants["event_type"] = event_types[0]
        else:
            columns["event_type"] = event_types
        sqlite_insert_columns(connection, "log_entry", columns, constants=constants)
        if nodes:
            level, idx, hashes = zip(*nodes, strict=True)
            sqlite_insert_columns(
                connection, "log_node", {"level": level, "idx": idx, "hash": hashes}
            )
        return
    count = len(payloads)
    # The parameter rows are built by zip in C (no Python loop per leaf); the one time of
    # the batch is repeated, not copied.
    connection.exec_driver_sql(
        "INSERT INTO log_entry (leaf_index, event_type, occurred_at, payload, leaf_hash) "
        "VALUES (%s, %s, %s, %s, %s)",
        list(
            zip(
                range(first_index, first_index + count),
                event_types,
                repeat(at, count),
                payloads,
                leaf_hashes,
                strict=True,
            )
        ),
    )
    if nodes:
        connection.exec_driver_sql(
            "INSERT INTO log_node (level, idx, hash) VALUES (%s, %s, %s)", list(nodes)
        )


def _copy_leaves(
    connection: Connection,
    first_index: int,
    event_types: Sequence[str],
    at: datetime,
    payloads: Sequence[str],
    leaf_hashes: Sequence[bytes],
    nodes: Sequence[CompletedSubtree],
) -> None:
    # PostgreSQL's COPY streams rows without a round trip or a parse per row; psycopg runs
    # it on the same connection, so it is part of the caller's transaction.
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor:
        with cursor.copy(
            "COPY log_entry (leaf_index, event_type, occurred_at, payload, leaf_hash) FROM STDIN"
        ) as copy:
            write = copy.write_row
            for row in zip(
                range(first_index, first_index + len(payloads)),
                event_types,
                repeat(at),
                payloads,
                leaf_hashes,
                strict=False,
            ):
                write(row)
        with cursor.copy("COPY log_node (level, idx, hash) FROM STDIN") as copy:
            write = copy.write_row
            for node in nodes:
                write(node)


class StoredSubtrees:
    """``labeling.translog.tree.SubtreeHashes`` over the log tables: one statement per call.

    Level 0 is ``log_entry.leaf_hash``; levels from :data:`STORED_FROM_LEVEL` up are
    ``log_node`` rows. The levels in between are not stored: a subtree of level 1 or 2
    covers 2 or 4 adjacent leaves, read in the same statement and hashed here.
    """

    __slots__ = ("_connection",)

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def read_subtrees(self, nodes: Sequence[Subtree], /) -> list[bytes]:
        """Return the hash of each ``(level, index)``; ``MerkleError`` if one is missing."""
        if not nodes:
            return []
        mark = _mark(self._connection)
        wanted = list(dict.fromkeys(nodes))
        leaves: dict[int, None] = {}
        inner: list[Subtree] = []
        for level, index in wanted:
            if level < STORED_FROM_LEVEL:
                leaves.update(dict.fromkeys(range(index << level, (index + 1) << level)))
            else:
                inner.append((level, index))
        parts: list[str] = []
        params: list[int] = []
        if leaves:
            parts.append(
                "SELECT 0, leaf_index, leaf_hash FROM log_entry "
                f"WHERE leaf_index IN ({', '.join([mark] * len(leaves))})"
            )
            params.extend(leaves)
        if inner:
            # One "level = L AND idx IN (…)" term per level keeps the expression shallow
            # (SQLite refuses expression trees deeper than 1000) and uses the primary key.
            by_level: dict[int, list[int]] = {}
            for level, index in inner:
                by_level.setdefault(level, []).append(index)
            terms = []
            for level, indexes in by_level.items():
                terms.append(f"(level = {mark} AND idx IN ({', '.join([mark] * len(indexes))}))")
                params.append(level)
                params.extend(indexes)
            parts.append(f"SELECT level, idx, hash FROM log_node WHERE {' OR '.join(terms)}")
        rows = self._connection.exec_driver_sql(" UNION ALL ".join(parts), tuple(params))
        found = {(int(level), int(index)): bytes(h) for level, index, h in rows}
        try:
            for level, index in wanted:
                if 0 < level < STORED_FROM_LEVEL:
                    first = index << level
                    found[level, index] = root_from_leaf_hashes(
                        [found[0, leaf] for leaf in range(first, first + (1 << level))]
                    )
            return [found[node] for node in nodes]
        except KeyError as missing:
            raise MerkleError(f"subtree {missing.args[0]} is not stored") from None


def stored_node_count(tree_size: int) -> int:
    """How many ``log_node`` rows a tree of ``tree_size`` leaves has."""
    return sum(tree_size >> level for level in range(STORED_FROM_LEVEL, tree_size.bit_length()))


def read_entries(connection: Connection, start: int, end: int) -> list[StoredEntry]:
    """Entries ``[start, end)`` in index order."""
    mark = _mark(connection)
    rows = connection.exec_driver_sql(
        "SELECT leaf_index, event_type, occurred_at, payload, leaf_hash FROM log_entry "
        f"WHERE leaf_index >= {mark} AND leaf_index < {mark} ORDER BY leaf_index",
        (start, end),
    )
    return [
        (int(index), str(kind), _as_utc(at), str(payload), bytes(leaf))
        for index, kind, at, payload, leaf in rows
    ]


def _as_utc(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite stores text
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"unexpected timestamp {value!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def find_leaf(connection: Connection, leaf_hash: bytes, below: int) -> int | None:
    """The first index below ``below`` whose leaf hash is ``leaf_hash``, if any."""
    mark = _mark(connection)
    row = connection.exec_driver_sql(
        f"SELECT MIN(leaf_index) FROM log_entry WHERE leaf_hash = {mark} AND leaf_index < {mark}",
        (leaf_hash, below),
    ).one()
    return None if row[0] is None else int(row[0])


def latest_checkpoint(connection: Connection) -> tuple[int, bytes, str, datetime] | None:
    """``(tree_size, root_hash, note, created_at)`` of the newest checkpoint, if any."""
    row = connection.exec_driver_sql(
        "SELECT tree_size, root_hash, note, created_at FROM log_checkpoint "
        "ORDER BY tree_size DESC, id DESC LIMIT 1"
    ).first()
    if row is None:
        return None
    return int(row[0]), bytes(row[1]), str(row[2]), _as_utc(row[3])


def insert_checkpoint(
    connection: Connection, *, tree_size: int, root_hash: bytes, note: str, at: datetime
) -> None:
    """Record a signed checkpoint."""
    mark = _mark(connection)
    when: Any = at if _is_pg(connection) else _sqlite_time(at)
    connection.exec_driver_sql(
        "INSERT INTO log_checkpoint (tree_size, root_hash, note, created_at) "
        f"VALUES ({mark}, {mark}, {mark}, {mark})",
        (tree_size, root_hash, note, when),
    )
