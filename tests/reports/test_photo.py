"""A buyer's photo: only JPEG, PNG or WebP, never a bomb, kept without any metadata."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from core.problems import PayloadTooLarge
from labeling.reports.photo import PhotoRefused, clean_photo

MB = 1_048_576


def _image(fmt: str, size: tuple[int, int] = (640, 480), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format=fmt, **save)
    return out.getvalue()


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (31.0, 37.0, 48.0)  # Marrakech
    gps[3], gps[4] = "W", (7.0, 59.0, 12.0)
    return exif.tobytes()


def test_gps_and_every_other_metadata_is_dropped_and_the_photo_turned_upright() -> None:
    original = _image("JPEG", (400, 200), exif=_gps_exif(), comment=b"owner: Karim")
    assert b"PhoneMaker" in original
    cleaned = clean_photo(original, max_bytes=5 * MB, max_side=1600)
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == "JPEG"
    assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
    assert "icc_profile" not in image.info
    assert b"PhoneMaker" not in cleaned and b"Karim" not in cleaned
    assert image.size == (200, 400)  # the orientation applied, then forgotten


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_taken_and_become_jpeg(fmt: str) -> None:
    cleaned = clean_photo(_image(fmt), max_bytes=5 * MB, max_side=1600)
    assert Image.open(io.BytesIO(cleaned)).format == "JPEG"


def test_a_large_photo_is_resized_to_fit() -> None:
    cleaned = clean_photo(_image("PNG", (4000, 1000)), max_bytes=5 * MB, max_side=1600)
    assert Image.open(io.BytesIO(cleaned)).size == (1600, 400)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.7\n",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        _image("GIF"),
        _image("BMP"),
        _image("JPEG")[:200],  # truncated
    ],
)
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(PhotoRefused):
        clean_photo(data, max_bytes=5 * MB, max_side=1600)


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    # 8,000 x 6,000 one-bit pixels: a few KB of PNG, 48 megapixels (144 MB as RGB).
    out = io.BytesIO()
    Image.new("1", (8_000, 6_000)).save(out, format="PNG")
    bomb = out.getvalue()
    assert len(bomb) < 100_000
    with pytest.raises(PhotoRefused):
        clean_photo(bomb, max_bytes=5 * MB, max_side=1600)


def test_a_photo_over_the_size_limit_is_413() -> None:
    with pytest.raises(PayloadTooLarge):
        clean_photo(_image("PNG"), max_bytes=100, max_side=1600)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_no_bytes_make_it_fail_otherwise(data: bytes) -> None:
    """Whatever arrives is either a clean JPEG or a 422: never another exception."""
    try:
        cleaned = clean_photo(data, max_bytes=5 * MB, max_side=256)
    except PhotoRefused:
        return
    assert cleaned[:2] == b"\xff\xd8"
