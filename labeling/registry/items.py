"""What a label belongs to: describing a product line and keeping its photos.

Who may: whoever may read the product line — its body's admins and inspectors, and the
artisan itself (:func:`labeling.registry.artisans.get_product_line`); anyone else gets
404 ``product-line-not-found``. Every change moves the line's ``item_version`` and appends a
``product_line.described`` event (content hashes only) to the transparency log in the same
transaction, so a verifier's memory of the item follows it within a second
(docs/verification.md, "Freshness") and the change is on the record.

Photos are re-encoded by :mod:`labeling.registry.photos` and kept in the database
(``item_photo``), served publicly by their random id (:mod:`labeling.registry.items_router`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlmodel import Session

from core.auth import Principal
from core.problems import Conflict, NotFound, UnprocessableContent
from core.settings import Settings
from labeling.registry import repository
from labeling.registry.artisans import get_product_line
from labeling.registry.errors import ProductLineNotFound
from labeling.registry.photos import (
    MEDIA_TYPE,
    NotAnImage,
    PhotoTooLarge,
    ProcessedPhoto,
    TooManyPixels,
    process_photo,
)
from labeling.translog import append_event
from labeling.verification.items import PHOTO_PATH
from schemas.items import ItemDescriptionUpdate, ItemPhoto, PhotoPublic
from schemas.registry import ProductLine
from schemas.registry_api import ProductLinePublic
from verify.canonical import canonical_json
from verify.item import ItemFacts
from verify.item import ItemPhoto as PhotoFacts

__all__ = [
    "PHOTO_PATH",
    "PHOTO_REFUSALS",
    "MissingPhoto",
    "PhotoLimitReached",
    "PhotoNotFound",
    "add_photo",
    "describe_product_line",
    "item_facts",
    "photo_public",
    "photo_row",
    "photos_of",
    "product_line_view",
    "public_photo",
    "remove_photo",
]


class PhotoNotFound(NotFound):
    slug = "photo-not-found"
    title = "No such photo"


class MissingPhoto(UnprocessableContent):
    slug = "photo-missing"
    title = "Send the photo as the multipart field 'file'"


#: What an upload may be refused as, besides the line's limit.
PHOTO_REFUSALS = (NotAnImage, PhotoTooLarge, TooManyPixels)


class PhotoLimitReached(Conflict):
    slug = "photo-limit-reached"
    title = "This product line holds as many photos as it may"


def photo_url(public_id: str, variant: str) -> str:
    return PHOTO_PATH.format(public_id=public_id, variant=variant)


def item_facts(line: ProductLine, photos: Iterable[ItemPhoto] = ()) -> ItemFacts:
    """The public description of ``line`` (``photos``: its photos, in order)."""
    size = None
    if line.size_class or line.width_mm or line.length_mm or line.height_mm:
        size = {
            "class": line.size_class,
            "width_mm": line.width_mm,
            "length_mm": line.length_mm,
            "height_mm": line.height_mm,
        }
    return ItemFacts.model_validate(
        {
            "name": line.name,
            "family": line.family,
            "craft": line.craft,
            "materials": tuple(line.materials),
            "size": size,
            "photos": tuple(
                PhotoFacts(
                    url=photo_url(p.public_id, "full"),
                    thumbnail_url=photo_url(p.public_id, "thumb"),
                    width=p.width,
                    height=p.height,
                )
                for p in photos
            ),
        }
    )


def photo_public(photo: ItemPhoto) -> PhotoPublic:
    return PhotoPublic(
        id=photo.public_id,
        position=photo.position,
        url=photo_url(photo.public_id, "full"),
        thumbnail_url=photo_url(photo.public_id, "thumb"),
        width=photo.width,
        height=photo.height,
        created_at=photo.created_at,
    )


def product_line_view(session: Session, line: ProductLine) -> ProductLinePublic:
    """A product line as the API shows it, its photos with it."""
    assert line.id is not None
    photos = photos_of(session, [line.id]).get(line.id, [])
    view = ProductLinePublic.model_validate(line)
    return view.model_copy(update={"photos": [photo_public(p) for p in photos]})


def photos_of(session: Session, product_line_ids: Sequence[int]) -> dict[int, list[ItemPhoto]]:
    """Each line's photos, in order (one query for a whole page of lines)."""
    found: dict[int, list[ItemPhoto]] = defaultdict(list)
    for photo in repository.list_photos(session=session, product_line_ids=product_line_ids):
        found[photo.product_line_id].append(photo)
    return found


