"""Photos of an item: what is uploaded is checked, cleaned and re-encoded before it is kept.

An upload is taken only if it is a JPEG, PNG or WebP image that Pillow decodes, no larger
than ``max_photo_bytes`` and declaring no more than ``max_photo_pixels`` pixels — checked
from the header, before a pixel is decoded, so a decompression bomb (a few kilobytes that
claim a gigapixel) costs nothing. The image is then turned upright (its EXIF orientation
applied), copied pixel by pixel into a new image — so nothing of the upload's metadata
(EXIF, GPS position, camera serial, XMP, ICC, comments) can survive — scaled to at most
:data:`IMAGE_SIZE` pixels on its longer side, with a :data:`THUMBNAIL_SIZE` thumbnail, and
encoded as WebP. The bytes uploaded are never stored.

Pure functions: no database, no request. The service is :mod:`labeling.registry.items`.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageOps, UnidentifiedImageError

from core.problems import PayloadTooLarge, UnprocessableContent

__all__ = [
    "ACCEPTED_FORMATS",
    "IMAGE_SIZE",
    "MEDIA_TYPE",
    "THUMBNAIL_SIZE",
    "EncodedImage",
    "NotAnImage",
    "PhotoTooLarge",
    "ProcessedPhoto",
    "TooManyPixels",
    "clean_pixels",
    "process_photo",
]

#: The longest side of a stored photo and of its thumbnail, in pixels.
IMAGE_SIZE: Final = 1200
THUMBNAIL_SIZE: Final = 320
#: What the registry stores and serves.
MEDIA_TYPE: Final = "image/webp"
#: The formats an upload may be in (Pillow's names; MPO is a phone camera's JPEG).
ACCEPTED_FORMATS: Final = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
_QUALITY: Final = 82
_THUMBNAIL_QUALITY: Final = 78


class NotAnImage(UnprocessableContent):
    slug = "photo-not-an-image"
    title = "The file is not a JPEG, PNG or WebP image"


class TooManyPixels(UnprocessableContent):
    slug = "photo-too-many-pixels"
    title = "The image declares more pixels than a photo may have"


class PhotoTooLarge(PayloadTooLarge):
    slug = "photo-too-large"
    title = "The photo is larger than the registry takes"


@dataclass(frozen=True, slots=True)
class EncodedImage:
    data: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """A photo as the registry keeps it: the image and its thumbnail, both WebP."""

    image: EncodedImage
    thumbnail: EncodedImage


def process_photo(data: bytes, *, max_bytes: int, max_pixels: int) -> ProcessedPhoto:
    """``data`` (an upload) checked and re-encoded; raises :class:`PhotoTooLarge` (413),
    :class:`NotAnImage` or :class:`TooManyPixels` (422)."""
    upright = clean_pixels(data, max_bytes=max_bytes, max_pixels=max_pixels)
    return ProcessedPhoto(
        image=_encoded(upright, IMAGE_SIZE, _QUALITY),
        thumbnail=_encoded(upright, THUMBNAIL_SIZE, _THUMBNAIL_QUALITY),
    )


def clean_pixels(data: bytes, *, max_bytes: int, max_pixels: int) -> Image.Image:
    """The pixels of ``data`` (an upload), upright, in a new RGB image that carries none of
    the upload's metadata: the one place where a photo someone sent is opened (item photos
    here, buyers' photos in :mod:`labeling.reports.photo`). Raises :class:`PhotoTooLarge`
    (413), :class:`NotAnImage` or :class:`TooManyPixels` (422)."""
    if len(data) > max_bytes:
        raise PhotoTooLarge(f"A photo may be at most {max_bytes} bytes.", limit=max_bytes)
    with warnings.catch_warnings():
        # Pillow warns of a decompression bomb past its own limit; ours is lower anyway.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _decoded(data, max_pixels)
        except (TooManyPixels, NotAnImage):
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise TooManyPixels(f"A photo may have at most {max_pixels} pixels.") from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise NotAnImage("The file could not be read as a JPEG, PNG or WebP image.") from exc


def _decoded(data: bytes, max_pixels: int) -> Image.Image:
    """The upload's pixels, upright, in a new RGB image that carries no metadata."""
    with Image.open(io.BytesIO(data)) as opened:
        if opened.format not in ACCEPTED_FORMATS:
            raise NotAnImage(
                f"{opened.format or 'This'} files are not taken: send JPEG, PNG or WebP."
            )
        width, height = opened.size
        if width < 1 or height < 1 or width * height > max_pixels:
            raise TooManyPixels(
                f"The image declares {width} x {height} pixels; at most {max_pixels} are taken."
            )
        if opened.format in ("JPEG", "MPO"):
            # Decode at a reduced scale where JPEG allows it: memory stays near the output's.
            opened.draft("RGB", (IMAGE_SIZE * 2, IMAGE_SIZE * 2))
        opened.load()
        upright = ImageOps.exif_transpose(opened) or opened
        rgb = _flattened(upright)
    clean = Image.new("RGB", rgb.size, "white")
    clean.paste(rgb)  # pixels only: info, EXIF, XMP and ICC stay behind
    return clean


def _flattened(image: Image.Image) -> Image.Image:
    """``image`` as RGB, transparency laid on white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encoded(image: Image.Image, size: int, quality: int) -> EncodedImage:
    scaled = image.copy()
    scaled.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    scaled.save(out, "WEBP", quality=quality, method=4)
    return EncodedImage(out.getvalue(), scaled.width, scaled.height)
