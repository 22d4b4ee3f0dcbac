"""What the demo registry's labels belong to: each demo product line's craft and size, and a
generated photo of the Taznakht carpet, so the demo verdict page shows an item a buyer can
compare with what they hold (``khatem serve --demo``).

The photo is drawn here (a Berber diamond pattern on a red ground) and goes through the same
checks and re-encoding as any upload (:func:`labeling.registry.photos.process_photo`).
"""

from __future__ import annotations

import io
from typing import Any, Final

from PIL import Image, ImageDraw
from sqlmodel import Session

from labeling.registry import repository
from labeling.registry.items import photo_row
from labeling.registry.photos import process_photo
from schemas.items import ItemPhoto
from schemas.registry import ProductLine

__all__ = ["DESCRIPTIONS", "PHOTOGRAPHED", "add_demo_photo", "description_of"]

#: Product name → (craft, size): a size class, or dimensions in millimetres.
DESCRIPTIONS: Final[dict[str, tuple[str, dict[str, Any]]]] = {
    "Tapis Ouzguita noué main": ("noué main", {"width_mm": 2000, "length_mm": 3000}),
    "Tapis Akhnif tissé": ("tissé main", {"width_mm": 1400, "length_mm": 2100}),
    "Kilim tissé main": ("tissé main", {"width_mm": 1200, "length_mm": 1800}),
    "Poterie verte de Tamegroute": ("tournée, émaillée au four à bois", {"class": "M"}),
    "Tajine culinaire émaillé": ("tourné main", {"width_mm": 300, "height_mm": 250}),
    "Plats décoratifs peints main": ("peints main", {"width_mm": 350}),
    "Tajine de service": ("tourné main", {"class": "L"}),
    "Babouches en cuir tanné végétal": ("cousues main", {"class": "M"}),
    "Zellige de Fès taillé main": ("taillé main", {"width_mm": 100, "length_mm": 100}),
    "Plateau en cuivre ciselé": ("ciselé main", {"width_mm": 600}),
    "Tapis de Boujaad": ("noué main", {"width_mm": 1700, "length_mm": 2900}),
    "Fibule tazerzit en argent": ("émail cloisonné", {"class": "S"}),
    "Bracelet berbère en argent": ("forgé main", {"class": "S"}),
}
#: The demo product line that gets a photo.
PHOTOGRAPHED: Final = "Tapis Ouzguita noué main"


def description_of(name: str) -> dict[str, Any]:
    """The ``craft`` and ``size`` of a demo product (none for an unknown name)."""
    craft, size = DESCRIPTIONS.get(name, (None, None))
    return {"craft": craft, "size": size}


def _carpet_picture() -> bytes:
    """A carpet seen from above: red ground, a border, rows of ivory diamonds (PNG)."""
    width, height = 800, 1200
    image = Image.new("RGB", (width, height), (150, 35, 35))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, width - 31, height - 31), outline=(235, 220, 190), width=18)
    draw.rectangle((70, 70, width - 71, height - 71), outline=(40, 40, 60), width=8)
    for row in range(5):
        for column in range(3):
            x, y = 180 + column * 220, 200 + row * 200
            diamond = [(x, y - 85), (x + 70, y), (x, y + 85), (x - 70, y)]
            draw.polygon(diamond, outline=(235, 220, 190), width=10)
            draw.polygon([(x, y - 25), (x + 20, y), (x, y + 25), (x - 20, y)], fill=(40, 40, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def add_demo_photo(session: Session, line: ProductLine) -> ItemPhoto:
    """A photo of ``line`` (in the caller's transaction)."""
    assert line.id is not None
    processed = process_photo(_carpet_picture(), max_bytes=8 << 20, max_pixels=40_000_000)
    photo = photo_row(processed, product_line_id=line.id, position=1, created_by=None)
    repository.add(session=session, row=photo)
    return photo