def _locked(session: Session, actor: Principal, product_line_id: int) -> ProductLine:
    """The line, if ``actor`` may change it, its row locked for the change."""
    get_product_line(session=session, actor=actor, product_line_id=product_line_id)
    line = repository.lock_product_line(session=session, product_line_id=product_line_id)
    if line is None:  # removed between the two reads: it does not exist any more
        raise ProductLineNotFound()
    return line


def _record_change(session: Session, line: ProductLine) -> None:
    """Move the line's item version and log what it now says (hashes, no text)."""
    assert line.id is not None
    line.item_version = (line.item_version or 0) + 1
    repository.add(session=session, row=line)
    photos = photos_of(session, [line.id]).get(line.id, [])
    described = item_facts(line, photos).text_facts().model_dump(mode="json")
    append_event(
        session,
        event_type="product_line.described",
        payload={
            "product_line": line.id,
            "gtin": line.gtin,
            "description_sha256": hashlib.sha256(canonical_json(described)).hexdigest(),
            "photos_sha256": [p.image_sha256 for p in photos],
        },
    )


def describe_product_line(
    *, session: Session, actor: Principal, product_line_id: int, data: ItemDescriptionUpdate
) -> ProductLine:
    """Replace the line's description (name, craft, materials, size) with ``data``."""
    line = _locked(session, actor, product_line_id)
    size = data.size
    line.name = data.name
    line.craft = data.craft
    line.materials = list(data.materials)
    line.size_class = size.size_class if size else None
    line.width_mm = size.width_mm if size else None
    line.length_mm = size.length_mm if size else None
    line.height_mm = size.height_mm if size else None
    _record_change(session, line)
    session.commit()
    session.refresh(line)
    return line


def photo_row(
    processed: ProcessedPhoto, *, product_line_id: int, position: int, created_by: int | None
) -> ItemPhoto:
    """The row that keeps a checked photo (a new public id; the upload itself is not kept)."""
    return ItemPhoto(
        public_id=secrets.token_urlsafe(16),
        product_line_id=product_line_id,
        position=position,
        media_type=MEDIA_TYPE,
        width=processed.image.width,
        height=processed.image.height,
        image=processed.image.data,
        image_sha256=processed.image.sha256,
        thumbnail_width=processed.thumbnail.width,
        thumbnail_height=processed.thumbnail.height,
        thumbnail=processed.thumbnail.data,
        thumbnail_sha256=processed.thumbnail.sha256,
        created_by=created_by,
    )


def add_photo(
    *,
    session: Session,
    actor: Principal,
    product_line_id: int,
    data: bytes,
    settings: Settings,
) -> ItemPhoto:
    """Check, clean and keep a photo of the line (at most ``max_photos_per_line``)."""
    processed = process_photo(
        data, max_bytes=settings.max_photo_bytes, max_pixels=settings.max_photo_pixels
    )
    line = _locked(session, actor, product_line_id)
    assert line.id is not None
    held = photos_of(session, [line.id]).get(line.id, [])
    if len(held) >= settings.max_photos_per_line:
        raise PhotoLimitReached(
            f"A product line holds at most {settings.max_photos_per_line} photos: "
            "remove one first.",
            limit=settings.max_photos_per_line,
        )
    photo = photo_row(
        processed,
        product_line_id=line.id,
        position=max((p.position for p in held), default=0) + 1,
        created_by=actor.user_id,
    )
    repository.add(session=session, row=photo)
    _record_change(session, line)
    session.commit()
    return photo


def remove_photo(
    *, session: Session, actor: Principal, product_line_id: int, public_id: str
) -> ProductLine:
    line = _locked(session, actor, product_line_id)
    photo = repository.get_photo(session=session, public_id=public_id)
    if photo is None or photo.product_line_id != line.id:
        raise PhotoNotFound()
    session.delete(photo)
    session.flush()
    _record_change(session, line)
    session.commit()
    session.refresh(line)
    return line


def public_photo(*, session: Session, public_id: str) -> ItemPhoto:
    """A photo with its bytes, for anyone (photos are public)."""
    photo = repository.get_photo(session=session, public_id=public_id, with_bytes=True)
    if photo is None:
        raise PhotoNotFound()
    return photo
