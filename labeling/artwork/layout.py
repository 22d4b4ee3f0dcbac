"""Where things go on a label, in millimetres, shared by the SVG, PNG and PDF renderers.

Why one layout for three formats: a print shop compares the PDF sheet with the single-
label SVG/PNG an artisan downloaded; they must show the same thing in the same place.

The QR (with its 4-module quiet zone) is a square on the left, as tall as the label
minus the cut margin but at most 42 % of its width; the text block fills the rest. Each
line is set at its nominal size and shrunk to fit the block's width (never below
:data:`MIN_TEXT_PT`); a line that still does not fit is cut with an ellipsis, except the
printed address a person types, which is never cut: it is broken after its last ``/`` onto
two lines (or wherever the width runs out), set down to :data:`MIN_WHOLE_PT`. The
symbol's module size must stay at or above :data:`MIN_MODULE_MM` for phone cameras and
retail scanners to read it in print.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from labeling.artwork.arabic import shaped_width
from labeling.artwork.fonts import text_width
from labeling.artwork.label import LabelArtwork, LabelArtworkError, PrintedLine, printed_lines
from labeling.artwork.qr import LabelQr

__all__ = [
    "MIN_MODULE_MM",
    "MIN_TEXT_PT",
    "MIN_WHOLE_PT",
    "LabelLayout",
    "LabelSize",
    "PlacedLine",
    "lay_out_label",
]

#: Smallest printed QR module (X-dimension) accepted, in mm (GS1 2D minimum ≈ 0.33 mm
#: for items scanned at a till; phone cameras need about the same at arm's length).
MIN_MODULE_MM: Final[float] = 0.33
#: Smallest text size a line is shrunk to before it is cut, in points.
MIN_TEXT_PT: Final[float] = 5.0
#: Smallest size of a line that is never cut (the address a person types), in points.
MIN_WHOLE_PT: Final[float] = 4.0
MM_PER_PT: Final[float] = 25.4 / 72
#: Line pitch as a multiple of the nominal font size.
_LINE_PITCH: Final[float] = 1.22
#: Baseline below the top of its line, as a multiple of the font size (DejaVu ascent).
_BASELINE: Final[float] = 0.93
_ELLIPSIS: Final[str] = "…"
#: The QR square takes at most this share of the label's width; the text needs the rest.
_QR_SHARE_OF_WIDTH: Final[float] = 0.42
_MIN_TEXT_BLOCK_MM: Final[float] = 12.0


@dataclass(frozen=True, slots=True)
class LabelSize:
    """A label's trimmed size and the margin kept clear for the cut, in mm."""

    width_mm: float = 64.0
    height_mm: float = 34.0
    cut_margin_mm: float = 1.0

    def __post_init__(self) -> None:
        if not (self.width_mm > 0 and self.height_mm > 0 and self.cut_margin_mm >= 0):
            raise LabelArtworkError("label size and margin must be positive")


@dataclass(frozen=True, slots=True)
class PlacedLine:
    """A line ready to draw.

    ``text`` is in logical order; every renderer shapes it (SVG viewers, HarfBuzz for PNG
    and PDF: :mod:`labeling.artwork.arabic`). ``x_mm`` is the left end of a left-to-right
    line and the right end of a right-to-left one.
    """

    text: str
    x_mm: float
    baseline_mm: float
    size_mm: float
    bold: bool
    right_to_left: bool


@dataclass(frozen=True, slots=True)
class LabelLayout:
    """Positions on one label: the QR square (quiet zone included) and the text lines."""

    size: LabelSize
    qr_x_mm: float
    qr_y_mm: float
    qr_side_mm: float
    module_mm: float
    lines: tuple[PlacedLine, ...]


