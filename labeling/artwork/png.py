"""One label as PNG, for artisans and shops that print from an image.

Why modules are snapped to whole pixels: a module that straddles pixel boundaries is
printed grey on some rows and not others, which is what makes raster QR codes hard to
scan; so the QR is drawn with an integer number of pixels per module, centred in its
square. Arabic lines are shaped by HarfBuzz (:func:`labeling.artwork.arabic.draw_line`:
Pillow's libraqm when it has it, else uharfbuzz and the glyph outlines), joined and right
to left, as in the SVG.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from labeling.artwork.arabic import HAS_RAQM, draw_line
from labeling.artwork.fonts import label_fonts
from labeling.artwork.label import LabelArtwork
from labeling.artwork.layout import LabelSize, lay_out_label
from labeling.artwork.qr import QUIET_ZONE_MODULES, LabelQr, encode_label_qr

__all__ = ["DEFAULT_DPI", "HAS_RAQM", "label_image", "label_png", "qr_image"]

#: Print resolution of label PNGs; 600 dpi gives 14 px per module on the default label.
DEFAULT_DPI: Final[int] = 600
_MM_PER_INCH: Final[float] = 25.4


def qr_image(qr: LabelQr, *, module_px: int = 4) -> Image.Image:
    """The bare symbol with its quiet zone, ``module_px`` pixels per module (mode L)."""
    side = qr.size_with_quiet_zone * module_px
    image = Image.new("L", (side, side), 255)
    _draw_runs(ImageDraw.Draw(image), qr, 0, 0, module_px)
    return image


def label_image(
    artwork: LabelArtwork,
    *,
    size: LabelSize | None = None,
    dpi: int = DEFAULT_DPI,
    qr: LabelQr | None = None,
) -> Image.Image:
    """The label as a greyscale Pillow image at ``dpi``."""
    symbol = qr if qr is not None else encode_label_qr(artwork.uri, error=artwork.error)
    if symbol.uri != artwork.uri or symbol.error != artwork.error:
        raise ValueError("the QR symbol given is not this label's")
    layout = lay_out_label(artwork, symbol, size or LabelSize())
    px_per_mm = dpi / _MM_PER_INCH
    image = Image.new(
        "L",
        (round(layout.size.width_mm * px_per_mm), round(layout.size.height_mm * px_per_mm)),
        255,
    )
    draw = ImageDraw.Draw(image)
    square_px = layout.qr_side_mm * px_per_mm
    module_px = int(square_px // symbol.size_with_quiet_zone)
    if module_px < 1:
        raise ValueError(f"{dpi} dpi is too coarse for this label's QR modules")
    inset = (square_px - module_px * symbol.size_with_quiet_zone) / 2
    _draw_runs(
        draw,
        symbol,
        round(layout.qr_x_mm * px_per_mm + inset),
        round(layout.qr_y_mm * px_per_mm + inset),
        module_px,
    )
    for line in layout.lines:
        size_px = max(1, round(line.size_mm * px_per_mm))
        x = line.x_mm * px_per_mm
        y = line.baseline_mm * px_per_mm
        if line.right_to_left:
            draw_line(image, (x, y), line.text, size_px=size_px, bold=line.bold, right_to_left=True)
        else:
            draw.text((x, y), line.text, font=_font(line.bold, size_px), fill=0, anchor="ls")
    return image


def label_png(
    artwork: LabelArtwork,
    *,
    size: LabelSize | None = None,
    dpi: int = DEFAULT_DPI,
    qr: LabelQr | None = None,
) -> bytes:
    """The label as PNG bytes (greyscale, with its resolution recorded in the file)."""
    image = label_image(artwork, size=size, dpi=dpi, qr=qr)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _draw_runs(draw: ImageDraw.ImageDraw, qr: LabelQr, x0: int, y0: int, module: int) -> None:
    q = QUIET_ZONE_MODULES
    for row, column, length in qr.runs:
        left = x0 + (column + q) * module
        top = y0 + (row + q) * module
        draw.rectangle((left, top, left + length * module - 1, top + module - 1), fill=0)


@lru_cache(maxsize=64)
def _font(bold: bool, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(label_fonts().path(bold=bold)), size=size_px, layout_engine=ImageFont.Layout.BASIC
    )
