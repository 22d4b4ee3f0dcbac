"""Queries on bodies, inspectors, authorisations, artisans and product lines.

Repositories flush; services commit. Lists return ``(rows, total)`` for one page, ordered
by id so that pages are stable while rows are added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from core.keyset import Keyset
from schemas.accounts import UserAccount
from schemas.catalog import LabelScheme
from schemas.items import ItemPhoto
from schemas.registry import (
    Artisan,
    Body,
    Filiere,
    InspectorAuthorisation,
    ProductLine,
    Region,
)
from schemas.types import Role

__all__ = [
    "ArtisanFilters",
    "active_scheme_codes",
    "add",
    "artisan_has_account",
    "filiere_exists",
    "get_artisan",
    "get_artisan_by_nia",
    "get_authorisation",
    "get_body",
    "get_body_by_code",
    "get_inspector",
    "get_photo",
    "get_product_line",
    "get_product_line_by_gtin",
    "get_scheme_by_code",
    "list_artisans",
    "list_authorisations",
    "list_bodies",
    "list_inspectors",
    "list_photos",
    "list_product_lines",
    "lock_product_line",
    "public_id_exists",
    "region_exists",
]


def add(*, session: Session, row: Any) -> None:
    """Insert or update one row and flush, so that its id and constraints are known now."""
    session.add(row)
    session.flush()


def _page(
    session: Session, statement: Any, *, order_by: Any, limit: int, offset: int
) -> tuple[list[Any], int]:
    total = session.exec(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).one()
    rows = list(session.exec(statement.order_by(order_by).limit(limit).offset(offset)))
    return rows, int(total)


# --- Catalogue lookups -------------------------------------------------------------------


def region_exists(*, session: Session, code: str) -> bool:
    return session.get(Region, code) is not None


def filiere_exists(*, session: Session, code: str) -> bool:
    return session.get(Filiere, code) is not None


def get_scheme_by_code(*, session: Session, code: str) -> LabelScheme | None:
    return session.exec(select(LabelScheme).where(LabelScheme.code == code)).first()


# --- Bodies ------------------------------------------------------------------------------


def get_body(*, session: Session, body_id: int) -> Body | None:
    return session.get(Body, body_id)


def get_body_by_code(*, session: Session, code: str) -> Body | None:
    return session.exec(select(Body).where(Body.code == code)).first()


def list_bodies(
    *, session: Session, kind: str | None, region_code: str | None, limit: int, offset: int
) -> tuple[list[Body], int]:
    statement = select(Body)
    if kind is not None:
        statement = statement.where(Body.kind == kind)
    if region_code is not None:
        statement = statement.where(Body.region_code == region_code)
    return _page(session, statement, order_by=col(Body.id), limit=limit, offset=offset)


# --- Inspectors and authorisations -------------------------------------------------------


def get_inspector(*, session: Session, inspector_id: int, body_id: int) -> UserAccount | None:
    return session.exec(
        select(UserAccount).where(
            UserAccount.id == inspector_id,
            UserAccount.role == Role.INSPECTOR.value,
            UserAccount.body_id == body_id,
        )
    ).first()


def list_inspectors(
    *, session: Session, body_id: int, limit: int, offset: int
) -> tuple[list[UserAccount], int]:
    statement = select(UserAccount).where(
        UserAccount.role == Role.INSPECTOR.value, UserAccount.body_id == body_id
    )
    return _page(session, statement, order_by=col(UserAccount.id), limit=limit, offset=offset)


def inspector_keyset_rows(*, session: Session, body_id: int, keyset: Keyset) -> list[UserAccount]:
    """A keyset page's rows of the body's inspectors, newest first (``created_at``, ``id``):
    ``keyset.fetch`` of them in the walk's order, for ``keyset.slice``."""
    moment, row_id = col(UserAccount.created_at), col(UserAccount.id)
    start = keyset.clause(moment, row_id)
    statement = (
        select(UserAccount)
        .where(
            UserAccount.role == Role.INSPECTOR.value,
            UserAccount.body_id == body_id,
            *([start] if start is not None else []),
        )
        .order_by(*keyset.order(moment, row_id))
        .limit(keyset.fetch)
    )
    return list(session.exec(statement))


