"""Read-only lookups for online verification, on plain DB-API connections.

The verification path is the registry's hottest: it cannot afford an ORM session per scan
(see ARCHITECTURE.md, "Performance notes"). So this module keeps one DB-API connection per
thread and runs a few fixed statements on it:

* SQLite: a ``sqlite3`` connection in autocommit mode with ``PRAGMA query_only``. Each
  SELECT is its own *deferred* read transaction, so scans never queue behind the writers'
  ``BEGIN IMMEDIATE`` (see ``core.db``), and WAL lets them read while a writer writes.
  The database file is memory-mapped (:data:`SQLITE_MMAP_BYTES`): a scan reads the label
  index and row pages in place, where SQLite's small default page cache would read them
  with a system call each (a million labels make a ~250 MB file, scanned at random).
  Operators: never truncate, replace or restore the database file while servers run, and
  keep it off network file systems (a mapped page that vanishes kills the process).
* PostgreSQL: a ``psycopg`` connection in autocommit mode, every statement prepared on
  the server (``prepare=True``) after its first use.

Nothing here writes, and no statement takes a client-supplied identifier other than the
label's GTIN and serial, a key id or a certificate code (bound parameters, never SQL text).
"""

from __future__ import annotations

import atexit
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Final, NamedTuple

from sqlalchemy.engine import make_url

from core.db import is_sqlite

__all__ = [
    "DatabaseUnavailable",
    "KeyRow",
    "LabelRow",
    "MARKS_SQL",
    "ReadConnection",
    "close_connections",
    "read_connection",
]


class LabelRow(NamedTuple):
    """The label, its certificate's status, its key's status and the latest checkpoint's
    size: everything a scan needs that can change at any moment (:data:`_LABEL_SQL`)."""

    label_id: int
    batch_id: int
    certificate_id: int
    kid: str
    issued_at: Any
    signature: bytes
    status: str
    status_reason: str | None
    certificate_code: int
    certificate_status: str
    certificate_changed_at: Any
    valid_from: Any
    valid_until: Any
    key_retired_at: Any
    key_compromised_since: Any
    tree_size: int | None
    marks: int  # the label's label_mark rows (evidence of a copy), lifted ones twice
    product_line_id: int | None  # the line of the label's GTIN (its item: verify.item)
    item_version: int | None  # moves with that line's description and photos

    @property
    def certificate_version(self) -> tuple[Any, ...]:
        """What changes whenever the certificate's public facts may have: its status and
        validity (the key of :meth:`ScanCache.certificate`)."""
        return (
            self.certificate_status,
            self.certificate_changed_at,
            self.valid_from,
            self.valid_until,
        )


_LABEL_COLUMNS: Final[Mapping[str, str]] = {
    "label_id": "l.id",
    "batch_id": "l.batch_id",
    "certificate_id": "l.certificate_id",
    "kid": "l.kid",
    "issued_at": "l.issued_at",
    "signature": "l.signature",
    "status": "l.status",
    "status_reason": "l.status_reason",
    "certificate_code": "c.code",
    "certificate_status": "c.status",
    "certificate_changed_at": "c.status_changed_at",
    "valid_from": "c.valid_from",
    "valid_until": "c.valid_until",
    "key_retired_at": "k.retired_at",
    "key_compromised_since": "k.compromised_since",
    "tree_size": "(SELECT max(tree_size) FROM log_checkpoint)",
    # Each mark counts once, and once more when lifted: the number only ever grows, so a
    # label's evidence remembered under it (ScanCache.evidence) is never stale.
    "marks": "(SELECT count(*) + count(m.lift_id) FROM label_mark m WHERE m.label_id = l.id)",
    "product_line_id": "p.id",
    "item_version": "p.item_version",
}
#: One statement per scan, by the unique index on ``(gtin, serial)``.
_LABEL_SQL: Final = (
    "SELECT "
    + ", ".join(_LABEL_COLUMNS[name] for name in LabelRow._fields)
    + " FROM label l JOIN certificate c ON c.id = l.certificate_id "
    "LEFT JOIN signing_key k ON k.kid = l.kid "
    "LEFT JOIN product_line p ON p.gtin = l.gtin "
    "WHERE l.gtin = {p} AND l.serial = {p}"
)


class KeyRow(NamedTuple):
    kid: str
    public_key: bytes
    not_before: Any
    retired_at: Any
    compromised_since: Any


_KEY_SQL: Final = (
    "SELECT kid, public_key, not_before, retired_at, compromised_since "
    "FROM signing_key WHERE kid = {p} AND purpose = 'label'"
)
_CERTIFICATE_VERSION_SQL: Final = (
    "SELECT id, status, status_changed_at, valid_from, valid_until FROM certificate "
    "WHERE code = {p}"
)
_BATCH_SQL: Final = (
    "SELECT b.first_log_index, b.completed_at, min(l.id), max(l.id), count(l.id) "
    "FROM label_batch b JOIN label l ON l.batch_id = b.id WHERE b.id = {p} "
    "GROUP BY b.first_log_index, b.completed_at"
)
_RANK_SQL: Final = "SELECT count(*) FROM label WHERE batch_id = {p} AND id < {p}"
_LATEST_CHECKPOINT_SQL: Final = "SELECT max(tree_size) FROM log_checkpoint"
#: A marked label's evidence (read only for the rare label that has marks): each standing
#: (not lifted) mark's reason, time and stored evidence, with the country and day of the
#: receipt behind it and of the label's binding (first) receipt.
MARKS_SQL: Final = (
    "SELECT m.reason, m.created_at, m.evidence, r.country, r.received_at, "
    "b.country, b.received_at "
    "FROM label_mark m LEFT JOIN receipt r ON r.id = m.receipt_id "
    "LEFT JOIN receipt b ON b.label_id = m.label_id AND b.binds "
    "WHERE m.label_id = {p} AND m.lift_id IS NULL ORDER BY m.id"
)


