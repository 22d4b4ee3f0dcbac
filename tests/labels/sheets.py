"""Reading a printed batch back: every QR on every page of its PDF sheet, decoded."""

from __future__ import annotations

from tests.artwork.raster import decode_positions, pdf_pages, rasterise_pdf_page

__all__ = ["decoded_sheet"]

# A decoder may report one symbol twice, a few pixels apart or in another orientation (so
# another corner as its "top left": symbols are compared by their centres);
# a label printed twice stands in another cell of the grid, at least a symbol's width away
# (a symbol is at least 53 modules of 0.33 mm: about 120 pixels at the 2.5 px/pt read here).
_SAME_SYMBOL_PX = 60


def decoded_sheet(pdf: bytes) -> list[str]:
    """The text of every QR code the sheet prints, page by page (a real QR decoder), each
    printed symbol once."""
    found: list[str] = []
    for page in pdf_pages(pdf):
        seen: list[tuple[str, int, int]] = []
        for text, x, y in decode_positions(rasterise_pdf_page(page, px_per_pt=2.5)):
            if any(
                text == t and abs(x - sx) <= _SAME_SYMBOL_PX and abs(y - sy) <= _SAME_SYMBOL_PX
                for t, sx, sy in seen
            ):
                continue
            seen.append((text, x, y))
            found.append(text)
    return found
