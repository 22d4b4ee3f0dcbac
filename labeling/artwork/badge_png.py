"""The certificate badge as PNG, drawn from the same source as the SVG badge.

Why a PNG too: e-mail signatures, marketplace listings and printed price cards take an
image file, not SVG. The words, colours and shape are the SVG badge's
(:mod:`verify.pages.badge`): ``[ Khatem C-1Z8K3QD | certifié ]``, the right half in the
status's colour. Text is measured and drawn with DejaVu Sans, Arabic shaped by HarfBuzz
(:mod:`labeling.artwork.arabic`), so each half is as wide as its words.
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, ImageDraw

from labeling.artwork.arabic import draw_line, has_right_to_left, shaped_width
from verify.pages.badge import _COLOURS, _LEFT_COLOUR, _PADDING, BADGE_WORDS
from verify.pages.i18n import Lang
from verify.pages.messages import UI

__all__ = ["badge_png"]

_HEIGHT: Final = 20
_FONT_PX: Final = 11
_BASELINE: Final = 14


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def badge_png(status: str, *, lang: Lang, code: str | None, scale: int = 4) -> bytes:
    """The badge of a certificate whose effective status is ``status``, ``scale`` pixels
    per SVG pixel (4: 80 px high, sharp on high-density screens and in print)."""
    key = status if status in BADGE_WORDS else "unknown"
    left = UI["badge_label"](lang) + (f" {code}" if code else "")
    right = BADGE_WORDS[key](lang)
    size = _FONT_PX * scale
    left_width = round(shaped_width(left, size)) + 2 * _PADDING * scale
    right_width = round(shaped_width(right, size)) + 2 * _PADDING * scale
    height = _HEIGHT * scale
    radius = 3 * scale
    image = Image.new("RGBA", (left_width + right_width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (0, 0, left_width + right_width - 1, height - 1), radius, fill=_rgb(_LEFT_COLOUR)
    )
    status_colour = _rgb(_COLOURS[key])
    draw.rounded_rectangle(
        (left_width, 0, left_width + right_width - 1, height - 1), radius, fill=status_colour
    )
    draw.rectangle((left_width, 0, left_width + radius, height - 1), fill=status_colour)
    baseline = _BASELINE * scale
    for text, start, width in ((left, 0, left_width), (right, left_width, right_width)):
        rtl = has_right_to_left(text)
        centre = start + width / 2
        half = shaped_width(text, size) / 2
        x = centre + half if rtl else centre - half
        draw_line(
            image, (x, baseline), text, size_px=size, right_to_left=rtl, fill=(255, 255, 255, 255)
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