class DatabaseUnavailable(RuntimeError):
    """The registry database did not answer (down, locked past the busy timeout, missing):
    the routes answer 503, never a verdict made up without the data."""


#: Address space a SQLite read connection maps the database file into (not memory: the
#: operating system's page cache backs it, shared by every connection and process).
#: SQLite clamps it to its build's maximum (2 GiB by default); pages beyond are read.
SQLITE_MMAP_BYTES: Final = 2**31


class ReadConnection:
    """One database's read-only statements, on one DB-API connection per thread."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = is_sqlite(url)
        #: The DB-API parameter mark (``{p}`` in the statements).
        self.mark = "?" if self.sqlite else "%s"
        self._label_sql = _LABEL_SQL.format(p=self.mark)
        self._key_sql = _KEY_SQL.format(p=self.mark)
        self._certificate_version_sql = _CERTIFICATE_VERSION_SQL.format(p=self.mark)
        self._batch_sql = _BATCH_SQL.format(p=self.mark)
        self._rank_sql = _RANK_SQL.format(p=self.mark)
        self._marks_sql = MARKS_SQL.format(p=self.mark)
        self._local = threading.local()
        self._opened: list[Any] = []
        self._opened_lock = threading.Lock()

    # ------------------------------------------------------------------ connections

    def _connect(self) -> Any:
        parsed = make_url(self.url)
        if self.sqlite:
            # mode=rw: never create an empty database file where the registry's should be.
            target = f"file:{parsed.database}?mode=rw" if parsed.database else ":memory:"
            connection = sqlite3.connect(
                target, check_same_thread=False, isolation_level=None, timeout=10, uri=True
            )
            connection.execute("PRAGMA query_only=ON")
            connection.execute("PRAGMA busy_timeout=10000")
            connection.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            return connection
        import psycopg

        conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(conninfo, autocommit=True)

    def _cursor(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            self._local.connection = connection
            with self._opened_lock:
                self._opened.append(connection)
        return connection

    def run(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Run one read statement (parameters marked :attr:`mark`); its rows."""
        try:
            connection = self._cursor()
        except Exception as exc:  # sqlite3.Error, psycopg.Error: cannot connect
            raise DatabaseUnavailable(str(exc)) from exc
        try:
            if self.sqlite:
                return connection.execute(sql, params).fetchall()  # type: ignore[no-any-return]
            return connection.execute(sql, params, prepare=True).fetchall()  # type: ignore[no-any-return]
        except Exception:
            # A broken connection (server restart) is replaced on the next call.
            self._local.connection = None
            with self._opened_lock:
                if connection in self._opened:
                    self._opened.remove(connection)
            try:
                connection.close()
            except Exception:  # already broken; the original error is the one to report
                pass
            raise DatabaseUnavailable("the registry database did not answer") from None

    def close(self) -> None:
        """Close every thread's connection (a thread opens a new one on its next call)."""
        with self._opened_lock:
            opened, self._opened = self._opened, []
        self._local = threading.local()
        for connection in opened:
            try:
                connection.close()
            except Exception:  # closing is best effort; the connection is dropped anyway
                pass

    # ------------------------------------------------------------------ statements

    def label(self, gtin: str, serial: str) -> LabelRow | None:
        rows = self.run(self._label_sql, (gtin, serial))
        return LabelRow._make(rows[0]) if rows else None

    def key(self, kid: str) -> KeyRow | None:
        rows = self.run(self._key_sql, (kid,))
        return KeyRow._make(rows[0]) if rows else None

    def certificate_version(self, code: int) -> tuple[int, tuple[Any, ...]] | None:
        """The id and :attr:`LabelRow.certificate_version` of the certificate ``code``."""
        rows = self.run(self._certificate_version_sql, (code,))
        return (int(rows[0][0]), tuple(rows[0][1:])) if rows else None

    def batch(self, batch_id: int) -> tuple[Any, ...] | None:
        rows = self.run(self._batch_sql, (batch_id,))
        return rows[0] if rows else None

    def rank_in_batch(self, batch_id: int, label_id: int) -> int:
        return int(self.run(self._rank_sql, (batch_id, label_id))[0][0])

    def marks(self, label_id: int) -> list[tuple[Any, ...]]:
        """The label's marks (:data:`MARKS_SQL`'s columns)."""
        return self.run(self._marks_sql, (label_id,))

    def latest_tree_size(self) -> int | None:
        value = self.run(_LATEST_CHECKPOINT_SQL, ())[0][0]
        return None if value is None else int(value)


_CONNECTIONS: dict[str, ReadConnection] = {}
_LOCK = threading.Lock()


def read_connection(url: str) -> ReadConnection:
    """The process's read connections for ``url`` (one object per database)."""
    found = _CONNECTIONS.get(url)
    if found is None:
        with _LOCK:
            found = _CONNECTIONS.setdefault(url, ReadConnection(url))
    return found


def close_connections(url: str | None = None) -> None:
    """Close and forget the read connections of ``url`` (every database if None)."""
    with _LOCK:
        urls = [url] if url is not None else list(_CONNECTIONS)
        found = [_CONNECTIONS.pop(u) for u in urls if u in _CONNECTIONS]
    for connection in found:
        connection.close()


# Connections are per thread and live as long as the process; close them on the way out.
atexit.register(close_connections)
