"""A buyer's photo: checked by Pillow, stripped of its metadata, resized and re-encoded.

What a phone sends carries more than the picture: EXIF (GPS position, camera serial, time),
XMP, ICC profiles, thumbnails. None of it is kept: the pixels are decoded, turned upright
(the EXIF orientation applied, then dropped), reduced to fit ``max_side`` and saved anew as
a baseline JPEG with no metadata at all. Only JPEG, PNG and WebP are taken; anything else,
a truncated file, or an image of more than :data:`MAX_PIXELS` (a decompression bomb) is
refused with 422 ``photo-invalid`` before it is decoded in full.
"""

from __future__ import annotations

import io
import warnings
from typing import Final

from PIL import Image, ImageOps, UnidentifiedImageError

from core.problems import PayloadTooLarge, UnprocessableContent

__all__ = ["ACCEPTED_FORMATS", "MAX_PIXELS", "PhotoRefused", "clean_photo"]

ACCEPTED_FORMATS: Final = frozenset({"JPEG", "PNG", "WEBP"})
#: 40 megapixels: more than any phone camera, far less than a bomb.
MAX_PIXELS: Final = 40_000_000
_QUALITY: Final = 82
_BombWarning = Image.DecompressionBombWarning


class PhotoRefused(UnprocessableContent):
    slug = "photo-invalid"
    title = "The photo is not a JPEG, PNG or WebP image that can be read"


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
        except (UnidentifiedImageError, Image.DecompressionBombError, _BombWarning):
            raise PhotoRefused("Send a JPEG, PNG or WebP photo.") from None
        except (OSError, ValueError, SyntaxError):
            raise PhotoRefused("The photo cannot be read.") from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise PhotoRefused(f"The photo has more than {MAX_PIXELS} pixels.")
    return image


def clean_photo(data: bytes, *, max_bytes: int, max_side: int) -> bytes:
    """The photo as the registry keeps it: an upright RGB JPEG of at most ``max_side``
    pixels a side, without EXIF, XMP, ICC or comments. 413 above ``max_bytes``, 422
    ``photo-invalid`` for anything Pillow cannot decode as JPEG, PNG or WebP."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"The photo limit is {max_bytes} bytes.", limit=max_bytes)
    image = _open(data)
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        pixels = upright.convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise PhotoRefused("The photo is damaged or truncated.") from None
    # A fresh image holds the pixels alone: no info dict, no EXIF, no ICC profile.
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=_QUALITY, optimize=True)
    return out.getvalue()
