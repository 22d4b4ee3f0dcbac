"""Request and response models of the registry API: bodies, inspectors, artisans, product
lines and the catalogue.

Inputs forbid unknown fields, so ids, statuses, body ids and public ids can never be set by
a client: a body that tries answers 422 and changes nothing. Text inputs are single-line and
no longer than their column, so nothing a client sends can make the database refuse a write
(PostgreSQL rejects NUL characters and over-long values; SQLite would silently keep them).

Outputs are ``*Public`` models built from table rows; no table model ever leaves the API.
An artisan has two outputs: :class:`ArtisanPublic` (what its body's inspectors read) and
:class:`ArtisanPrivate` (the same plus personal data, for the artisan itself and its body's
admin). They are told apart by ``view``, so a route that may return either documents both
and can never serialise one as the other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    model_validator,
)
from pydantic.config import JsonDict

from schemas import text
from schemas.items import Craft, ItemSizeInput, PhotoPublic
from schemas.text import bidi_checked
from schemas.types import ArtisanKind, BodyKind

__all__ = [
    "ArtisanAccountCreate",
    "ArtisanCreate",
    "ArtisanCursorPage",
    "ArtisanPage",
    "ArtisanPrivate",
    "ArtisanPublic",
    "ArtisanUpdate",
    "ArtisanView",
    "AuthorisationPublic",
    "BodyPage",
    "BodyPublic",
    "CriterionPublic",
    "FilierePublic",
    "InspectorCreate",
    "InspectorPage",
    "InspectorPublic",
    "Page",
    "ItemSizePublic",
    "ProductLineCreate",
    "ProductLinePage",
    "ProductLinePublic",
    "RegionPublic",
    "SchemePublic",
    "StandardPublic",
]

# One line of printable text (schemas.text): no control character (NUL among them), no DEL,
# no white space at either end (refused, not stripped).
SINGLE_LINE = text.SINGLE_LINE
# At least one letter of the Arabic script blocks (Arabic, Supplement, Extended-A,
# Presentation Forms A and B), the rest as SINGLE_LINE.
_ARABIC_SCRIPT = text.containing(
    r"\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
)

#: Names are shown on public pages, labels and verdicts: no bidi control may reorder them.
NoBidi = BeforeValidator(bidi_checked)

DisplayName = Annotated[str, Field(min_length=1, max_length=200, pattern=SINGLE_LINE), NoBidi]
ArabicDisplayName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=_ARABIC_SCRIPT,
        description="The name in Arabic script (at least one Arabic letter).",
    ),
    NoBidi,
]
Nia = Annotated[
    str,
    Field(
        min_length=3,
        max_length=32,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
        description="Numéro d'identification artisan; stored upper-case, unique nationally.",
    ),
]
RegionCode = Annotated[
    str,
    Field(
        min_length=5,
        max_length=5,
        pattern=r"^[A-Z]{2}-[0-9]{2}$",
        description="ISO 3166-2 region, MA-01 … MA-12 (see GET /api/v1/regions).",
    ),
]
FiliereCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=8,
        pattern=r"^[A-Z0-9]+$",
        description="Craft sector code (see GET /api/v1/filieres).",
    ),
]
MetierName = Annotated[str, Field(min_length=1, max_length=200, pattern=SINGLE_LINE), NoBidi]
CityName = Annotated[str, Field(min_length=1, max_length=120, pattern=SINGLE_LINE), NoBidi]
NationalId = Annotated[
    str,
    Field(min_length=4, max_length=32, pattern=r"^[A-Za-z0-9]([A-Za-z0-9 -]*[A-Za-z0-9-])?$"),
]
Phone = Annotated[
    str, Field(min_length=6, max_length=32, pattern=r"^\+?[0-9]([0-9 ().-]*[0-9().-])?$")
]
Address = Annotated[str, Field(min_length=1, max_length=500, pattern=SINGLE_LINE), NoBidi]
ProductFamily = Annotated[str, Field(min_length=1, max_length=80, pattern=SINGLE_LINE), NoBidi]
ProductName = Annotated[str, Field(min_length=1, max_length=200, pattern=SINGLE_LINE), NoBidi]
Material = Annotated[str, Field(min_length=1, max_length=60, pattern=SINGLE_LINE), NoBidi]
Password = Annotated[str, Field(min_length=12, max_length=256)]

MAX_MATERIALS = 20


class _Input(BaseModel):
    # Nothing is stripped: text is validated as sent (see schemas.text).
    model_config = ConfigDict(extra="forbid")


class _Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --- Pages ------------------------------------------------------------------------------

ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a list: ``items`` after skipping ``offset``, at most ``limit`` of them."""

    items: list[ItemT]
    total: int = Field(description="How many items match the filters, over all pages.")
    limit: int
    offset: int
    next_offset: int | None = Field(
        description="The offset of the next page, or null on the last page."
    )

    @classmethod
    def of(cls, items: list[ItemT], *, total: int, limit: int, offset: int) -> Self:
        following = offset + limit
        return cls(
            items=items,
            total=total,
            limit=limit,
            offset=offset,
            next_offset=following if following < total else None,
        )


