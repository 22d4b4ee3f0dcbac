"""The embeddable certificate badge: a small shields-like SVG that shows the current status.

``[ Khatem C-1Z8K3QD | certified ]`` — the left half names the certificate, the right half
says its status now, in the colour and the words of that status (a suspended certificate's
badge says "suspended"). Text widths are estimated and pinned with ``textLength``, so the
badge looks the same whatever font the viewer has. Nothing in it loads or runs anything.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from markupsafe import escape

from verify.pages.i18n import Lang, Text, direction
from verify.pages.messages import UI

__all__ = ["BADGE_WORDS", "render_badge_svg"]

BADGE_WORDS: Final[dict[str, Text]] = {
    "active": Text("certifié", "certified", "certificado", "معتمد"),
    "suspended": Text("suspendu", "suspended", "suspendido", "موقوف"),
    "withdrawn": Text("retiré", "withdrawn", "retirado", "مسحوب"),
    "expired": Text("expiré", "expired", "caducado", "منتهي الصلاحية"),
    "unknown": Text("inconnu", "unknown", "desconocido", "غير معروف"),
}
_COLOURS: Final[dict[str, str]] = {
    "active": "#13622e",
    "suspended": "#b45309",
    "withdrawn": "#9b1c1f",
    "expired": "#6e4600",
    "unknown": "#55606d",
}
_LEFT_COLOUR: Final = "#3d3f42"
_PADDING: Final = 6


def _text_width(text: str) -> int:
    """An estimate of ``text``'s width in pixels at 11 px (Verdana-like metrics)."""
    width = 0.0
    for char in text:
        if char == " ":
            width += 3.6
        elif char in "il.:,;'|!":
            width += 3.4
        elif char.isupper() or char in "mwMW":
            width += 7.6
        elif char.isdigit():
            width += 7.0
        elif unicodedata.combining(char):
            continue
        else:
            width += 6.3
    return int(width + 0.5)


def render_badge_svg(status: str, *, lang: Lang, code: str | None) -> str:
    """The badge of a certificate whose effective status is ``status`` (``active``,
    ``suspended``, ``withdrawn``, ``expired``; ``unknown`` when no certificate has the code)."""
    key = status if status in BADGE_WORDS else "unknown"
    left = UI["badge_label"](lang) + (f" {code}" if code else "")
    right = BADGE_WORDS[key](lang)
    left_width = _text_width(left) + 2 * _PADDING
    right_width = _text_width(right) + 2 * _PADDING
    total = left_width + right_width
    dir_ = direction(lang)
    label = UI["badge_alt"](lang, code=code or "—", status=right)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" '
        f'viewBox="0 0 {total} 20" role="img" aria-label="{escape(label)}" '
        f'xml:lang="{lang}" data-status="{key}">',
        f"<title>{escape(label)}</title>",
        f'<rect width="{total}" height="20" rx="3" fill="{_LEFT_COLOUR}"/>',
        f'<rect x="{left_width}" width="{right_width}" height="20" rx="3" fill="{_COLOURS[key]}"/>',
        f'<rect x="{left_width}" width="4" height="20" fill="{_COLOURS[key]}"/>',
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,DejaVu Sans,Geneva,sans-serif" font-size="11">',
        _text(left, x=left_width / 2, width=left_width - 2 * _PADDING, dir_=dir_),
        _text(right, x=left_width + right_width / 2, width=right_width - 2 * _PADDING, dir_=dir_),
        "</g></svg>",
    ]
    return "".join(parts)


def _text(text: str, *, x: float, width: int, dir_: str) -> str:
    return (
        f'<text x="{x:g}" y="14" direction="{dir_}" textLength="{width}" '
        f'lengthAdjust="spacingAndGlyphs">{escape(text)}</text>'
    )
