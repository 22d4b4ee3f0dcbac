"""Arabic (and any right-to-left) text in the artwork, shaped by HarfBuzz.

Why HarfBuzz: an Arabic letter takes its form from its neighbours, lam + alef must become
one ligature glyph, and vowel marks (fatha, shadda, …) must sit on their letter at the
position the font says — sometimes as one stacked glyph (shadda + fatha). A hand-written
shaper built on Unicode's Presentation Forms gets the first roughly right and the others
wrong (ADR 0008). So every renderer goes through HarfBuzz:

* PDF (certificate, label sheets): fpdf2's text shaping (``uharfbuzz``), switched on by
  :func:`enable_pdf_shaping` and drawn with :func:`pdf_line`;
* PNG (Pillow): Pillow's own HarfBuzz through libraqm when Pillow has it
  (:data:`HAS_RAQM`); otherwise :func:`draw_line` shapes with ``uharfbuzz`` and fills the
  glyph outlines itself;
* layout: :func:`shaped_width` measures the shaped line (the same advances fpdf2 uses).

The line's direction is resolved by the Unicode bidirectional algorithm (fpdf2's
implementation): Latin words and numbers inside an Arabic line keep their order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import fpdf.fpdf as fpdf_module
import uharfbuzz as hb
from fpdf import FPDF
from fpdf.bidi import BidiParagraph
from fpdf.enums import TextDirection
from fpdf.unicode_script import UnicodeScript, get_unicode_script
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from labeling.artwork.fonts import label_fonts

__all__ = [
    "HAS_RAQM",
    "Glyph",
    "draw_line",
    "enable_pdf_shaping",
    "has_right_to_left",
    "pdf_line",
    "shape",
    "shaped_width",
]

#: Whether Pillow shapes text with libraqm (HarfBuzz + FriBiDi) here.
HAS_RAQM: Final[bool] = bool(features.check_feature("raqm"))
#: Supersampling of the outline fallback (coverage from a 4 × 4 grid per pixel).
_SUPERSAMPLE: Final[int] = 4
#: Curves are flattened into this many segments.
_CURVE_STEPS: Final[int] = 8


def has_right_to_left(text: str) -> bool:
    """True if ``text`` holds any right-to-left letter (Arabic, Hebrew, …)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


@dataclass(frozen=True, slots=True)
class Glyph:
    """One shaped glyph, in font units (``units_per_em`` of its face)."""

    gid: int
    cluster: int
    x_advance: int
    x_offset: int
    y_offset: int


@lru_cache(maxsize=2)
def _font(bold: bool) -> tuple[Any, int]:
    blob = hb.Blob.from_file_path(str(label_fonts().path(bold=bold)))
    face = hb.Face(blob)
    return hb.Font(face), int(face.upem)


def units_per_em(*, bold: bool = False) -> int:
    return _font(bold)[1]


def _runs(text: str) -> tuple[tuple[str, bool], ...]:
    """The line's runs in logical order, each with its direction (True: right to left)."""
    if not has_right_to_left(text):
        return ((text, False),)
    paragraph = BidiParagraph(text, base_direction=TextDirection.RTL)
    return tuple(
        (run, direction == TextDirection.RTL) for run, direction in paragraph.get_bidi_fragments()
    )


@lru_cache(maxsize=4096)
def shape(text: str, *, bold: bool = False, right_to_left: bool | None = None) -> tuple[Glyph, ...]:
    """One run of ``text`` shaped by HarfBuzz: its glyphs in visual (left to right) order."""
    if not text:
        return ()
    font, _ = _font(bold)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    if right_to_left is not None:
        buffer.direction = "rtl" if right_to_left else "ltr"
    hb.shape(font, buffer, {})
    return tuple(
        Glyph(info.codepoint, info.cluster, pos.x_advance, pos.x_offset, pos.y_offset)
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    )


