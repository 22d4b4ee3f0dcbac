"""Bodies, regions, crafts, artisans and their product lines: the registry's tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlmodel import Field, SQLModel

from schemas.search_key import artisan_search_key
from schemas.types import UTCDateTime, utcnow

__all__ = [
    "Artisan",
    "Body",
    "Filiere",
    "InspectorAuthorisation",
    "Metier",
    "ProductLine",
    "Region",
]


class Region(SQLModel, table=True):
    """One of Morocco's 12 regions (ISO 3166-2 MA-01 … MA-12)."""

    __tablename__ = "region"

    code: str = Field(sa_column=Column(String(5), primary_key=True))
    name: str = Field(sa_column=Column(String(120), nullable=False))
    label_lot: int | None = None


class Filiere(SQLModel, table=True):
    """A craft sector; the official list (Décret 2.21.991) is not public, so rows may be
    provisional (``is_assumption``) and are shown as such."""

    __tablename__ = "filiere"

    code: str = Field(sa_column=Column(String(8), primary_key=True))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    category: str = Field(sa_column=Column(String(16), nullable=False))
    is_assumption: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))


class Metier(SQLModel, table=True):
    __tablename__ = "metier"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    filiere_code: str = Field(
        sa_column=Column(String(8), ForeignKey("filiere.code"), nullable=False)
    )
    is_assumption: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))


class Body(SQLModel, table=True):
    """A chambre d'artisanat (one per region) or an accredited certification body."""

    __tablename__ = "body"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    kind: str = Field(sa_column=Column(String(24), nullable=False))
    name: str = Field(sa_column=Column(String(300), nullable=False))
    region_code: str | None = Field(
        default=None, sa_column=Column(String(5), ForeignKey("region.code"), nullable=True)
    )
    is_assumption: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InspectorAuthorisation(SQLModel, table=True):
    """A body admin's grant that lets one inspector audit for one label scheme."""

    __tablename__ = "inspector_authorisation"
    __table_args__ = (UniqueConstraint("inspector_id", "scheme_id"),)

    id: int | None = Field(default=None, primary_key=True)
    inspector_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False, index=True)
    )
    scheme_id: int = Field(sa_column=Column(Integer, ForeignKey("label_scheme.id"), nullable=False))
    granted_by: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False)
    )
    granted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Artisan(SQLModel, table=True):
    """A registered artisan, maâlem, cooperative or company.

    ``national_id``, ``phone`` and ``address`` are personal data: only the artisan itself
    and its body's admin read them; they never reach a public page, a label or the log.
    """

    __tablename__ = "artisan"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(sa_column=Column(String(16), unique=True, nullable=False))
    nia: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    display_name_latin: str = Field(sa_column=Column(String(200), nullable=False))
    display_name_arabic: str = Field(sa_column=Column(String(200), nullable=False))
    region_code: str = Field(
        sa_column=Column(String(5), ForeignKey("region.code"), nullable=False, index=True)
    )
    filiere_code: str = Field(
        sa_column=Column(String(8), ForeignKey("filiere.code"), nullable=False, index=True)
    )
    metier: str = Field(sa_column=Column(String(200), nullable=False))
    city: str = Field(sa_column=Column(String(120), nullable=False))
    body_id: int = Field(
        sa_column=Column(Integer, ForeignKey("body.id"), nullable=False, index=True)
    )
    national_id: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    phone: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    address: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))
    # The registering account; no foreign key because accounts also point at artisans.
    created_by: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Names, NIA, registry id, city and craft folded for search (schemas.search_key); set
    # on every insert and update by the listener below, never by hand. Indexed by
    # migration 0006 (a trigram index on PostgreSQL, an FTS5 trigram table on SQLite).
    search_key: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


@event.listens_for(Artisan, "before_insert")
@event.listens_for(Artisan, "before_update")
def _refresh_search_key(_mapper: Any, _connection: Any, target: Artisan) -> None:
    """Whoever writes an artisan through the ORM (the registry service, the demo loader,
    a test fixture), its search key follows its fields."""
    target.search_key = artisan_search_key(
        display_name_latin=target.display_name_latin,
        display_name_arabic=target.display_name_arabic,
        nia=target.nia,
        public_id=target.public_id,
        city=target.city,
        metier=target.metier,
    )


class ProductLine(SQLModel, table=True):
    """A product an artisan makes. ``gtin_source`` is ``gs1`` for a GS1-allocated GTIN and
    ``registry`` for a Khatem-assigned restricted-circulation number (see docs)."""

    __tablename__ = "product_line"

    id: int | None = Field(default=None, primary_key=True)
    artisan_id: int = Field(
        sa_column=Column(Integer, ForeignKey("artisan.id"), nullable=False, index=True)
    )
    family: str = Field(sa_column=Column(String(80), nullable=False))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    materials: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    gtin: str | None = Field(default=None, sa_column=Column(String(14), unique=True))
    gtin_source: str = Field(default="gs1", sa_column=Column(String(10), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # What a buyer checks with their eyes (issue 15, migration 0010; verify.item): how it
    # is made, and a size class or dimensions in millimetres, never both. Name, family
    # and materials above complete the description; photos are ``item_photo`` rows.
    craft: str | None = Field(default=None, sa_column=Column(String(120), nullable=True))
    size_class: str | None = Field(default=None, sa_column=Column(String(3), nullable=True))
    width_mm: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    length_mm: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    height_mm: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    # Moves with every change of the description or its photos: the online verifier keeps
    # an item's facts in memory under it (labeling.verification.fast_path).
    item_version: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )

    @property
    def size(self) -> dict[str, Any] | None:
        """The size as the API and verdicts show it, or None when none is given."""
        given = (self.size_class, self.width_mm, self.length_mm, self.height_mm)
        if all(value is None for value in given):
            return None
        return {
            "class": self.size_class,
            "width_mm": self.width_mm,
            "length_mm": self.length_mm,
            "height_mm": self.height_mm,
        }