# --- Bodies -----------------------------------------------------------------------------


class BodyPublic(_Output):
    code: str
    kind: BodyKind
    name: str
    region_code: str | None
    is_assumption: bool = Field(
        description="True when the public sources do not establish this body's name: "
        "a placeholder the UI shows as such."
    )


class BodyPage(Page[BodyPublic]):
    pass


# --- Inspectors and their authorisations -------------------------------------------------


class InspectorCreate(_Input):
    email: EmailStr
    password: Password
    display_name: DisplayName


class InspectorPublic(BaseModel):
    id: int
    email: str
    display_name: str
    body_code: str
    is_active: bool
    created_at: datetime
    authorised_schemes: list[str] = Field(
        description="Codes of the label schemes this inspector may audit for, today."
    )


class InspectorPage(Page[InspectorPublic]):
    pass


class AuthorisationPublic(BaseModel):
    inspector_id: int
    scheme_code: str
    scheme_name: str
    granted_by: int
    granted_at: datetime
    revoked_at: datetime | None
    is_active: bool


# --- Artisans ---------------------------------------------------------------------------


class ArtisanCreate(_Input):
    nia: Nia
    kind: ArtisanKind
    display_name_latin: DisplayName
    display_name_arabic: ArabicDisplayName
    region_code: RegionCode
    filiere_code: FiliereCode
    metier: MetierName
    city: CityName
    national_id: NationalId | None = Field(
        default=None, description="Personal data: read back only by the artisan and its admin."
    )
    phone: Phone | None = Field(default=None, description="Personal data.")
    address: Address | None = Field(default=None, description="Personal data.")


# Columns an update may not set to null: the registry always has a value for them.
_REQUIRED_ON_UPDATE = (
    "display_name_latin",
    "display_name_arabic",
    "filiere_code",
    "metier",
    "city",
)


def _no_null_in_schema(schema: JsonDict) -> None:
    """The document of ArtisanUpdate: the fields of ``_REQUIRED_ON_UPDATE`` may be absent but
    not null (the model's ``None`` means "absent"; null is refused by its validator)."""
    properties = schema.get("properties")
    assert isinstance(properties, dict)
    for name in _REQUIRED_ON_UPDATE:
        field = properties[name]
        options = field.pop("anyOf") if isinstance(field, dict) else None
        assert isinstance(field, dict) and isinstance(options, list)
        (kept,) = [option for option in options if option != {"type": "null"}]
        assert isinstance(kept, dict)
        field.update(kept)


class ArtisanUpdate(_Input):
    """The fields that may change after registration. Identity (NIA, kind, national id,
    region and hence body) does not: a change there is a new registration or a transfer."""

    model_config = ConfigDict(json_schema_extra=_no_null_in_schema)

    display_name_latin: DisplayName | None = None
    display_name_arabic: ArabicDisplayName | None = None
    filiere_code: FiliereCode | None = None
    metier: MetierName | None = None
    city: CityName | None = None
    phone: Phone | None = Field(default=None, description="Personal data; null clears it.")
    address: Address | None = Field(default=None, description="Personal data; null clears it.")

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Self:
        nulled = [
            name
            for name in _REQUIRED_ON_UPDATE
            if name in self.model_fields_set and getattr(self, name) is None
        ]
        if nulled:
            raise ValueError(f"cannot be null: {', '.join(nulled)}")
        return self


class _ArtisanFields(_Output):
    id: int
    public_id: str = Field(description="Random 10-character Crockford base32 registry id.")
    nia: str
    kind: ArtisanKind
    display_name_latin: str
    display_name_arabic: str
    region_code: str
    filiere_code: str
    metier: str
    city: str
    body_id: int
    created_at: datetime