@lru_cache(maxsize=4096)
def shaped_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` shaped and set at ``size`` (any unit; the result is in the same)."""
    units = sum(
        glyph.x_advance
        for run, rtl in _runs(text)
        for glyph in shape(run, bold=bold, right_to_left=rtl)
    )
    return size * units / units_per_em(bold=bold)


# --- PDF (fpdf2) ----------------------------------------------------------------------


@lru_cache(maxsize=1024)  # fpdf2 calls cache_clear() on it after each document
def _script_for_fragments(char: str) -> UnicodeScript:
    """fpdf2's script of ``char`` for splitting text into shaping runs, with combining
    marks (script Inherited) kept in their letter's run.

    Why: fpdf2 2.8 starts a new run at every character whose script differs from the
    run's, and a vowel mark's script is Inherited, so ``مُحَمَّد`` reached HarfBuzz as
    seven one-letter runs: every letter isolated, every mark unattached. Unicode (UAX #24)
    says an Inherited character takes the script of the character it follows, which is
    what Common does in fpdf2's rule. The test pins the joined glyphs in the PDF.
    """
    script = get_unicode_script(char)
    return UnicodeScript.COMMON if script == UnicodeScript.INHERITED else script


fpdf_module.get_unicode_script = _script_for_fragments  # type: ignore[attr-defined]


def enable_pdf_shaping(pdf: FPDF) -> None:
    """Shape every ``cell``/``multi_cell``/``write`` of ``pdf`` with HarfBuzz."""
    pdf.set_text_shaping(use_shaping_engine=True)


def pdf_line(pdf: FPDF, x: float, baseline: float, text: str, *, right_to_left: bool) -> None:
    """Draw ``text`` with its baseline at ``baseline``, starting at ``x`` (its right end when
    ``right_to_left``), shaped by HarfBuzz (:func:`enable_pdf_shaping` first).

    fpdf2's ``text()`` does not shape, so the line is a ``cell`` with no padding, placed so
    that its baseline lands where ``text()`` would put it.
    """
    width = pdf.get_string_width(text)
    height = pdf.font_size
    margin = pdf.c_margin
    pdf.c_margin = 0
    try:
        # fpdf2 puts a cell's baseline at y + h/2 + 0.3 × font size.
        pdf.set_xy(x - width if right_to_left else x, baseline - 0.5 * height - 0.3 * pdf.font_size)
        pdf.cell(width, height, text, align="R" if right_to_left else "L")
    finally:
        pdf.c_margin = margin


# --- PNG (Pillow) ---------------------------------------------------------------------


@lru_cache(maxsize=64)
def _pillow_font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size_px, layout_engine=ImageFont.Layout.RAQM)


def draw_line(
    image: Image.Image,
    xy: tuple[float, float],
    text: str,
    *,
    size_px: int,
    bold: bool = False,
    right_to_left: bool,
    fill: int | tuple[int, ...] = 0,
) -> None:
    """Draw ``text`` on ``image`` with its baseline at ``xy[1]``, starting at ``xy[0]`` (its
    right end when ``right_to_left``), shaped by HarfBuzz: Pillow's (raqm) when present,
    else ``uharfbuzz`` and the glyph outlines (:data:`HAS_RAQM`)."""
    if HAS_RAQM:
        font = _pillow_font(str(label_fonts().path(bold=bold)), size_px)
        ImageDraw.Draw(image).text(
            xy,
            text,
            font=font,
            fill=fill,
            anchor="rs" if right_to_left else "ls",
            direction="rtl" if right_to_left else None,
            language="ar" if right_to_left else None,
        )
        return
    _draw_outlines(
        image, xy, text, size_px=size_px, bold=bold, right_to_left=right_to_left, fill=fill
    )


class _Pen:
    """Collects a glyph's contours as polygons (curves flattened), in pixels."""

    def __init__(self, scale: float, x: float, y: float) -> None:
        self.scale, self.x, self.y = scale, x, y
        self.contours: list[list[tuple[float, float]]] = []
        self._last = (0.0, 0.0)

    def _point(self, point: Sequence[float]) -> tuple[float, float]:
        return (self.x + point[0] * self.scale, self.y - point[1] * self.scale)

    def moveTo(self, point: Sequence[float]) -> None:  # noqa: N802 (the pen protocol)
        self._last = self._point(point)
        self.contours.append([self._last])

    def lineTo(self, point: Sequence[float]) -> None:  # noqa: N802
        self._last = self._point(point)
        self.contours[-1].append(self._last)

    def qCurveTo(self, *points: Sequence[float]) -> None:  # noqa: N802
        # TrueType: off-curve points with implied on-curve midpoints; the last is on-curve.
        pts = [self._point(p) for p in points]
        for index in range(len(pts) - 1):
            control = pts[index]
            end = pts[-1] if index == len(pts) - 2 else _middle(control, pts[index + 1])
            self._quadratic(control, end)

    def curveTo(self, *points: Sequence[float]) -> None:  # noqa: N802
        c1, c2, end = (self._point(p) for p in points[-3:])
        start = self._last
        for step in range(1, _CURVE_STEPS + 1):
            t = step / _CURVE_STEPS
            u = 1 - t
            self.contours[-1].append(
                (
                    u**3 * start[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * end[0],
                    u**3 * start[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * end[1],
                )
            )
        self._last = end

    def closePath(self) -> None:  # noqa: N802
        pass

    def endPath(self) -> None:  # noqa: N802
        pass

    def _quadratic(self, control: tuple[float, float], end: tuple[float, float]) -> None:
        start = self._last
        for step in range(1, _CURVE_STEPS + 1):
            t = step / _CURVE_STEPS
            u = 1 - t
            self.contours[-1].append(
                (
                    u * u * start[0] + 2 * u * t * control[0] + t * t * end[0],
                    u * u * start[1] + 2 * u * t * control[1] + t * t * end[1],
                )
            )
        self._last = end


def _middle(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _draw_outlines(
    image: Image.Image,
    xy: tuple[float, float],
    text: str,
    *,
    size_px: int,
    bold: bool,
    right_to_left: bool,
    fill: int | tuple[int, ...],
) -> None:
    font, upem = _font(bold)
    k = _SUPERSAMPLE
    scale = size_px * k / upem
    width = shaped_width(text, size_px, bold=bold)
    left = xy[0] - width if right_to_left else xy[0]
    # A box from one em above the baseline to half an em below, the line's width wide.
    box_left, box_top = int(left) - size_px, int(xy[1] - 1.2 * size_px)
    box_w, box_h = int(width) + 2 * size_px, int(1.8 * size_px)
    if box_w <= 0 or box_h <= 0:
        return
    coverage = Image.new("1", (box_w * k, box_h * k), 0)
    pen_x = (left - box_left) * k
    baseline = (xy[1] - box_top) * k
    for run, rtl in _runs(text):
        for glyph in shape(run, bold=bold, right_to_left=rtl):
            pen = _Pen(scale, pen_x + glyph.x_offset * scale, baseline - glyph.y_offset * scale)
            font.draw_glyph_with_pen(glyph.gid, pen)
            for contour in pen.contours:
                if len(contour) < 3:
                    continue
                # Even-odd fill: each contour flips the pixels it covers (holes stay open).
                layer = Image.new("1", coverage.size, 0)
                ImageDraw.Draw(layer).polygon(contour, fill=1)
                coverage = ImageChops.logical_xor(coverage, layer)
            pen_x += glyph.x_advance * scale
    mask = coverage.convert("L").resize((box_w, box_h), Image.Resampling.BOX)
    image.paste(fill, (box_left, box_top, box_left + box_w, box_top + box_h), mask)
