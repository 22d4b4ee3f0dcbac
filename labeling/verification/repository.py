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
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy.engine import make_url

from core.db import is_sqlite

__all__ = [
    "DatabaseUnavailable",
    "LabelRow",
    "ReadConnection",
    "close_connections",
    "read_connection",
]

#: The label, its certificate's status, its key's status and the latest checkpoint's size,
#: in one statement: everything a scan needs that can change at any moment.
_LABEL_SQL: Final = (
    "SELECT l.id, l.batch_id, l.certificate_id, l.kid, l.issued_at, l.signature, l.status, "
    "l.status_reason, c.code, c.status, c.status_changed_at, c.valid_from, c.valid_until, "
    "k.retired_at, k.compromised_since, "
    "(SELECT max(tree_size) FROM log_checkpoint) "
    "FROM label l JOIN certificate c ON c.id = l.certificate_id "
    "LEFT JOIN signing_key k ON k.kid = l.kid "
    "WHERE l.gtin = {p} AND l.serial = {p}"
)
_KEY_SQL: Final = (
    "SELECT kid, public_key, not_before, retired_at, compromised_since "
    "FROM signing_key WHERE kid = {p} AND purpose = 'label'"
)
_CERTIFICATE_STATUS_SQL: Final = (
    "SELECT id, status, status_changed_at, valid_from, valid_until FROM certificate "
    "WHERE code = {p}"
)
_CERTIFICATE_FACTS_SQL: Final = (
    "SELECT c.code, a.display_name_latin, a.display_name_arabic, a.region_code, r.name, "
    "a.metier, s.code, s.name, s.level, s.level_name, s.standards, au.id, au.audit_date, "
    "au.outcome, b.code, b.name, s.is_assumption, b.is_assumption, f.is_assumption, "
    "(SELECT m.is_assumption FROM metier m WHERE m.name = a.metier) "
    "FROM certificate c JOIN artisan a ON a.id = c.artisan_id "
    "JOIN region r ON r.code = a.region_code "
    "JOIN filiere f ON f.code = a.filiere_code "
    "JOIN label_scheme s ON s.id = c.scheme_id "
    "JOIN audit au ON au.id = c.audit_id "
    "JOIN body b ON b.id = c.body_id "
    "WHERE c.id = {p}"
)
_STATUS_REASON_SQL: Final = (
    "SELECT reason_code FROM certificate_event WHERE certificate_id = {p} "
    "ORDER BY at DESC, id DESC LIMIT 1"
)
_CRITERIA_MET_SQL: Final = (
    "SELECT sc.code FROM audit_finding f JOIN scheme_criterion sc ON sc.id = f.criterion_id "
    "WHERE f.audit_id = {p} AND f.passed ORDER BY sc.position, sc.code"
)
_STANDARD_TITLES_SQL: Final = "SELECT code, title, is_assumption FROM standard"
_BATCH_SQL: Final = (
    "SELECT b.first_log_index, b.completed_at, min(l.id), max(l.id), count(l.id) "
    "FROM label_batch b JOIN label l ON l.batch_id = b.id WHERE b.id = {p} "
    "GROUP BY b.first_log_index, b.completed_at"
)
_RANK_SQL: Final = "SELECT count(*) FROM label WHERE batch_id = {p} AND id < {p}"
_LATEST_CHECKPOINT_SQL: Final = "SELECT max(tree_size) FROM log_checkpoint"
_GENERATION_SQL: Final = "SELECT count(*), max(retired_at), max(compromised_since) FROM signing_key"


class DatabaseUnavailable(RuntimeError):
    """The registry database did not answer (down, locked past the busy timeout, missing):
    the routes answer 503, never a verdict made up without the data."""


#: Address space a SQLite read connection maps the database file into (not memory: the
#: operating system's page cache backs it, shared by every connection and process).
#: SQLite clamps it to its build's maximum (2 GiB by default); pages beyond are read.
SQLITE_MMAP_BYTES: Final = 2**31

#: One row of :data:`_LABEL_SQL` (tuple positions are named in ``source.py``).
LabelRow = tuple[Any, ...]


def utc(value: Any) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (SQLite stores naive text)."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
    return value.astimezone(UTC)  # type: ignore[no-any-return]


def day(value: Any) -> date:
    """A stored date (SQLite stores ISO text)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value  # type: ignore[no-any-return]


class ReadConnection:
    """One database's read-only statements, on one DB-API connection per thread."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = is_sqlite(url)
        mark = "?" if self.sqlite else "%s"
        self._label_sql = _LABEL_SQL.format(p=mark)
        self._key_sql = _KEY_SQL.format(p=mark)
        self._certificate_status_sql = _CERTIFICATE_STATUS_SQL.format(p=mark)
        self._facts_sql = _CERTIFICATE_FACTS_SQL.format(p=mark)
        self._reason_sql = _STATUS_REASON_SQL.format(p=mark)
        self._criteria_sql = _CRITERIA_MET_SQL.format(p=mark)
        self._batch_sql = _BATCH_SQL.format(p=mark)
        self._rank_sql = _RANK_SQL.format(p=mark)
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

    def _run(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
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
        rows = self._run(self._label_sql, (gtin, serial))
        return rows[0] if rows else None

    def key(self, kid: str) -> tuple[Any, ...] | None:
        rows = self._run(self._key_sql, (kid,))
        return rows[0] if rows else None

    def certificate_status(self, code: int) -> tuple[Any, ...] | None:
        rows = self._run(self._certificate_status_sql, (code,))
        return rows[0] if rows else None

    def certificate_facts(self, certificate_id: int) -> tuple[Any, ...] | None:
        rows = self._run(self._facts_sql, (certificate_id,))
        return rows[0] if rows else None

    def status_reason(self, certificate_id: int) -> str | None:
        rows = self._run(self._reason_sql, (certificate_id,))
        return rows[0][0] if rows else None

    def criteria_met(self, audit_id: int) -> list[str]:
        return [row[0] for row in self._run(self._criteria_sql, (audit_id,))]

    def standard_titles(self) -> dict[str, tuple[str, bool]]:
        """Every standard's title and whether the catalogue marks it a placeholder."""
        rows = self._run(_STANDARD_TITLES_SQL, ())
        return {code: (title, bool(assumed)) for code, title, assumed in rows}

    def batch(self, batch_id: int) -> tuple[Any, ...] | None:
        rows = self._run(self._batch_sql, (batch_id,))
        return rows[0] if rows else None

    def rank_in_batch(self, batch_id: int, label_id: int) -> int:
        return int(self._run(self._rank_sql, (batch_id, label_id))[0][0])

    def latest_tree_size(self) -> int | None:
        value = self._run(_LATEST_CHECKPOINT_SQL, ())[0][0]
        return None if value is None else int(value)

    def key_generation(self) -> tuple[Any, ...]:
        return self._run(_GENERATION_SQL, ())[0]


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
