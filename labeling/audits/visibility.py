"""Who may read which audits, evidence and certificates.

Inspectors and admins read the records of their own body; an artisan reads the records
about itself; nobody else reads anything. A record outside the reader's scope answers 404,
exactly like one that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false

from core.auth import Principal

__all__ = ["ReaderScope", "reader_scope"]


@dataclass(frozen=True, slots=True)
class ReaderScope:
    """A reader's reach: one body's records, or one artisan's."""

    body_id: int | None = None
    artisan_id: int | None = None

    def clause(self, *, artisan_column: Any, body_column: Any) -> ColumnElement[bool]:
        """The SQL condition selecting the rows this reader may see."""
        if self.artisan_id is not None:
            condition: ColumnElement[bool] = artisan_column == self.artisan_id
            return condition
        if self.body_id is not None:
            condition = body_column == self.body_id
            return condition
        return false()

    def admits(self, *, artisan_id: int, body_id: int) -> bool:
        if self.artisan_id is not None:
            return artisan_id == self.artisan_id
        return self.body_id is not None and body_id == self.body_id


def reader_scope(principal: Principal) -> ReaderScope:
    if principal.is_artisan:
        # An artisan account without an artisan row reads nothing, never everything.
        return (
            ReaderScope(artisan_id=principal.artisan_id) if principal.artisan_id else ReaderScope()
        )
    return ReaderScope(body_id=principal.body_id)
