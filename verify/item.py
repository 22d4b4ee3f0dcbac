"""What a label belongs to: the item's description, as a buyer checks it with their eyes.

A signature proves that the registry issued a label, not that the label is on the item it
was issued for: a genuine label moved to a lesser carpet still verifies. So every product
line carries what anyone can compare with the item in front of them — its name, craft,
materials, a size (a size class or dimensions) and, online, photos — and a verdict on a
genuine label carries them as ``item`` (docs/verification.md, "The item"). Offline
verifiers get the same text facts from the certificate status snapshot, without the photos.

Nothing here is personal: the description is the product's, never the artisan's or a
buyer's. This module imports nothing from ``labeling`` or ``core``.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "SIZE_CLASSES",
    "ItemFacts",
    "ItemPhoto",
    "ItemSize",
    "item_of",
]

#: The size classes a product line may give instead of dimensions.
SIZE_CLASSES: Final = ("S", "M", "L", "XL")
SizeClass = Literal["S", "M", "L", "XL"]
#: The largest dimension a description may give, in millimetres (a 50 m carpet).
MAX_DIMENSION_MM: Final = 50_000

Millimetres = int


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ItemSize(_Model):
    """A size class (``S`` … ``XL``) or dimensions in whole millimetres, never both.

    The JSON always has the four members: ``class`` or the dimensions are null.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", serialize_by_alias=True, validate_by_name=True
    )

    size_class: SizeClass | None = Field(default=None, alias="class")
    width_mm: Millimetres | None = Field(default=None, ge=1, le=MAX_DIMENSION_MM)
    length_mm: Millimetres | None = Field(default=None, ge=1, le=MAX_DIMENSION_MM)
    height_mm: Millimetres | None = Field(default=None, ge=1, le=MAX_DIMENSION_MM)

    @model_validator(mode="after")
    def _one_kind(self) -> ItemSize:
        dimensions = self.dimensions
        if self.size_class is None and not dimensions:
            raise ValueError("a size is a size class or at least one dimension")
        if self.size_class is not None and dimensions:
            raise ValueError("a size is a size class or dimensions, not both")
        return self

    @property
    def dimensions(self) -> tuple[int, ...]:
        """The dimensions given, in display order: width × length × height."""
        given = (self.width_mm, self.length_mm, self.height_mm)
        return tuple(value for value in given if value is not None)

    def english(self) -> str:
        """``200 × 300 cm`` or ``size L`` (the CLI's; the pages say it in four languages)."""
        if self.size_class is not None:
            return f"size {self.size_class}"
        return " × ".join(f"{value / 10:g}" for value in self.dimensions) + " cm"


class ItemPhoto(_Model):
    """A photo of the item, served by the registry (online verdicts only)."""

    url: str = Field(description="Path of the photo on the registry (at most 1200 px).")
    thumbnail_url: str = Field(description="Path of its thumbnail (at most 320 px).")
    width: int = Field(ge=1)
    height: int = Field(ge=1)


class ItemFacts(_Model):
    """The item a label was issued for, as its product line describes it."""

    name: str = Field(description="The product's name, e.g. Beni Ouarain carpet.")
    family: str = Field(description="The product family, e.g. tapis, poterie, zellige.")
    craft: str | None = Field(description="How it is made, e.g. hand-knotted; null if not given.")
    materials: tuple[str, ...]
    size: ItemSize | None = Field(description="A size class or dimensions; null if not given.")
    photos: tuple[ItemPhoto, ...] = Field(
        default=(), description="Online only: photos of the item, in the line's order."
    )

    @property
    def sentence_craft(self) -> str | None:
        """The craft, unless the name already says it ("Tapis noué main", "noué main")."""
        if self.craft and self.craft.casefold() not in self.name.casefold():
            return self.craft
        return None

    def text_facts(self) -> ItemFacts:
        """The same facts without photos (what the offline snapshot carries)."""
        return self.model_copy(update={"photos": ()}) if self.photos else self


def item_of(source: Any, gtin: str) -> ItemFacts | None:
    """The item facts ``source`` (a :class:`verify.verifier.VerificationSource`) has for
    ``gtin``: sources that know no items (older ones, test doubles) have no ``item``."""
    lookup = getattr(source, "item", None)
    if lookup is None:
        return None
    found = lookup(gtin)
    return found if isinstance(found, ItemFacts) else None
