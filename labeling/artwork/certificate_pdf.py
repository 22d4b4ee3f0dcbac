"""An artisan's printable certificate: one A4 page in French and Arabic, with a QR code
that opens the certificate's public page.

Why both languages on one page: the certificate hangs in a workshop and is shown to
buyers, inspectors and customs; Morocco's administrative documents are bilingual, and an
artisan should not have to choose. French reads left to right on the left, Arabic right
to left on the right, the facts side by side. Arabic is shaped by HarfBuzz through
fpdf2 (:mod:`labeling.artwork.arabic`, ADR 0008); the QR code is vector rectangles, sharp
at any print size. Nothing private is printed: the same facts as the public page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import segno
from fpdf import FPDF

from labeling.artwork.arabic import enable_pdf_shaping
from labeling.artwork.fonts import label_fonts

__all__ = ["CertificateDocument", "Fact", "certificate_pdf"]

_FONT: Final = "DejaVu"
_WIDTH: Final = 210.0
_MARGIN: Final = 18.0
_COLUMN_GAP: Final = 8.0
_QR_SIDE: Final = 42.0
_GREEN: Final = (19, 98, 46)
# The page's text width, each language's column (French left, Arabic right), and where the
# right-hand column starts.
_INNER: Final = _WIDTH - 2 * _MARGIN
_COLUMN: Final = (_INNER - _COLUMN_GAP) / 2
_RIGHT: Final = _MARGIN + _COLUMN + _COLUMN_GAP


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of the certificate, in both languages: ``(label, value)`` each."""

    label_fr: str
    value_fr: str
    label_ar: str
    value_ar: str


@dataclass(frozen=True, slots=True)
class CertificateDocument:
    """What the certificate prints, already in words (the caller picks the names)."""

    code: str
    public_url: str
    artisan_latin: str
    artisan_arabic: str
    status_fr: str
    status_ar: str
    in_force: bool
    facts: Sequence[Fact]


def certificate_pdf(document: CertificateDocument) -> bytes:
    """The certificate as the bytes of a one-page A4 PDF."""
    pdf = _a4_page(document.code)
    _heading(pdf, document)
    y = _facts(pdf, document.facts, top=106.0)
    _status_and_qr_code(pdf, document, y)
    return bytes(pdf.output())


def _a4_page(code: str) -> FPDF:
    """An empty A4 page with the label fonts and Arabic shaping."""
    fonts = label_fonts()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creator("Khatem")
    pdf.set_title(f"Khatem {code}")
    pdf.set_lang("fr")
    pdf.add_font(_FONT, "", str(fonts.regular))
    pdf.add_font(_FONT, "B", str(fonts.bold))
    enable_pdf_shaping(pdf)
    pdf.add_page()
    pdf.c_margin = 0
    return pdf


def _heading(pdf: FPDF, document: CertificateDocument) -> None:
    """A frame, the registry's name, the title in both languages, the code and the artisan."""
    pdf.set_draw_color(*_GREEN)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, _WIDTH - 20, 277)
    pdf.set_line_width(0.3)
    pdf.rect(12.5, 12.5, _WIDTH - 25, 272)
    pdf.set_text_color(*_GREEN)
    _line(pdf, _MARGIN, 26, _INNER, "Khatem · خاتم", size=13, bold=True, align="C")
    pdf.set_text_color(0, 0, 0)
    _line(pdf, _MARGIN, 40, _COLUMN, "Certificat", size=24, bold=True, align="L")
    _line(pdf, _RIGHT, 40, _COLUMN, "شهادة", size=24, bold=True, align="R")
    _line(pdf, _MARGIN, 49, _COLUMN, "Label « Made in Morocco »", size=11, align="L")
    _line(pdf, _RIGHT, 49, _COLUMN, "علامة «صنع في المغرب»", size=11, align="R")

    # The code, large, left to right in both columns.
    _line(pdf, _MARGIN, 66, _INNER, document.code, size=22, bold=True, align="C")

    # Who: the artisan's names, each in its script.
    _line(pdf, _MARGIN, 82, _COLUMN, "Décerné à", size=10, align="L")
    _line(pdf, _RIGHT, 82, _COLUMN, "مُنحت إلى", size=10, align="R")
    _line(pdf, _MARGIN, 91, _COLUMN, document.artisan_latin, size=15, bold=True, align="L")
    _line(pdf, _RIGHT, 91, _COLUMN, document.artisan_arabic, size=15, bold=True, align="R")


