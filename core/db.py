"""Database engine, sessions and migrations.

SQLite (WAL) is the embedded default; PostgreSQL is selected by ``KHATEM_DATABASE_URL``.
Alembic migrations are the only way the schema is created, on both.

Transactions: a *service* function owns its unit of work and commits once at its end;
repositories only ``flush``. A failure anywhere before the commit leaves nothing behind.

Read and write transactions (SQLite's single writer lock)
---------------------------------------------------------
SQLite lets one transaction write at a time. A transaction that reads first and writes later
must upgrade its lock, and in WAL mode that upgrade fails at once ("database is locked", no
waiting) when another writer holds the lock or has committed since the read began. So a
*write* transaction takes the lock up front (``BEGIN IMMEDIATE``: writers queue, up to the
busy timeout, and the transparency log relies on it to serialise its appenders), and a
*read* transaction takes none (a deferred ``BEGIN``; WAL lets it read while a writer writes).
Which one a session's transactions are is decided when the session is made:

* :func:`new_session` — a write session: every transaction begins ``IMMEDIATE``. Services,
  background jobs, the command line and the checkpointer use it, and so does every request
  that may change something (``POST``, ``PUT``, ``PATCH``, ``DELETE``: see
  ``core.auth.get_session``).
* :func:`read_session` — a read session: transactions begin deferred and, on SQLite, are
  read-only (``PRAGMA query_only``), so a write that forgot :func:`begin_write` fails at once
  and every time, not now and then under load. ``GET``/``HEAD``/``OPTIONS`` requests get one,
  and so does a sign-in while it reads the account (``labeling.accounts.service``).
* :func:`begin_write` — for the rare write a read session must make (a token's last-use time,
  a checkpoint a ``GET /log/checkpoint`` signs, through ``labeling.translog.store.lock_log``):
  it ends the read transaction (which must hold no changes) and begins a write transaction
  that holds the lock from its first statement; after its commit the session reads again.
  In a write session it is a no-op.

PostgreSQL has row locks and MVCC: both kinds of transaction begin plainly there, and the
log's writers take an advisory lock of their own (``lock_log``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from core.private_files import create_private_file

__all__ = [
    "begin_write",
    "engine_for",
    "is_sqlite",
    "migrate",
    "new_session",
    "read_session",
    "session_scope",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

#: Execution option of a connection: whether its transactions write (default: they do).
_WRITES: Final = "khatem_writes"
#: Key in a DB-API connection's ``info``: whether ``PRAGMA query_only`` is on.
_QUERY_ONLY: Final = "khatem_query_only"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _normalise(url: str) -> str:
    # Plain "postgresql://" URLs pick psycopg2 by default; this project ships psycopg 3.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # 32 MiB of page cache per connection (the default is 2 MiB): a 100,000-label batch
    # touches the label table's four indexes and the log's leaf-hash index at random.
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


@lru_cache(maxsize=16)
def engine_for(url: str) -> Engine:
    """One engine per database URL for the life of the process."""
    url = _normalise(url)
    if is_sqlite(url):
        path = make_url(url).database
        if path and path != ":memory:":
            create_private_file(Path(path))  # 0600 before SQLite creates it 0644
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=8,
            max_overflow=8,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # SQLite's driver opens transactions lazily and commits DDL implicitly; take control so
        # that BEGIN IMMEDIATE can serialise writers (see labeling.translog).
        event.listen(engine, "connect", _disable_pysqlite_transactions)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _disable_pysqlite_transactions(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Connection) -> None:
    """Begin a write transaction ``IMMEDIATE``, a read transaction deferred and read-only."""
    writes = bool(connection.get_execution_options().get(_WRITES, True))
    info = connection.info  # the pooled DB-API connection's (cleared if it reconnects)
    if info.get(_QUERY_ONLY, False) is writes:
        connection.exec_driver_sql(f"PRAGMA query_only={'OFF' if writes else 'ON'}")
        info[_QUERY_ONLY] = not writes
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def new_session(url: str) -> Session:
    """A write session: on SQLite each transaction holds the writer lock from its start."""
    return Session(engine_for(url), expire_on_commit=False)


def read_session(url: str) -> Session:
    """A read session: its transactions take no lock and, on SQLite, cannot write (see the
    module doc; :func:`begin_write` makes the one write such a session may need)."""
    return Session(engine_for(url), expire_on_commit=False, execution_options={_WRITES: False})


def begin_write(session: Session) -> Connection:
    """Make the session's current transaction a write transaction, and return its connection.

    In a write session (:func:`new_session`), or on PostgreSQL, the transaction is one
    already. In a read session on SQLite, the read transaction ends here (it must not hold
    changes: they would be lost, so that raises ``RuntimeError``; objects read in it are
    expired and load again on use) and a new one begins ``IMMEDIATE``, holding the writer
    lock before it reads anything. The session's transactions after this one read again.
    """
    if session.get_bind().dialect.name != "sqlite":
        return session.connection()
    if session.in_transaction():
        connection = session.connection()
        if connection.get_execution_options().get(_WRITES, True):
            return connection
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() in a read transaction that holds changes")
        session.rollback()
    return session.connection(execution_options={_WRITES: True})


def session_scope(url: str) -> Iterator[Session]:
    session = new_session(url)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def migrate(url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic (the only way the schema is created)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", _normalise(url).replace("%", "%%"))
    config.attributes["engine"] = engine_for(url)
    command.upgrade(config, revision)
