"""A transaction the database refuses because another holds the same records (a PostgreSQL
lock timeout or deadlock, SQLite's writer lock past its timeout) is rolled back whole: the
client is told so with a 503 problem and ``Retry-After``, not a bare 500. Any other database
failure stays a 500 whose detail never leaves the server.

The refusals here are real: a second connection holds the lock while the route tries to
write."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, create_engine

from core.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, install_problem_handlers

TOUCH = "UPDATE alembic_version SET version_num = version_num"


def _app(url: str) -> FastAPI:
    """One route that writes the row another connection holds, giving up at once."""
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, connect_args={"timeout": 0} if sqlite else {})
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/touch")
    def touch() -> dict[str, bool]:
        with engine.begin() as conn:
            if not sqlite:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
            conn.exec_driver_sql(TOUCH)
        return {"ok": True}

    @app.post("/broken")
    def broken() -> dict[str, bool]:
        with engine.begin() as conn:
            conn.exec_driver_sql("SELECT secret FROM no_such_table")
        return {"ok": True}

    return app


@pytest.fixture
def holder(db_url: str) -> Iterator[Connection]:
    """A connection in the middle of its own write to the same records."""
    engine = create_engine(db_url)
    with engine.connect() as conn:
        if db_url.startswith("sqlite"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.begin()
            conn.exec_driver_sql("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")
        yield conn
        conn.rollback()
    engine.dispose()


def test_a_write_that_gives_way_to_another_is_a_503_to_retry(
    db_url: str, holder: Connection
) -> None:
    client = TestClient(_app(db_url), raise_server_exceptions=False)
    answer = client.post("/touch")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert answer.headers["retry-after"] == "1"
    assert answer.json()["type"] == PROBLEM_BASE + "registry-busy"
    holder.rollback()  # the other transaction ends: the same request now goes through
    assert client.post("/touch").json() == {"ok": True}


def test_any_other_database_failure_is_a_500_that_says_nothing(db_url: str) -> None:
    answer = TestClient(_app(db_url), raise_server_exceptions=False).post("/broken")
    assert answer.status_code == 500
    assert answer.json()["type"] == PROBLEM_BASE + "internal-error"
    assert "no_such_table" not in answer.text and "secret" not in answer.text
