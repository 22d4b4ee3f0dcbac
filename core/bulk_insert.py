"""Inserting many rows into one SQLite table in the caller's transaction, cheaply.

This is the one place that knows the ``sqlite3`` driver's fast path; the label batch
(``labeling.labels.repository``) and the transparency log (``labeling.translog.store``)
write through it. It buys the "issuance >= 0.70 of raw signing" figure of
``bench/issuance.py``: a 100,000-label batch writes 100,000 label rows and 100,000 log
leaves, and the driver's per-row, per-value costs add up there.

What it does, against a plain ``executemany`` of ``INSERT … VALUES (?, …)``:

* up to :data:`CHUNK` rows per statement execution: ``INSERT … SELECT`` over a ``VALUES``
  list, so SQLite opens the table's and its indexes' cursors once per chunk, not once a
  row;
* the values every row shares (``constants``) are bound once per chunk, not once a row;
* ``bytes`` values are bound as ``bytearray``: ``sqlite3`` binds ``str``, ``int``,
  ``float`` and ``bytearray`` directly but sends every ``bytes`` value through its adapter
  lookup first (about 0.4 µs a value on CPython 3.11); a ``bytearray`` copy costs a third of
  that. SQLite stores both as the same BLOB.

The SQL holds placeholders only; every value is bound. SQLite reads a ``VALUES`` list in
order, so rowids follow the order of the rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Connection

__all__ = ["CHUNK", "sqlite_insert_columns"]

#: Rows per statement execution (fewer if the build's bound-parameter limit says so).
CHUNK = 1000


def sqlite_insert_columns(
    connection: Connection,
    table: str,
    columns: Mapping[str, Sequence[Any]],
    *,
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert ``len(column)`` rows into ``table``: row ``i`` takes ``column[i]`` of every
    entry of ``columns`` and the value of every entry of ``constants``.

    ``table`` and the column names are trusted identifiers (the callers' own constants).
    Raises what the insert raises (``IntegrityError`` …) with nothing of the call written
    if the caller holds a savepoint.
    """
    shared = dict(constants or {})
    names = list(columns)
    values = [_bindable(column) for column in columns.values()]
    count = len(values[0]) if values else 0
    if any(len(column) != count for column in values):
        raise ValueError("every column gives one value per row")
    if not count:
        return
    driver: Any = connection.connection.driver_connection
    # Stay under the build's limit on bound parameters (32,766 by default; 999 before 3.32).
    limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    width = len(names)
    per_chunk = max(1, min(CHUNK, (limit - len(shared)) // width))
    head = tuple(shared.values())
    flat = list(chain.from_iterable(zip(*values, strict=True)))

    def statement(rows: int) -> str:
        # The SELECT list's "?" come first in the text, so they take the constants.
        select = ["?"] * len(shared) + [f"column{i + 1}" for i in range(width)]
        row = "(" + ", ".join(["?"] * width) + ")"
        return (
            f"INSERT INTO {table} ({', '.join([*shared, *names])}) "
            f"SELECT {', '.join(select)} FROM (VALUES {', '.join([row] * rows)})"
        )

    whole = count - count % per_chunk
    step = width * per_chunk
    if whole:
        connection.exec_driver_sql(
            statement(per_chunk),
            [head + tuple(flat[at : at + step]) for at in range(0, width * whole, step)],
        )
    if whole < count:
        connection.exec_driver_sql(statement(count - whole), head + tuple(flat[width * whole :]))


def _bindable(column: Sequence[Any]) -> Sequence[Any]:
    # A column of bytes (signatures, hashes) is bound as bytearrays (see the module's notes);
    # only a column of nothing but bytes (bytearray(5) would be five zero bytes).
    if column and type(column[0]) is bytes and set(map(type, column)) == {bytes}:
        return list(map(bytearray, column))
    return column
