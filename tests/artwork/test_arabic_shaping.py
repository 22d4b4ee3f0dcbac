"""Arabic in the artwork is shaped by HarfBuzz: the lam-alef ligature, vowel marks attached.

The glyphs HarfBuzz chooses are compared with the glyphs the PDFs embed (by outline: the
font subset renumbers glyphs), and with what the hand-written shaper this replaced could
reach at all: only glyphs that have a Unicode code point.
"""

from __future__ import annotations

import dataclasses
import io
import random
import re
import zlib
from functools import lru_cache

from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image, ImageChops

from labeling.artwork import arabic
from labeling.artwork.fonts import label_fonts
from labeling.artwork.sheet import label_sheet_pdf
from tests.artwork.samples import sample_artwork

LAM_ALEF = "لا"
#: Muhammad with damma, fatha, shadda + fatha: DejaVu stacks shadda and fatha in one glyph.
VOCALISED = "مُحَمَّد"


@lru_cache(maxsize=1)
def _font() -> TTFont:
    return TTFont(str(label_fonts().regular))


def _outline(font: TTFont, name: str) -> tuple[object, ...]:
    coordinates, _, _ = font["glyf"][name].getCoordinates(font["glyf"])
    return tuple(coordinates)  # composites resolved: the subset may renumber components


def _harfbuzz_outlines(text: str) -> set[tuple[object, ...]]:
    font = _font()
    order = font.getGlyphOrder()
    return {_outline(font, order[g.gid]) for g in arabic.shape(text) if g.gid}


def _embedded_outlines(pdf: bytes) -> set[tuple[object, ...]]:
    """Outlines of every glyph of every TrueType font embedded in ``pdf``."""
    outlines: set[tuple[object, ...]] = set()
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            raw = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        if raw[:4] != b"\x00\x01\x00\x00":
            continue
        font = TTFont(io.BytesIO(raw))
        outlines.update(_outline(font, name) for name in font.getGlyphOrder())
    return outlines


def test_lam_alef_is_one_ligature_glyph() -> None:
    glyphs = arabic.shape(LAM_ALEF)
    assert len(glyphs) == 1
    assert _font().getGlyphOrder()[glyphs[0].gid] == "uniFEFB"  # LAM WITH ALEF ISOLATED
    # Inside a word: lam-alef, then lam and teh marbuta, three glyphs for four letters.
    assert len(arabic.shape("لالة")) == 3


def test_vowel_marks_stay_on_their_letters() -> None:
    glyphs = arabic.shape(VOCALISED)
    marks = [g for g in glyphs if g.x_advance == 0]
    letters = [g for g in glyphs if g.x_advance > 0]
    assert len(letters) == 4 and len(marks) == 3  # shadda + fatha became one glyph
    # Attached: moved by the font's mark positioning, not set after the letter.
    assert all(g.x_offset or g.y_offset for g in marks)
    # The stacked shadda-fatha has no code point: no shaper that maps characters to
    # presentation forms (the one this replaced) can reach it.
    reachable = set(_font().getBestCmap().values())
    order = _font().getGlyphOrder()
    assert any(order[g.gid] not in reachable for g in marks)


def test_letters_take_their_joined_forms() -> None:
    order = _font().getGlyphOrder()
    names = [order[g.gid] for g in arabic.shape("محمد")]
    # Visual order, left to right: final dal, medial meem, medial hah, initial meem.
    assert names == ["uniFEAA", "uniFEE4", "uniFEA4", "uniFEE3"]


def test_the_pdf_embeds_exactly_the_glyphs_harfbuzz_chose() -> None:
    pdf = FPDF(unit="mm")
    pdf.add_font("DejaVu", "", str(label_fonts().regular))
    arabic.enable_pdf_shaping(pdf)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 14)
    arabic.pdf_line(pdf, 150, 40, f"{VOCALISED} {LAM_ALEF}", right_to_left=True)
    embedded = _embedded_outlines(bytes(pdf.output()))
    wanted = _harfbuzz_outlines(VOCALISED) | _harfbuzz_outlines(LAM_ALEF)
    assert wanted <= embedded
    # And not the isolated letters an unshaped (or split) line would have drawn.
    font = _font()
    isolated = {_outline(font, name) for name in ("uni0645", "uni062D", "uni062F")}
    assert not (isolated & embedded)


def test_the_label_sheet_prints_the_arabic_name_shaped() -> None:
    artwork = dataclasses.replace(
        sample_artwork(random.Random(3), host="KHATEM.MA", error="m"),
        artisan_name_arabic=f"{LAM_ALEF}لة {VOCALISED}",
    )
    embedded = _embedded_outlines(label_sheet_pdf([artwork]))
    assert _harfbuzz_outlines(VOCALISED) | _harfbuzz_outlines("لالة") <= embedded


def test_shaped_width_is_the_sum_of_harfbuzz_advances() -> None:
    upem = arabic.units_per_em()
    advances = sum(g.x_advance for g in arabic.shape(LAM_ALEF))
    assert arabic.shaped_width(LAM_ALEF, 10.0) == 10.0 * advances / upem
    # Latin and digits inside the line are measured too, in their own runs.
    assert arabic.shaped_width("فاس 12", 10.0) > arabic.shaped_width("فاس", 10.0)


def test_outline_fallback_draws_what_raqm_draws() -> None:
    """Without libraqm the PNG draws HarfBuzz's glyph outlines itself: the same marks."""
    images = []
    for use_raqm in (True, False):
        image = Image.new("L", (600, 120), 255)
        if use_raqm and arabic.HAS_RAQM:
            arabic.draw_line(image, (580, 80), VOCALISED, size_px=60, right_to_left=True)
        else:
            arabic._draw_outlines(
                image, (580, 80), VOCALISED, size_px=60, bold=False, right_to_left=True, fill=0
            )
        images.append(image)
    difference = ImageChops.difference(*images)
    ink = sum(1 for value in images[0].tobytes() if value < 128)
    differing = sum(1 for value in difference.tobytes() if value > 128)
    assert ink > 500
    assert differing < 0.08 * ink