def lay_out_label(artwork: LabelArtwork, qr: LabelQr, size: LabelSize) -> LabelLayout:
    """Place the QR and fit the text lines; raise :class:`LabelArtworkError` if too small."""
    margin = size.cut_margin_mm
    qr_side = min(size.height_mm - 2 * margin, _QR_SHARE_OF_WIDTH * size.width_mm)
    module = qr_side / qr.size_with_quiet_zone
    if module < MIN_MODULE_MM:
        raise LabelArtworkError(
            f"QR {qr.designator} on a {size.width_mm:g}×{size.height_mm:g} mm label has "
            f"{module:.3f} mm modules; at least {MIN_MODULE_MM} mm are needed to scan it"
        )
    qr_x = margin
    qr_y = (size.height_mm - qr_side) / 2
    text_left = qr_x + qr_side + 0.5
    text_right = size.width_mm - margin
    text_width_mm = text_right - text_left
    if text_width_mm < _MIN_TEXT_BLOCK_MM:
        raise LabelArtworkError("label is too narrow for its text beside the QR")
    top = margin + 0.5
    block_height = size.height_mm - 2 * top
    lines = _whole(printed_lines(artwork), text_width_mm)
    natural_height = sum(line.nominal_pt * MM_PER_PT * _LINE_PITCH for line in lines)
    scale = min(1.0, block_height / natural_height)
    cursor = top + (block_height - natural_height * scale) / 2
    placed: list[PlacedLine] = []
    for line in lines:
        nominal_mm = line.nominal_pt * MM_PER_PT * scale
        text, size_mm = _fit(line, nominal_mm, text_width_mm)
        placed.append(
            PlacedLine(
                text=text,
                x_mm=text_right if line.right_to_left else text_left,
                baseline_mm=cursor + _BASELINE * nominal_mm,
                size_mm=size_mm,
                bold=line.bold,
                right_to_left=line.right_to_left,
            )
        )
        cursor += nominal_mm * _LINE_PITCH
    return LabelLayout(
        size=size,
        qr_x_mm=qr_x,
        qr_y_mm=qr_y,
        qr_side_mm=qr_side,
        module_mm=module,
        lines=tuple(placed),
    )


def _whole(lines: tuple[PrintedLine, ...], width_mm: float) -> tuple[PrintedLine, ...]:
    """The lines with each ``whole`` one (the printed address) that is too wide even at
    :data:`MIN_TEXT_PT` broken so that it is never cut: after its last ``/`` when both
    parts fit (``khatem.ma/v/`` and the serial), else wherever the width runs out."""
    smallest = MIN_TEXT_PT * MM_PER_PT
    kept: list[PrintedLine] = []
    for line in lines:
        if not line.whole or _width(line.text, smallest, line) <= width_mm:
            kept.append(line)
            continue
        head, slash, tail = line.text.rpartition("/")
        parts = [head + slash, tail] if slash and head and tail else []
        if not parts or any(_width(part, smallest, line) > width_mm for part in parts):
            parts = [""]
            for char in line.text:
                if parts[-1] and _width(parts[-1] + char, smallest, line) > width_mm:
                    parts.append("")
                parts[-1] += char
        kept += [replace(line, text=part) for part in parts]
    return tuple(kept)


def _width(text: str, size: float, line: PrintedLine) -> float:
    """The line's width as drawn: shaped by HarfBuzz when it is right to left."""
    if line.right_to_left:
        return shaped_width(text, size, bold=line.bold)
    return text_width(text, size, bold=line.bold)


@lru_cache(maxsize=4096)
def _fit(line: PrintedLine, nominal_mm: float, width_mm: float) -> tuple[str, float]:
    """The line's text (cut if needed) and the size that fits.

    Cached: the labels of a batch share their scheme, artisan and certificate lines.
    """
    text = line.text
    natural = _width(text, nominal_mm, line)
    if natural <= width_mm:
        return text, nominal_mm
    smallest = min(nominal_mm, (MIN_WHOLE_PT if line.whole else MIN_TEXT_PT) * MM_PER_PT)
    # A hair under the exact ratio: at the exact one, rounding can leave the line too wide.
    size_mm = max(smallest, nominal_mm * width_mm / natural * 0.999)
    if _width(text, size_mm, line) <= width_mm:
        return text, size_mm
    if line.whole:
        raise LabelArtworkError(f"label is too narrow to print {text!r} whole")
    # Cut from the end of the text (the left end of a right-to-left line), keeping the
    # longest prefix that fits with the ellipsis.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        candidate = text[:middle].rstrip() + _ELLIPSIS
        if _width(candidate, size_mm, line) <= width_mm:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + _ELLIPSIS, size_mm
