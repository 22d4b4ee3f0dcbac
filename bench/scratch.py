"""Scratch databases for the benchmarks: a fresh file on SQLite, a fresh database on
PostgreSQL (created from an admin URL and dropped afterwards), prepared by ``prepare``
(the migrations by default)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.db import engine_for, migrate

__all__ = ["scratch_database"]


@contextmanager
def scratch_database(
    kind: str,
    workdir: Path,
    name: str,
    postgres: str | None,
    *,
    prepare: Callable[[str], None] = migrate,
) -> Iterator[str]:
    """The URL of a fresh ``kind`` ("sqlite" or "postgresql") database, prepared."""
    if kind == "sqlite":
        url = f"sqlite:///{workdir / (name + '.db')}"
        prepare(url)
        yield url
        engine_for(url).dispose()
        return
    assert postgres is not None, "PostgreSQL needs an admin URL"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    database = f"khatem_bench_{name}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    url = make_url(postgres).set(database=database).render_as_string(hide_password=False)
    try:
        prepare(url)
        yield url
    finally:
        engine_for(url).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
