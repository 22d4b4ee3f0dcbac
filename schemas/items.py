"""What a label belongs to: a product line's description and photos (issue 15, item 1).

The description's text lives on ``product_line`` (:class:`schemas.registry.ProductLine`);
each photo is an :class:`ItemPhoto` row holding the re-encoded image and its thumbnail
(never the bytes uploaded: those may carry EXIF, GPS or other metadata). Photos are public:
the registry serves them by their random ``public_id`` to anyone who scans a label.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String
from sqlmodel import Field as TableField
from sqlmodel import SQLModel

from schemas import text
from schemas.types import UTCDateTime, utcnow

__all__ = [
    "MAX_DIMENSION_MM",
    "ItemDescriptionUpdate",
    "ItemPhoto",
    "ItemSizeInput",
    "PhotoPublic",
]

#: The largest dimension a description may give, in millimetres (a 50 m carpet).
MAX_DIMENSION_MM = 50_000
MAX_MATERIALS = 20

_NoBidi = BeforeValidator(text.bidi_checked)  # as schemas.registry_api's names
ProductName = Annotated[str, Field(min_length=1, max_length=200, pattern=text.SINGLE_LINE), _NoBidi]
Craft = Annotated[str, Field(min_length=1, max_length=120, pattern=text.SINGLE_LINE), _NoBidi]
Material = Annotated[str, Field(min_length=1, max_length=60, pattern=text.SINGLE_LINE), _NoBidi]
Millimetres = Annotated[int, Field(ge=1, le=MAX_DIMENSION_MM)]


class ItemPhoto(SQLModel, table=True):
    """One photo of a product line: re-encoded (WebP), metadata-free, bounded in size."""

    __tablename__ = "item_photo"

    id: int | None = TableField(default=None, primary_key=True)
    public_id: str = TableField(sa_column=Column(String(32), unique=True, nullable=False))
    product_line_id: int = TableField(
        sa_column=Column(Integer, ForeignKey("product_line.id"), nullable=False, index=True)
    )
    position: int = TableField(sa_column=Column(Integer, nullable=False))
    media_type: str = TableField(sa_column=Column(String(20), nullable=False))
    width: int = TableField(sa_column=Column(Integer, nullable=False))
    height: int = TableField(sa_column=Column(Integer, nullable=False))
    image: bytes = TableField(sa_column=Column(LargeBinary, nullable=False))
    image_sha256: str = TableField(sa_column=Column(String(64), nullable=False))
    thumbnail_width: int = TableField(sa_column=Column(Integer, nullable=False))
    thumbnail_height: int = TableField(sa_column=Column(Integer, nullable=False))
    thumbnail: bytes = TableField(sa_column=Column(LargeBinary, nullable=False))
    thumbnail_sha256: str = TableField(sa_column=Column(String(64), nullable=False))
    # The account that uploaded it (internal, never shown).
    created_by: int | None = TableField(default=None, sa_column=Column(Integer, nullable=True))
    created_at: datetime = TableField(default_factory=utcnow, sa_type=UTCDateTime)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemSizeInput(_Input):
    """A size class, or dimensions in whole millimetres (at least one), never both."""

    model_config = ConfigDict(
        extra="forbid",
        serialize_by_alias=True,
        validate_by_name=True,
        json_schema_extra={
            "oneOf": [
                {"required": ["class"]},
                {"anyOf": [{"required": [n]} for n in ("width_mm", "length_mm", "height_mm")]},
            ],
            "description": "A size class (`class`: S, M, L, XL) or dimensions in whole "
            "millimetres (at least one of `width_mm`, `length_mm`, `height_mm`), never both.",
        },
    )

    size_class: Literal["S", "M", "L", "XL"] = Field(default=None, alias="class")  # type: ignore[arg-type]
    width_mm: Millimetres = Field(default=None)  # type: ignore[assignment]
    length_mm: Millimetres = Field(default=None)  # type: ignore[assignment]
    height_mm: Millimetres = Field(default=None)  # type: ignore[assignment]

    @model_validator(mode="after")
    def _one_kind(self) -> ItemSizeInput:
        dimensions = [self.width_mm, self.length_mm, self.height_mm]
        has_dimensions = any(value is not None for value in dimensions)
        if self.size_class is None and not has_dimensions:
            raise ValueError("give a size class or at least one dimension")
        if self.size_class is not None and has_dimensions:
            raise ValueError("give a size class or dimensions, not both")
        return self


class ItemDescriptionUpdate(_Input):
    """A product line's description, whole: what is left out is cleared."""

    name: ProductName = Field(description="What the item is, e.g. Beni Ouarain carpet.")
    craft: Craft | None = Field(default=None, description="How it is made, e.g. hand-knotted.")
    materials: list[Material] = Field(default_factory=list, max_length=MAX_MATERIALS)
    size: ItemSizeInput | None = None


class PhotoPublic(BaseModel):
    """A photo of a product line, as the API lists it (public URLs, no uploader)."""

    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="The photo's public id.")
    position: int
    url: str
    thumbnail_url: str
    width: int
    height: int
    created_at: datetime
