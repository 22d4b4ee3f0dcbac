"""A print-ready A4 PDF sheet of a batch's labels, for print shops.

Why the sheet is built this way:

* QR modules are vector rectangles, one ``re`` per dark run, filled as one path per
  symbol, so the code prints sharp at any size and no raster image is resampled by a
  RIP. The runs are written in module units once per symbol, and a ``cm`` operator
  scales and places them, so per label there is one string to build, not one drawing
  call per rectangle: a batch of 1,000 labels costs about what its 1,000 SVGs cost.
* Text uses DejaVu Sans embedded as a Unicode TrueType subset (added once per sheet),
  so names print as typed, Latin and Arabic. The Arabic line is shaped by HarfBuzz
  through fpdf2's text shaping (:mod:`labeling.artwork.arabic`): joined letters, the
  lam-alef ligature, vowel marks where the font puts them.
* Crop marks sit in the page margins on the extension of every cut line, never inside
  a label; each page carries its number and the batch title at the bottom.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from fpdf import FPDF
from fpdf.syntax import PDFContentStream

from labeling.artwork.arabic import enable_pdf_shaping, pdf_line
from labeling.artwork.fonts import label_fonts
from labeling.artwork.label import LabelArtwork, LabelArtworkError, printable_text
from labeling.artwork.layout import MM_PER_PT, LabelLayout, LabelSize, lay_out_label
from labeling.artwork.qr import QUIET_ZONE_MODULES, LabelQr, encode_label_qr

__all__ = [
    "A4_HEIGHT_MM",
    "A4_WIDTH_MM",
    "MAX_LABELS_PER_SHEET",
    "SheetLayout",
    "label_sheet_pdf",
    "qr_run_operators",
]

A4_WIDTH_MM: Final[float] = 210.0
A4_HEIGHT_MM: Final[float] = 297.0
#: Most labels in one PDF; larger batches are printed as several sheets (the PDF is
#: built in memory, about 6 KB of drawing operators per label before compression).
MAX_LABELS_PER_SHEET: Final[int] = 10_000
_PT_PER_MM: Final[float] = 72 / 25.4
_FONT_FAMILY: Final[str] = "DejaVu"
_CROP_MARK_LENGTH_MM: Final[float] = 5.0
_CROP_MARK_OFFSET_MM: Final[float] = 1.5
_CROP_MARK_WIDTH_PT: Final[float] = 0.25
_FOOTER_PT: Final[float] = 7.0
_PAGE_COMPRESSION_LEVEL: Final[int] = 1
_COMPRESSION_LOCK: Final = threading.Lock()


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """The grid of labels on an A4 portrait page, in mm.

    ``margin_left_mm`` / ``margin_top_mm`` of None centre the grid on the page. The
    default grid is 3 × 7 labels of 64 × 34 mm, 21 per page, 3 mm between columns and
    4 mm between rows, leaving room in the margins for crop marks and the page footer.
    """

    label: LabelSize = field(default_factory=LabelSize)
    columns: int = 3
    rows: int = 7
    margin_left_mm: float | None = None
    margin_top_mm: float | None = None
    column_gutter_mm: float = 3.0
    row_gutter_mm: float = 4.0
    crop_marks: bool = True

    def __post_init__(self) -> None:
        if self.columns < 1 or self.rows < 1:
            raise LabelArtworkError("a sheet has at least one column and one row")
        if self.column_gutter_mm < 0 or self.row_gutter_mm < 0:
            raise LabelArtworkError("gutters cannot be negative")
        if self.left_mm < 0 or self.left_mm + self.grid_width_mm > A4_WIDTH_MM + 1e-9:
            raise LabelArtworkError("the label grid is wider than an A4 page")
        if self.top_mm < 0 or self.top_mm + self.grid_height_mm > A4_HEIGHT_MM + 1e-9:
            raise LabelArtworkError("the label grid is taller than an A4 page")

    @property
    def labels_per_page(self) -> int:
        return self.columns * self.rows

    @property
    def grid_width_mm(self) -> float:
        return self.columns * self.label.width_mm + (self.columns - 1) * self.column_gutter_mm

    @property
    def grid_height_mm(self) -> float:
        return self.rows * self.label.height_mm + (self.rows - 1) * self.row_gutter_mm

    @property
    def left_mm(self) -> float:
        if self.margin_left_mm is not None:
            return self.margin_left_mm
        return (A4_WIDTH_MM - self.grid_width_mm) / 2

    @property
    def top_mm(self) -> float:
        if self.margin_top_mm is not None:
            return self.margin_top_mm
        return (A4_HEIGHT_MM - self.grid_height_mm) / 2

    def label_origin(self, slot: int) -> tuple[float, float]:
        """Top-left corner (x, y) of the label in ``slot`` (0-based, row by row), in mm."""
        row, column = divmod(slot, self.columns)
        return (
            self.left_mm + column * (self.label.width_mm + self.column_gutter_mm),
            self.top_mm + row * (self.label.height_mm + self.row_gutter_mm),
        )


def qr_run_operators(qr: LabelQr) -> str:
    """PDF path operators of the symbol's dark runs, in module units (quiet zone offset)."""
    q = QUIET_ZONE_MODULES
    return " ".join([f"{c + q} {r + q} {n} 1 re" for r, c, n in qr.runs])


