"""A buyer's photo: checked by Pillow, stripped of its metadata, resized and re-encoded.

What a phone sends carries more than the picture: EXIF (GPS position, camera serial, time),
XMP, ICC profiles, thumbnails. None of it is kept. The photo is opened where every uploaded
photo is (:func:`labeling.registry.photos.clean_pixels`: JPEG, PNG or WebP only, the pixel
count checked from the header before decoding, turned upright, copied pixel by pixel into a
new image), then reduced to fit ``max_side`` and saved anew as a baseline JPEG with no
metadata at all. Anything that is not such an image, a truncated file, or an image of more
than :data:`MAX_PIXELS` (a decompression bomb) is refused with 422 ``photo-invalid``.
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image

from core.problems import UnprocessableContent
from labeling.registry.photos import NotAnImage, TooManyPixels, clean_pixels

__all__ = ["MAX_PIXELS", "PhotoRefused", "clean_photo"]

#: 40 megapixels: more than any phone camera, far less than a bomb.
MAX_PIXELS: Final = 40_000_000
_QUALITY: Final = 82


class PhotoRefused(UnprocessableContent):
    slug = "photo-invalid"
    title = "The photo is not a JPEG, PNG or WebP image that can be read"


def clean_photo(data: bytes, *, max_bytes: int, max_side: int) -> bytes:
    """The photo as the registry keeps it: an upright RGB JPEG of at most ``max_side``
    pixels a side, without EXIF, XMP, ICC or comments. 413 above ``max_bytes``, 422
    ``photo-invalid`` for anything Pillow cannot decode as JPEG, PNG or WebP."""
    try:
        clean = clean_pixels(data, max_bytes=max_bytes, max_pixels=MAX_PIXELS)
    except (NotAnImage, TooManyPixels) as refused:
        raise PhotoRefused(refused.detail) from None
    clean.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=_QUALITY, optimize=True)
    return out.getvalue()
