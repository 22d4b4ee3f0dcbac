"""core.bulk_insert: chunked INSERT … SELECT on SQLite stores exactly the rows given."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

from core import bulk_insert
from core.bulk_insert import sqlite_insert_columns


@pytest.fixture
def connection(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = create_engine(f"sqlite:///{tmp_path / 'bulk.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, n INTEGER, "
            "name TEXT, data BLOB, UNIQUE (kind, name))"
        )
        yield connection
    engine.dispose()


def test_rows_constants_and_blobs_round_trip(
    connection,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bulk_insert, "CHUNK", 3)  # two whole chunks and a tail of one
    names = [f"n{i}" for i in range(7)]
    blobs = [bytes([i]) * (i + 1) for i in range(7)]
    sqlite_insert_columns(
        connection,
        "t",
        {"n": range(10, 17), "name": names, "data": blobs},
        constants={"kind": "k"},
    )
    rows = connection.exec_driver_sql(
        "SELECT id, kind, n, name, data, typeof(data) FROM t ORDER BY id"
    ).all()
    assert [tuple(row) for row in rows] == [
        (i + 1, "k", 10 + i, names[i], blobs[i], "blob") for i in range(7)
    ]
    assert all(type(row[4]) is bytes for row in rows)


def test_a_mixed_column_is_bound_as_given(connection) -> None:  # type: ignore[no-untyped-def]
    # bytearray(2) would be two zero bytes: a column that is not all bytes is left alone.
    sqlite_insert_columns(
        connection, "t", {"kind": ["a", "b"], "data": [b"\x01", None]}, constants={}
    )
    assert connection.exec_driver_sql("SELECT data FROM t ORDER BY id").all() == [
        (b"\x01",),
        (None,),
    ]


def test_a_duplicate_fails_the_whole_call(connection) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with connection.begin_nested():
            sqlite_insert_columns(
                connection, "t", {"name": ["x", "y", "x"]}, constants={"kind": "k"}
            )
    assert connection.exec_driver_sql("SELECT COUNT(*) FROM t").scalar() == 0


def test_columns_of_different_lengths_are_refused(connection) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        sqlite_insert_columns(connection, "t", {"kind": ["a"], "name": ["x", "y"]})
