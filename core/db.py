"""Database engine, sessions and migrations.

SQLite (WAL) is the embedded default; PostgreSQL is selected by ``KHATEM_DATABASE_URL``.
Alembic migrations are the only way the schema is created, on both.

Transactions: a *service* function owns its unit of work and commits once at its end;
repositories only ``flush``. A failure anywhere before the commit leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from core.private_files import create_private_file

__all__ = ["engine_for", "is_sqlite", "migrate", "new_session", "session_scope"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


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


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def new_session(url: str) -> Session:
    return Session(engine_for(url), expire_on_commit=False)


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
