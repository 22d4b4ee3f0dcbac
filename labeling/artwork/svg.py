"""One label as SVG: the QR as a single path of dark runs, the text as real text.

Why SVG draws the runs as one filled path in module units: the symbol stays sharp at
any print size, the file stays small (one rectangle per run, not per module), and
``shape-rendering="crispEdges"`` keeps viewers from blurring module edges. Text stays
text: the viewer shapes Arabic and lays it out right to left (``direction="rtl"``),
which no hand-made glyph sequence could do as well. Every piece of text is escaped,
and cleaned of characters XML cannot carry (:func:`~labeling.artwork.label.printable_text`).
"""

from __future__ import annotations

from typing import Final
from xml.sax.saxutils import escape

from labeling.artwork.label import LabelArtwork
from labeling.artwork.layout import LabelLayout, LabelSize, lay_out_label
from labeling.artwork.qr import QUIET_ZONE_MODULES, LabelQr, encode_label_qr

__all__ = ["FONT_FAMILY", "label_svg", "qr_path_data"]

#: Fonts named in the SVG, DejaVu Sans first (the font the layout was measured with).
FONT_FAMILY: Final[str] = "'DejaVu Sans', 'Noto Sans', 'Noto Sans Arabic', Arial, sans-serif"
_XML_QUOTES: Final[dict[str, str]] = {'"': "&quot;", "'": "&apos;"}


def qr_path_data(qr: LabelQr) -> str:
    """SVG path data of the symbol's dark runs, in modules, offset by the quiet zone."""
    q = QUIET_ZONE_MODULES
    return "".join([f"M{c + q} {r + q}h{n}v1h-{n}z" for r, c, n in qr.runs])


def label_svg(
    artwork: LabelArtwork, *, size: LabelSize | None = None, qr: LabelQr | None = None
) -> str:
    """The label as a standalone SVG document (UTF-8 text), sized in millimetres.

    ``qr`` may be passed when the caller already encoded the symbol (it must be the
    symbol of ``artwork.uri`` at ``artwork.error``).
    """
    symbol = qr if qr is not None else encode_label_qr(artwork.uri, error=artwork.error)
    if symbol.uri != artwork.uri or symbol.error != artwork.error:
        raise ValueError("the QR symbol given is not this label's")
    layout = lay_out_label(artwork, symbol, size or LabelSize())
    return _document(layout, symbol, artwork)


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _attribute(text: str) -> str:
    return escape(text, _XML_QUOTES)


def _document(layout: LabelLayout, qr: LabelQr, artwork: LabelArtwork) -> str:
    width = _number(layout.size.width_mm)
    height = _number(layout.size.height_mm)
    modules = qr.size_with_quiet_zone
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'width="{width}mm" height="{height}mm" viewBox="0 0 {width} {height}">',
        f"<title>Khatem {_attribute(artwork.serial)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<svg x="{_number(layout.qr_x_mm)}" y="{_number(layout.qr_y_mm)}" '
        f'width="{_number(layout.qr_side_mm)}" height="{_number(layout.qr_side_mm)}" '
        f'viewBox="0 0 {modules} {modules}" shape-rendering="crispEdges">'
        f'<path fill="#000" d="{qr_path_data(qr)}"/></svg>',
        f'<g font-family="{FONT_FAMILY}" fill="#000">',
    ]
    for line in layout.lines:
        weight = ' font-weight="bold"' if line.bold else ""
        position = (
            f'x="{_number(line.x_mm)}" y="{_number(line.baseline_mm)}" '
            f'font-size="{_number(line.size_mm)}"{weight}'
        )
        if line.right_to_left:
            # text-anchor "start" is the right end of a right-to-left line.
            position += ' direction="rtl" unicode-bidi="embed" xml:lang="ar" text-anchor="start"'
        parts.append(f"<text {position}>{escape(line.text)}</text>")
    parts.append("</g></svg>")
    return "\n".join(parts)
