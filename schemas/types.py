"""Column types shared by the table models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["UTCDateTime", "utcnow", "Role", "ArtisanKind", "BodyKind"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use UTC-aware values")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


class Role(StrEnum):
    ADMIN = "admin"
    INSPECTOR = "inspector"
    ARTISAN = "artisan"
    #: A retailer organisation's service account: API keys, no password (docs/retailers.md).
    RETAILER = "retailer"


class BodyKind(StrEnum):
    CHAMBRE = "chambre"
    CERTIFICATION_BODY = "certification_body"


class ArtisanKind(StrEnum):
    ARTISAN = "artisan"
    MAALEM = "maalem"
    COOPERATIVE = "cooperative"
    ENTREPRISE = "entreprise"