def active_scheme_codes(*, session: Session, inspector_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each inspector's currently authorised scheme codes, in one query for a whole page."""
    codes: dict[int, list[str]] = {inspector_id: [] for inspector_id in inspector_ids}
    if not inspector_ids:
        return codes
    rows = session.exec(
        select(InspectorAuthorisation.inspector_id, LabelScheme.code)
        .join(LabelScheme, col(LabelScheme.id) == col(InspectorAuthorisation.scheme_id))
        .where(
            col(InspectorAuthorisation.inspector_id).in_(inspector_ids),
            col(InspectorAuthorisation.revoked_at).is_(None),
        )
        .order_by(col(LabelScheme.code))
    )
    for inspector_id, code in rows:
        codes[inspector_id].append(code)
    return codes


def get_authorisation(
    *, session: Session, inspector_id: int, scheme_id: int
) -> InspectorAuthorisation | None:
    return session.exec(
        select(InspectorAuthorisation).where(
            InspectorAuthorisation.inspector_id == inspector_id,
            InspectorAuthorisation.scheme_id == scheme_id,
        )
    ).first()


def list_authorisations(
    *, session: Session, inspector_id: int, include_revoked: bool
) -> list[tuple[InspectorAuthorisation, LabelScheme]]:
    statement = (
        select(InspectorAuthorisation, LabelScheme)
        .join(LabelScheme, col(LabelScheme.id) == col(InspectorAuthorisation.scheme_id))
        .where(InspectorAuthorisation.inspector_id == inspector_id)
        .order_by(col(LabelScheme.code))
    )
    if not include_revoked:
        statement = statement.where(col(InspectorAuthorisation.revoked_at).is_(None))
    return list(session.exec(statement))


# --- Artisans ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArtisanFilters:
    region_code: str | None = None
    filiere_code: str | None = None
    kind: str | None = None
    city: str | None = None
    name_contains: str | None = None


def get_artisan(*, session: Session, artisan_id: int) -> Artisan | None:
    return session.get(Artisan, artisan_id)


def get_artisan_by_nia(*, session: Session, nia: str) -> Artisan | None:
    return session.exec(select(Artisan).where(Artisan.nia == nia)).first()


def public_id_exists(*, session: Session, public_id: str) -> bool:
    found = session.exec(select(Artisan.id).where(Artisan.public_id == public_id)).first()
    return found is not None


def list_artisans(
    *, session: Session, body_id: int, filters: ArtisanFilters, limit: int, offset: int
) -> tuple[list[Artisan], int]:
    statement = select(Artisan).where(Artisan.body_id == body_id)
    if filters.region_code is not None:
        statement = statement.where(Artisan.region_code == filters.region_code)
    if filters.filiere_code is not None:
        statement = statement.where(Artisan.filiere_code == filters.filiere_code)
    if filters.kind is not None:
        statement = statement.where(Artisan.kind == filters.kind)
    if filters.city is not None:
        statement = statement.where(func.lower(Artisan.city) == filters.city.lower())
    if filters.name_contains is not None:
        needle = filters.name_contains.lower()
        statement = statement.where(
            func.lower(Artisan.display_name_latin).contains(needle, autoescape=True)
            | col(Artisan.display_name_arabic).contains(filters.name_contains, autoescape=True)
        )
    return _page(session, statement, order_by=col(Artisan.id), limit=limit, offset=offset)


def artisan_has_account(*, session: Session, artisan_id: int) -> bool:
    found = session.exec(select(UserAccount.id).where(UserAccount.artisan_id == artisan_id)).first()
    return found is not None


# --- Product lines -----------------------------------------------------------------------


def get_product_line(*, session: Session, product_line_id: int) -> ProductLine | None:
    return session.get(ProductLine, product_line_id)


def get_product_line_by_gtin(*, session: Session, gtin: str) -> ProductLine | None:
    return session.exec(select(ProductLine).where(ProductLine.gtin == gtin)).first()


def list_product_lines(
    *, session: Session, artisan_id: int, limit: int, offset: int
) -> tuple[list[ProductLine], int]:
    statement = select(ProductLine).where(ProductLine.artisan_id == artisan_id)
    return _page(session, statement, order_by=col(ProductLine.id), limit=limit, offset=offset)


def lock_product_line(*, session: Session, product_line_id: int) -> ProductLine | None:
    """The product line, its row locked until the transaction ends (PostgreSQL; SQLite's
    writers are serialised already): photo counts and positions are decided under it."""
    statement = select(ProductLine).where(ProductLine.id == product_line_id).with_for_update()
    return session.exec(statement).first()


# --- Photos of product lines -------------------------------------------------------------


def list_photos(*, session: Session, product_line_ids: Sequence[int]) -> list[ItemPhoto]:
    """The photos of these product lines, by line then position (bytes not loaded)."""
    if not product_line_ids:
        return []
    statement = (
        select(ItemPhoto)
        .where(col(ItemPhoto.product_line_id).in_(product_line_ids))
        .order_by(col(ItemPhoto.product_line_id), col(ItemPhoto.position), col(ItemPhoto.id))
    )
    return list(session.exec(statement.options(*_WITHOUT_BYTES)))


def get_photo(*, session: Session, public_id: str, with_bytes: bool = False) -> ItemPhoto | None:
    statement = select(ItemPhoto).where(ItemPhoto.public_id == public_id)
    if not with_bytes:
        statement = statement.options(*_WITHOUT_BYTES)
    return session.exec(statement).first()


#: Load a photo row without its image and thumbnail bytes.
_WITHOUT_BYTES = (defer(ItemPhoto.image), defer(ItemPhoto.thumbnail))  # type: ignore[arg-type]
