"""Photo validation (labeling.registry.photos), without a database: what is refused, and
that what is kept carries no metadata and is bounded in size."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from labeling.registry.photos import (
    IMAGE_SIZE,
    THUMBNAIL_SIZE,
    NotAnImage,
    PhotoTooLarge,
    TooManyPixels,
    process_photo,
)

LIMITS = {"max_bytes": 8 * 1024 * 1024, "max_pixels": 40_000_000}


def _image(
    fmt: str, size: tuple[int, int] = (640, 480), mode: str = "RGB", **save: object
) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "#a05a2c" if mode == "RGB" else None).save(out, fmt, **save)
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width x height but holds a few bytes: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


@pytest.mark.parametrize(
    "data",
    [b"", b"hello", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", _image("JPEG")[:200], b"\x89PNG\r\n\x1a\n"],
    ids=["empty", "text", "pdf", "truncated-jpeg", "png-signature-only"],
)
def test_what_is_not_an_image_is_refused(data: bytes) -> None:
    with pytest.raises(NotAnImage):
        process_photo(data, **LIMITS)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_formats_other_than_jpeg_png_webp_are_refused(fmt: str) -> None:
    with pytest.raises(NotAnImage):
        process_photo(_image(fmt), **LIMITS)


def test_a_photo_over_the_byte_limit_is_refused_before_it_is_read() -> None:
    data = _image("PNG", (400, 400))
    with pytest.raises(PhotoTooLarge) as refused:
        process_photo(data, max_bytes=len(data) - 1, max_pixels=LIMITS["max_pixels"])
    assert refused.value.status == 413


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = _png_header_only(100_000, 100_000)  # 10 gigapixels in ~100 bytes
    assert len(bomb) < 200
    with pytest.raises(TooManyPixels):
        process_photo(bomb, **LIMITS)


def test_an_image_over_the_pixel_limit_is_refused() -> None:
    with pytest.raises(TooManyPixels):
        process_photo(_image("PNG", (200, 200)), max_bytes=LIMITS["max_bytes"], max_pixels=39_999)


def test_exif_gps_and_camera_are_stripped_and_orientation_applied() -> None:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x0131] = "SecretSoftware 1.0"
    exif[0x0112] = 6  # rotate 90° clockwise to show upright
    exif[0x8825] = {1: "N", 2: (33.0, 35.0, 10.0), 3: "W", 4: (7.0, 36.0, 5.0)}
    data = _image("JPEG", (800, 600), exif=exif.tobytes(), comment=b"taken at home")
    kept = process_photo(data, **LIMITS)
    for encoded in (kept.image, kept.thumbnail):
        assert b"CameraMaker" not in encoded.data and b"SecretSoftware" not in encoded.data
        assert b"taken at home" not in encoded.data
        image = Image.open(io.BytesIO(encoded.data))
        assert image.format == "WEBP"
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert (kept.image.width, kept.image.height) == (600, 800)  # upright: portrait


def test_large_photos_are_scaled_and_get_a_thumbnail() -> None:
    kept = process_photo(_image("JPEG", (4000, 3000)), **LIMITS)
    assert (kept.image.width, kept.image.height) == (IMAGE_SIZE, 900)
    assert (kept.thumbnail.width, kept.thumbnail.height) == (THUMBNAIL_SIZE, 240)
    assert len(kept.image.sha256) == 64


def test_transparent_png_and_webp_are_taken() -> None:
    assert process_photo(_image("PNG", (300, 200), mode="RGBA"), **LIMITS).image.width == 300
    assert process_photo(_image("WEBP", (300, 200)), **LIMITS).thumbnail.height == 200


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_no_bytes_make_anything_but_a_photo_or_a_refusal(data: bytes) -> None:
    try:
        kept = process_photo(data, **LIMITS)
    except (NotAnImage, TooManyPixels):
        return
    assert kept.image.width <= IMAGE_SIZE and kept.image.height <= IMAGE_SIZE
