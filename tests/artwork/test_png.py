"""Label PNGs: resolution, a QR that decodes, Arabic joined and right to left."""

from __future__ import annotations

import dataclasses
import io
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from labeling.artwork import LabelSize, arabic, label_image, label_png
from labeling.artwork.fonts import label_fonts
from tests.artwork.raster import decode
from tests.artwork.samples import ARTISANS, sample_artwork, sample_artworks
from tests.tools import require

ARTWORK = sample_artwork(random.Random(8), host="KHATEM.MA", error="m")


def _difference(reference: Image.Image, other: Image.Image) -> float:
    """Blurred pixel difference relative to the reference's ink: ~0 alike, ~1+ unalike."""
    blurred = [image.filter(ImageFilter.GaussianBlur(3)) for image in (reference, other)]
    histogram = ImageChops.difference(*blurred).histogram()
    ink = sum((255 - value) * count for value, count in enumerate(blurred[0].histogram()))
    return sum(value * count for value, count in enumerate(histogram)) / ink


def test_png_records_its_resolution_and_label_size() -> None:
    image = Image.open(io.BytesIO(label_png(ARTWORK, size=LabelSize(64, 34), dpi=300)))
    assert image.format == "PNG" and image.mode == "L"
    assert image.size == (756, 402)  # 64 × 34 mm at 300 dpi
    assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)


@pytest.mark.parametrize("error", ["m", "q"])
@pytest.mark.parametrize("dpi", [300, 600])
def test_png_qr_decodes_to_the_label_uri(error: str, dpi: int) -> None:
    for artwork in sample_artworks(8, seed=dpi + len(error)):
        artwork = dataclasses.replace(artwork, error=error)
        image = Image.open(io.BytesIO(label_png(artwork, dpi=dpi)))
        assert decode(image) == [artwork.uri]


@pytest.mark.parametrize(("latin", "name"), ARTISANS)
def test_raqm_and_the_outline_fallback_both_join_arabic_right_to_left(
    latin: str, name: str
) -> None:
    require(arabic.HAS_RAQM, "Pillow with libraqm (libraqm0)")
    path = str(label_fonts().regular)

    def render(text: str, layout: ImageFont.Layout, **options: str) -> Image.Image:
        font = ImageFont.truetype(path, 48, layout_engine=layout)
        image = Image.new("L", (1000, 100), 255)
        ImageDraw.Draw(image).text((980, 70), text, font=font, fill=0, anchor="rs", **options)
        return image

    shaped = render(name, ImageFont.Layout.RAQM, direction="rtl", language="ar")
    fallback = Image.new("L", (1000, 100), 255)
    arabic._draw_outlines(
        fallback, (980, 70), name, size_px=48, bold=False, right_to_left=True, fill=0
    )
    unshaped = render(name, ImageFont.Layout.BASIC)
    assert _difference(shaped, fallback) < 0.2
    assert _difference(shaped, unshaped) > 0.6


def test_label_without_raqm_looks_like_the_label_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    with_raqm = label_image(ARTWORK, dpi=300)
    monkeypatch.setattr(arabic, "HAS_RAQM", False)
    without_raqm = label_image(ARTWORK, dpi=300)
    assert decode(without_raqm) == [ARTWORK.uri]
    assert _difference(with_raqm, without_raqm) < 0.1


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(latin=st.text(max_size=60), arabic=st.text(max_size=60))
def test_any_name_renders_and_the_qr_still_decodes(latin: str, arabic: str) -> None:
    artwork = dataclasses.replace(ARTWORK, artisan_name_latin=latin, artisan_name_arabic=arabic)
    assert decode(label_image(artwork, dpi=200)) == [ARTWORK.uri]
