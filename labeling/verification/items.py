"""Item facts from the database: the one mapper from a product line's rows to
:class:`verify.item.ItemFacts`, for the online verdict (:mod:`.source`), the certificate
status snapshot (:mod:`labeling.snapshots.repository`) and the pages.

Runs on any DB-API-style ``run`` function (:data:`labeling.verification.facts.Run`).
Names read back lose their bidi control characters, as certificate facts do.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Final

from labeling.verification.facts import Run
from schemas.text import WITHOUT_BIDI_CONTROLS
from verify.gtin import GtinError, normalise_gtin
from verify.item import ItemFacts, ItemPhoto

__all__ = ["PHOTO_PATH", "load_items"]

#: Where the registry serves a photo (labeling.registry.items_router).
PHOTO_PATH: Final = "/photos/{public_id}/{variant}.webp"

_LINES_SQL: Final = (
    "SELECT p.id, p.gtin, p.name, p.family, p.craft, p.materials, p.size_class, "
    "p.width_mm, p.length_mm, p.height_mm FROM product_line p"
)
_PHOTOS_SQL: Final = (
    "SELECT ph.product_line_id, ph.public_id, ph.width, ph.height FROM item_photo ph{where} "
    "ORDER BY ph.product_line_id, ph.position, ph.id"
)
#: Which product lines :func:`load_items` reads (``{p}``: the parameter).
BY_ID: Final = " WHERE p.id = {p}"
IN_SCOPE: Final = " WHERE p.id IN (SELECT cs.product_line_id FROM certificate_scope cs)"


def _clean(value: str | None) -> str | None:
    return None if value is None else value.translate(WITHOUT_BIDI_CONTROLS)


def _materials(raw: Any) -> tuple[str, ...]:
    values = json.loads(raw) if isinstance(raw, str) else (raw or [])
    return tuple(str(_clean(str(value))) for value in values)


def load_items(
    run: Run, mark: str, *, where: str, params: Sequence[Any] = (), photos: bool = True
) -> dict[int, tuple[str, ItemFacts]]:
    """Product line id → (GTIN, its item facts) for the lines ``where`` selects
    (:data:`BY_ID`, :data:`IN_SCOPE`); ``photos=False`` leaves the photos out (snapshots)."""
    clause = where.format(p=mark)
    rows = run(_LINES_SQL + clause, params)
    found_photos: dict[int, list[ItemPhoto]] = defaultdict(list)
    if photos and rows:
        photo_where = " WHERE ph.product_line_id IN (SELECT p.id FROM product_line p" + clause + ")"
        for line_id, public_id, width, height in run(_PHOTOS_SQL.format(where=photo_where), params):
            found_photos[int(line_id)].append(
                ItemPhoto(
                    url=PHOTO_PATH.format(public_id=public_id, variant="full"),
                    thumbnail_url=PHOTO_PATH.format(public_id=public_id, variant="thumb"),
                    width=int(width),
                    height=int(height),
                )
            )
    items: dict[int, tuple[str, ItemFacts]] = {}
    for line_id, gtin, name, family, craft, materials, size_class, *dims in rows:
        try:
            gtin14 = normalise_gtin(str(gtin)) if gtin is not None else None
        except GtinError:
            gtin14 = None
        if gtin14 is None:
            continue  # no label can name a line without a (valid) GTIN
        size = None
        if size_class is not None or any(value is not None for value in dims):
            width, length, height = dims
            size = {
                "class": size_class,
                "width_mm": width,
                "length_mm": length,
                "height_mm": height,
            }
        facts = ItemFacts.model_validate(
            {
                "name": _clean(name),
                "family": _clean(family),
                "craft": _clean(craft),
                "materials": _materials(materials),
                "size": size,
                "photos": tuple(found_photos.get(int(line_id), ())),
            }
        )
        items[int(line_id)] = (gtin14, facts)
    return items