def _facts(pdf: FPDF, facts: Sequence[Fact], *, top: float) -> float:
    """The facts side by side from ``top`` down; returns where the next line may start."""
    y = top
    for fact in facts:
        _line(pdf, _MARGIN, y, _COLUMN, fact.label_fr, size=9, align="L", grey=True)
        _line(pdf, _RIGHT, y, _COLUMN, fact.label_ar, size=9, align="R", grey=True)
        y += 5.5
        height = max(
            _block(pdf, _MARGIN, y, _COLUMN, fact.value_fr, align="L"),
            _block(pdf, _RIGHT, y, _COLUMN, fact.value_ar, align="R"),
        )
        y += height + 7.0
    return y


def _status_and_qr_code(pdf: FPDF, document: CertificateDocument, y: float) -> None:
    """The status (red when not in force), then the QR code to the public page."""
    if not document.in_force:
        pdf.set_text_color(155, 28, 31)
    _line(pdf, _MARGIN, y + 2, _COLUMN, document.status_fr, size=12, bold=True, align="L")
    _line(pdf, _RIGHT, y + 2, _COLUMN, document.status_ar, size=12, bold=True, align="R")
    pdf.set_text_color(0, 0, 0)
    top = min(max(y + 8, 200.0), 222.0)
    _qr(pdf, document.public_url, (_WIDTH - _QR_SIDE) / 2, top, _QR_SIDE)
    below = top + _QR_SIDE + 6
    _line(
        pdf,
        _MARGIN,
        below,
        _INNER,
        "Scannez ce code pour voir l'état du certificat aujourd'hui.",
        size=9,
        align="C",
    )
    _line(
        pdf, _MARGIN, below + 6, _INNER, "امسح الرمز لمعرفة حالة الشهادة اليوم.", size=9, align="C"
    )
    _line(pdf, _MARGIN, below + 13, _INNER, document.public_url, size=9, align="C", grey=True)


def _line(
    pdf: FPDF,
    x: float,
    baseline: float,
    width: float,
    text: str,
    *,
    size: float,
    bold: bool = False,
    align: str = "L",
    grey: bool = False,
) -> None:
    """One line in a box ``width`` wide, its baseline at ``baseline`` (cut to fit)."""
    pdf.set_font(_FONT, "B" if bold else "", size)
    if grey:
        pdf.set_text_color(85, 96, 109)
    while text and pdf.get_string_width(text) > width:
        text = text[:-2] + "…"
    # fpdf2 puts a cell's baseline at y + h/2 + 0.3 × font size.
    height = pdf.font_size
    pdf.set_xy(x, baseline - 0.8 * height)
    pdf.cell(width, height, text, align=align)
    if grey:
        pdf.set_text_color(0, 0, 0)


def _block(pdf: FPDF, x: float, top: float, width: float, text: str, *, align: str) -> float:
    """A value that may wrap, from ``top``; its height."""
    pdf.set_font(_FONT, "", 11)
    pdf.set_xy(x, top)
    pdf.multi_cell(width, 5.2, text, align=align)
    return pdf.get_y() - top


def _qr(pdf: FPDF, url: str, x: float, y: float, side: float) -> None:
    """The QR code of ``url`` as filled rectangles (quiet zone of 4 modules included)."""
    symbol = segno.make(url, error="m", micro=False)
    matrix = [list(row) for row in symbol.matrix]
    count = len(matrix) + 8
    module = side / count
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                pdf.rect(
                    x + (start + 4) * module,
                    y + (row_index + 4) * module,
                    (column - start) * module,
                    module,
                    style="F",
                )
            else:
                column += 1
