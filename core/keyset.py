"""Keyset pages of a list ordered newest first by a moment and an id, in both directions.

A page is asked for with an opaque cursor that names one row's position (its moment and
id) and a direction: the rows after it (older) or the rows before it (newer). The query
walks an index on ``(moment, id)`` from that position, so a page costs the same at the
first row and at the millionth, and a row added or removed meanwhile neither shifts nor
repeats the rows of the pages that follow (an offset would). Rows with equal moments are
told apart by their id: the order is total.

Use: ``keyset = Keyset.of(cursor, limit)``; add ``keyset.clause(moment_col, id_col)`` to
the query's conditions, order it by ``keyset.order(moment_col, id_col)`` and limit it to
``keyset.fetch`` rows; then ``keyset.slice(rows, position_of)`` gives the page in list
order with its ``next_cursor`` and ``previous_cursor`` (``None`` at either end).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from core.problems import UnprocessableContent

__all__ = ["CursorInvalid", "Keyset", "KeysetSlice", "Position", "encode_cursor"]

T = TypeVar("T")
Position = tuple[datetime, int]
_AFTER, _BEFORE = "a", "b"
_MAX_ID = 2**63 - 1


class CursorInvalid(UnprocessableContent):
    slug = "cursor-invalid"
    title = "The cursor was not issued by this list"


def encode_cursor(position: Position, *, before: bool = False) -> str:
    """The cursor of the rows after ``position`` (or before it, ``before=True``)."""
    moment, row_id = position
    raw = f"{_BEFORE if before else _AFTER}|{moment.isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[bool, Position]:
    problem = CursorInvalid("Follow the list's next or previous link; this cursor is not one.")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        direction, moment_text, number = raw.split("|")
        moment, row_id = datetime.fromisoformat(moment_text), int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise problem from exc
    if direction not in (_AFTER, _BEFORE) or moment.tzinfo is None or not 0 < row_id <= _MAX_ID:
        raise problem
    return direction == _BEFORE, (moment, row_id)


@dataclass(frozen=True, slots=True)
class KeysetSlice(Generic[T]):
    """One page, newest first, and the cursors of its neighbours."""

    items: list[T]
    next_cursor: str | None
    previous_cursor: str | None


@dataclass(frozen=True, slots=True)
class Keyset:
    """Which page: ``limit`` rows after (or before) ``position``; the first page without."""

    limit: int
    position: Position | None = None
    before: bool = False

    @classmethod
    def of(cls, cursor: str | None, limit: int) -> Keyset:
        """The page a cursor names (:class:`CursorInvalid` if it names none)."""
        if not cursor:
            return cls(limit)
        before, position = _decode(cursor)
        return cls(limit, position, before)

    @property
    def fetch(self) -> int:
        """Rows to ask for: one more than the page tells whether more follow."""
        return self.limit + 1

    def clause(self, moment: Any, row_id: Any) -> ColumnElement[bool] | None:
        """The condition that starts the walk at the position (``None`` on the first page)."""
        if self.position is None:
            return None
        at, last = self.position
        if self.before:
            return or_(moment > at, and_(moment == at, row_id > last))
        return or_(moment < at, and_(moment == at, row_id < last))

    def order(self, moment: Any, row_id: Any) -> tuple[Any, Any]:
        """The walk's order: newest first, or oldest first when walking back."""
        if self.before:
            return moment.asc(), row_id.asc()
        return moment.desc(), row_id.desc()

    def slice(self, rows: Sequence[T], position_of: Callable[[T], Position]) -> KeysetSlice[T]:
        """The page from the ``fetch`` rows the query answered, newest first."""
        more = len(rows) > self.limit
        items = list(rows[: self.limit])
        if self.before:
            items.reverse()
        if not items:
            return KeysetSlice(items, None, None)
        # Walking forward, rows before exist when we came from a cursor; walking back, the
        # rows after exist (we came from one of them).
        older = more if not self.before else True
        newer = self.position is not None if not self.before else more
        return KeysetSlice(
            items,
            encode_cursor(position_of(items[-1])) if older else None,
            encode_cursor(position_of(items[0]), before=True) if newer else None,
        )
