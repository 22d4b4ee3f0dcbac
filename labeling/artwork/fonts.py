"""The label typeface: DejaVu Sans, found on the machine once and measured once.

Why DejaVu Sans: one TrueType family covers Latin (French accents), Arabic (with its
Presentation Forms-B, which the PDF fallback shaping needs) and Tifinagh, so a label
never mixes fonts per script; Debian ships it as ``fonts-dejavu-core``, installed on
the project's machines. PNG and PDF embed it; SVG names it first in ``font-family``.

Text is measured with our own per-character advance table (built once from the font,
kerning ignored), so that the SVG, PNG and PDF renderers fit each line to the same width
and none of them pays a font-library call per label.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from PIL import ImageFont

__all__ = ["FONT_PACKAGE", "LabelFontMissing", "LabelFonts", "label_fonts", "text_width"]

#: Debian package that provides the fonts (named in the error when they are missing).
FONT_PACKAGE: Final[str] = "fonts-dejavu-core"
_REGULAR: Final[str] = "DejaVuSans.ttf"
_BOLD: Final[str] = "DejaVuSans-Bold.ttf"
_SEARCH_DIRECTORIES: Final[tuple[str, ...]] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
_MEASURE_SIZE: Final[int] = 1000


class LabelFontMissing(RuntimeError):
    """The label typeface is not installed; printing artwork needs it."""


@dataclass(frozen=True, slots=True)
class LabelFonts:
    """Paths of the regular and bold TrueType files of the label typeface."""

    regular: Path
    bold: Path

    def path(self, *, bold: bool) -> Path:
        return self.bold if bold else self.regular


@lru_cache(maxsize=1)
def label_fonts() -> LabelFonts:
    """Locate DejaVu Sans (regular and bold); raise :class:`LabelFontMissing` if absent."""
    for directory in _SEARCH_DIRECTORIES:
        regular = Path(directory) / _REGULAR
        bold = Path(directory) / _BOLD
        if regular.is_file() and bold.is_file():
            return LabelFonts(regular=regular, bold=bold)
    for root in ("/usr/share/fonts", "/usr/local/share/fonts"):
        found = sorted(Path(root).rglob(_REGULAR)) if Path(root).is_dir() else []
        for regular in found:
            if (regular.parent / _BOLD).is_file():
                return LabelFonts(regular=regular, bold=regular.parent / _BOLD)
    raise LabelFontMissing(
        f"label artwork needs the DejaVu Sans fonts ({_REGULAR}, {_BOLD}); "
        f"install the Debian package {FONT_PACKAGE}"
    )


class _AdvanceTable(dict[str, float]):
    """Advance width of each character in em, filled from the font on first use."""

    def __init__(self, font: ImageFont.FreeTypeFont) -> None:
        super().__init__()
        self._font = font

    def __missing__(self, char: str) -> float:
        advance = self._font.getlength(char) / _MEASURE_SIZE
        self[char] = advance
        return advance


@lru_cache(maxsize=2)
def _advances(bold: bool) -> _AdvanceTable:
    font = ImageFont.truetype(
        str(label_fonts().path(bold=bold)),
        size=_MEASURE_SIZE,
        layout_engine=ImageFont.Layout.BASIC,
    )
    return _AdvanceTable(font)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` set at ``size`` (any unit; the result is in the same unit)."""
    advances = _advances(bold)
    return size * sum(map(advances.__getitem__, text))