class ArtisanPublic(_ArtisanFields):
    """An artisan as its body's inspectors see it: no personal data."""

    view: Literal["registry"] = "registry"


class ArtisanPrivate(_ArtisanFields):
    """An artisan with its personal data, for the artisan itself and its body's admin."""

    view: Literal["private"] = "private"
    national_id: str | None
    phone: str | None
    address: str | None


ArtisanView = Annotated[ArtisanPublic | ArtisanPrivate, Field(discriminator="view")]


class ArtisanPage(Page[ArtisanPublic]):
    pass


class ArtisanCursorPage(BaseModel):
    """One keyset page of a search: pass ``next_cursor`` back as ``cursor`` for the next."""

    items: list[ArtisanPublic]
    limit: int
    next_cursor: str | None = Field(
        description="Opaque; the next page's `cursor`, or null on the last page."
    )


class ArtisanAccountCreate(_Input):
    email: EmailStr
    password: Password
    display_name: DisplayName | None = Field(
        default=None, description="Defaults to the artisan's Latin display name."
    )


# --- Product lines ----------------------------------------------------------------------


class ProductLineCreate(_Input):
    family: ProductFamily = Field(description="e.g. tapis, poterie, zellige, babouches")
    name: ProductName
    materials: list[Material] = Field(default_factory=list, max_length=MAX_MATERIALS)
    gtin: str | None = Field(
        default=None,
        max_length=32,
        pattern=SINGLE_LINE,
        description="GTIN-8/12/13/14 with a valid GS1 check digit, stored as GTIN-14. "
        "Leave it out and the registry assigns one of its own (gtin_source 'registry').",
    )
    craft: Craft | None = Field(default=None, description="How it is made, e.g. hand-knotted.")
    size: ItemSizeInput | None = Field(
        default=None, description="A size class or dimensions in millimetres, never both."
    )


class ItemSizePublic(BaseModel):
    """A size class or dimensions in millimetres; the other members are null."""

    model_config = ConfigDict(from_attributes=True, serialize_by_alias=True)

    size_class: Literal["S", "M", "L", "XL"] | None = Field(alias="class")
    width_mm: int | None
    length_mm: int | None
    height_mm: int | None


class ProductLinePublic(_Output):
    id: int
    artisan_id: int
    family: str
    name: str
    materials: list[str]
    gtin: str | None = Field(
        description="GTIN-14. A 611 prefix says GS1 Maroc allocated the number, not where "
        "the item was made: it is never proof of origin."
    )
    gtin_source: Literal["gs1", "registry"]
    created_at: datetime
    craft: str | None = Field(default=None, description="How it is made (what buyers read).")
    size: ItemSizePublic | None = Field(
        default=None, description="A size class or dimensions in millimetres, or null."
    )
    photos: list[PhotoPublic] = Field(
        default_factory=list,
        description="The photos buyers see (GET …/photos lists them; empty in lists).",
    )


class ProductLinePage(Page[ProductLinePublic]):
    pass


# --- Catalogue --------------------------------------------------------------------------


class RegionPublic(_Output):
    code: str
    name: str
    label_lot: int | None = Field(description="The 2024 label tender lot covering the region.")


class FilierePublic(BaseModel):
    code: str
    name: str
    category: str
    is_assumption: bool = Field(
        description="The official list (Décret 2.21.991) is not public: provisional row."
    )
    metiers: list[str]


class CriterionPublic(_Output):
    code: str
    name: str
    kind: Literal["boolean", "measured"]
    unit: str | None
    comparison: Literal["ge", "gt", "le", "lt"] | None
    threshold: float | None
    standard_code: str | None
    is_assumption: bool


class SchemePublic(BaseModel):
    code: str
    family: str
    name: str
    level: int | None
    level_name: str | None
    description: str
    validity_months: int
    is_assumption: bool
    assumption_note: str | None = Field(
        description="What the public sources do not establish about this scheme, when "
        "is_assumption is true."
    )
    standards: list[str]
    criteria: list[CriterionPublic]


class StandardPublic(_Output):
    code: str
    title: str
    jurisdiction: str
    product_family: str
    key_requirement: str
    status: str
    is_assumption: bool
