"""Reading a printed batch back: every QR on every page of its PDF sheet, decoded."""

from __future__ import annotations

from tests.artwork.raster import decode, pdf_pages, rasterise_pdf_page

__all__ = ["decoded_sheet"]


def decoded_sheet(pdf: bytes) -> list[str]:
    """The text of every QR code the sheet prints, page by page (a real QR decoder)."""
    found: list[str] = []
    for page in pdf_pages(pdf):
        found += decode(rasterise_pdf_page(page, px_per_pt=2.5))
    return found