def label_sheet_pdf(
    artworks: Sequence[LabelArtwork],
    *,
    layout: SheetLayout | None = None,
    title: str | None = None,
) -> bytes:
    """The batch's labels, in order, on A4 pages: the PDF file's bytes."""
    sheet = layout or SheetLayout()
    if not artworks:
        raise LabelArtworkError("a sheet needs at least one label")
    if len(artworks) > MAX_LABELS_PER_SHEET:
        raise LabelArtworkError(f"at most {MAX_LABELS_PER_SHEET} labels per sheet; split the batch")
    fonts = label_fonts()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creator("Khatem")
    footer_title = printable_text(title) if title else ""
    if footer_title:
        pdf.set_title(footer_title)
    pdf.add_font(_FONT_FAMILY, "", str(fonts.regular))
    pdf.add_font(_FONT_FAMILY, "B", str(fonts.bold))
    enable_pdf_shaping(pdf)
    page_count = math.ceil(len(artworks) / sheet.labels_per_page)
    crop_marks = _crop_mark_operators(sheet) if sheet.crop_marks else ""
    for index, artwork in enumerate(artworks):
        slot = index % sheet.labels_per_page
        if slot == 0:
            pdf.add_page()
            if crop_marks:
                pdf._out(crop_marks)
            _footer(pdf, sheet, footer_title, index // sheet.labels_per_page + 1, page_count)
        qr = encode_label_qr(artwork.uri, error=artwork.error)
        x, y = sheet.label_origin(slot)
        _draw_label(pdf, lay_out_label(artwork, qr, sheet.label), qr, x, y)
    return _pdf_bytes(pdf)


def _pdf_bytes(pdf: FPDF) -> bytes:
    """The finished document, its page contents deflated at zlib level 1.

    Why: at fpdf2's default level (6) deflating the QR rectangles takes about a third of a
    sheet's time; level 1 is about five times faster for a file about 1.5 times larger
    (≈ 2.3 MB per 1,000 labels), which a print shop does not notice. fpdf2 reads the level
    from a class attribute and has no public setting, so it is changed for the duration
    of this call only, under a lock (a concurrent fpdf2 user would at worst get a less
    compressed, equally valid file).
    """
    with _COMPRESSION_LOCK:
        previous = PDFContentStream._COMPRESSION_LEVEL
        PDFContentStream._COMPRESSION_LEVEL = _PAGE_COMPRESSION_LEVEL
        try:
            return bytes(pdf.output())
        finally:
            PDFContentStream._COMPRESSION_LEVEL = previous


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _draw_label(pdf: FPDF, layout: LabelLayout, qr: LabelQr, x_mm: float, y_mm: float) -> None:
    module_pt = layout.module_mm * _PT_PER_MM
    left_pt = (x_mm + layout.qr_x_mm) * _PT_PER_MM
    top_pt = (A4_HEIGHT_MM - y_mm - layout.qr_y_mm) * _PT_PER_MM
    # Module (column, row) lands at (left + column·m, top − row·m) in PDF space, whose
    # y axis points up: hence the negative vertical scale. fpdf2 has no public call that
    # appends prepared operators, so the one private one, _out, is used for them.
    pdf._out(
        f"q 0 g {_number(module_pt)} 0 0 {_number(-module_pt)} "
        f"{_number(left_pt)} {_number(top_pt)} cm {qr_run_operators(qr)} f Q"
    )
    for line in layout.lines:
        pdf.set_font(_FONT_FAMILY, "B" if line.bold else "", line.size_mm / MM_PER_PT)
        if line.right_to_left:
            pdf_line(pdf, x_mm + line.x_mm, y_mm + line.baseline_mm, line.text, right_to_left=True)
        else:
            pdf.text(x_mm + line.x_mm, y_mm + line.baseline_mm, line.text)


def _crop_mark_operators(sheet: SheetLayout) -> str:
    """Stroke operators of the crop marks of one page (the same on every page)."""
    cut_xs: set[float] = set()
    cut_ys: set[float] = set()
    for slot in range(sheet.labels_per_page):
        x, y = sheet.label_origin(slot)
        cut_xs.update((round(x, 3), round(x + sheet.label.width_mm, 3)))
        cut_ys.update((round(y, 3), round(y + sheet.label.height_mm, 3)))
    left, top = sheet.left_mm, sheet.top_mm
    right, bottom = left + sheet.grid_width_mm, top + sheet.grid_height_mm
    segments: list[tuple[float, float, float, float]] = []
    for start, margin, direction in (
        (top, top, -1.0),
        (bottom, A4_HEIGHT_MM - bottom, 1.0),
    ):
        length = min(_CROP_MARK_LENGTH_MM, margin - _CROP_MARK_OFFSET_MM - 0.5)
        if length >= 1.0:
            a = start + direction * _CROP_MARK_OFFSET_MM
            segments.extend((x, a, x, a + direction * length) for x in sorted(cut_xs))
    for start, margin, direction in (
        (left, left, -1.0),
        (right, A4_WIDTH_MM - right, 1.0),
    ):
        length = min(_CROP_MARK_LENGTH_MM, margin - _CROP_MARK_OFFSET_MM - 0.5)
        if length >= 1.0:
            a = start + direction * _CROP_MARK_OFFSET_MM
            segments.extend((a, y, a + direction * length, y) for y in sorted(cut_ys))
    if not segments:
        return ""
    strokes = " ".join(
        f"{_number(x1 * _PT_PER_MM)} {_number((A4_HEIGHT_MM - y1) * _PT_PER_MM)} m "
        f"{_number(x2 * _PT_PER_MM)} {_number((A4_HEIGHT_MM - y2) * _PT_PER_MM)} l"
        for x1, y1, x2, y2 in segments
    )
    return f"q 0 G {_CROP_MARK_WIDTH_PT} w 0 J {strokes} S Q"


def _footer(pdf: FPDF, sheet: SheetLayout, title: str, page: int, page_count: int) -> None:
    bottom = sheet.top_mm + sheet.grid_height_mm
    below_marks = bottom + _CROP_MARK_OFFSET_MM + _CROP_MARK_LENGTH_MM + 3.0
    baseline = min(below_marks, A4_HEIGHT_MM - 3.0)
    text = f"page {page}/{page_count}"
    if title:
        text = f"{title} — {text}"
    pdf.set_font(_FONT_FAMILY, "", _FOOTER_PT)
    width = pdf.get_string_width(text)
    pdf.text((A4_WIDTH_MM - width) / 2, baseline, text)
