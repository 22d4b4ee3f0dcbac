"""What the verdict page says about the item a label belongs to, in the buyer's language.

The description itself (name, craft, materials) is shown as the registry recorded it; the
sentence around it, the size and the field names are the page's language::

    This label belongs to: Beni Ouarain carpet, hand-knotted, wool, 200 × 300 cm — check
    that it matches the item in front of you.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from babel.numbers import format_decimal

from verify.item import ItemFacts, ItemSize
from verify.pages.i18n import Lang, Text

__all__ = ["ITEM_WORDS", "ItemView", "item_view", "size_text"]

ITEM_WORDS: Final[dict[str, Text]] = {
    "heading": Text(
        "Ce que porte cette étiquette",
        "What this label belongs to",
        "A qué pertenece esta etiqueta",
        "ما يخصّه هذا الملصق",
    ),
    "belongs_to": Text(
        "Cette étiquette appartient à : {item} — vérifiez que cela correspond à l'objet "
        "que vous avez devant vous.",
        "This label belongs to: {item} — check that it matches the item in front of you.",
        "Esta etiqueta pertenece a: {item}. Compruebe que corresponde al objeto que tiene delante.",
        "هذا الملصق يخصّ: {item} — تحقّق من أنّ ذلك يطابق القطعة التي أمامك.",
    ),
    "mismatch": Text(
        "Si l'objet ne correspond pas, l'étiquette a peut-être été déplacée ou copiée : "
        "ne vous fiez pas au verdict pour cet objet.",
        "If the item does not match, the label may have been moved or copied: do not rely "
        "on this verdict for that item.",
        "Si el objeto no corresponde, la etiqueta puede haber sido trasladada o copiada: no "
        "confíe en este veredicto para ese objeto.",
        "إذا لم تطابق القطعة، فربما نُقل الملصق أو نُسخ: لا تعتمد على هذه النتيجة لتلك القطعة.",
    ),
    "name": Text("Objet", "Item", "Objeto", "القطعة"),
    "craft": Text("Savoir-faire", "Craft", "Técnica", "الصنعة"),
    "materials": Text("Matières", "Materials", "Materiales", "المواد"),
    "size": Text("Taille", "Size", "Tamaño", "المقاس"),
    "size_class": Text("taille {size}", "size {size}", "talla {size}", "المقاس {size}"),
    "centimetres": Text("{size} cm", "{size} cm", "{size} cm", "{size} سم"),
    "photos": Text("Photos de l'objet", "Photos of the item", "Fotos del objeto", "صور القطعة"),
    "photo_alt": Text(
        "Photo {number} : {name}",
        "Photo {number}: {name}",
        "Foto {number}: {name}",
        "الصورة {number}: {name}",
    ),
    "list_separator": Text(", ", ", ", ", ", "، "),
}


@dataclass(frozen=True, slots=True)
class PhotoView:
    url: str
    thumbnail_url: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ItemView:
    """The item as the page shows it: one sentence, the facts, the photos."""

    heading: str
    #: The sentence around the item's own words (shown isolated: they may be in another
    #: script than the page), and those words.
    before: str
    text: str
    after: str
    mismatch: str
    rows: tuple[tuple[str, str], ...]
    photos_heading: str
    photos: tuple[PhotoView, ...]


def _centimetres(millimetres: int, lang: Lang) -> str:
    return format_decimal(millimetres / 10, format="#,##0.#", locale=lang)


def size_text(size: ItemSize, lang: Lang) -> str:
    """``200 × 300 cm`` or ``size L``, in ``lang``."""
    if size.size_class is not None:
        return ITEM_WORDS["size_class"](lang, size=size.size_class)
    numbers = " × ".join(_centimetres(value, lang) for value in size.dimensions)
    return ITEM_WORDS["centimetres"](lang, size=numbers)


def item_view(item: ItemFacts, lang: Lang) -> ItemView:
    words = ITEM_WORDS
    separator = words["list_separator"](lang)
    size = size_text(item.size, lang) if item.size else None
    materials = separator.join(item.materials) if item.materials else None
    parts = [item.name, item.sentence_craft, materials, size]
    rows = [
        (words["name"](lang), item.name),
        (words["craft"](lang), item.craft),
        (words["materials"](lang), materials),
        (words["size"](lang), size),
    ]
    # The photos' size on the page: the thumbnail's (at most 320 px on its longer side).
    photos = tuple(
        PhotoView(
            url=photo.url,
            thumbnail_url=photo.thumbnail_url,
            alt=words["photo_alt"](lang, number=number, name=item.name),
            width=_thumbnail_side(photo.width, photo.height),
            height=_thumbnail_side(photo.height, photo.width),
        )
        for number, photo in enumerate(item.photos, start=1)
    )
    before, _, after = words["belongs_to"](lang, item="\x00").partition("\x00")
    return ItemView(
        heading=words["heading"](lang),
        before=before,
        text=separator.join(p for p in parts if p),
        after=after,
        mismatch=words["mismatch"](lang),
        rows=tuple((label, value) for label, value in rows if value),
        photos_heading=words["photos"](lang),
        photos=photos,
    )


def _thumbnail_side(side: int, other: int, bound: int = 320) -> int:
    longer = max(side, other)
    return side if longer <= bound else max(1, round(side * bound / longer))
