"""PDF sheets: A4 grid, labels in order, vector QR codes that decode, crop marks, fonts."""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fpdf.syntax import PDFContentStream
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from labeling.artwork import LabelArtworkError, LabelSize, SheetLayout, label_sheet_pdf
from labeling.artwork.sheet import A4_HEIGHT_MM, A4_WIDTH_MM
from tests.artwork.raster import decode, decode_positions, pdf_pages, rasterise_pdf_page
from tests.artwork.samples import sample_artwork, sample_artworks
from tests.tools import require

PT_PER_MM = 72 / 25.4


def test_default_layout_is_a_centred_3_by_7_grid() -> None:
    layout = SheetLayout()
    assert layout.labels_per_page == 21
    assert layout.left_mm == pytest.approx((A4_WIDTH_MM - 3 * 64 - 2 * 3) / 2)
    assert layout.top_mm == pytest.approx((A4_HEIGHT_MM - 7 * 34 - 6 * 4) / 2)
    assert layout.label_origin(4) == pytest.approx((layout.left_mm + 67, layout.top_mm + 38))


@pytest.mark.parametrize(
    "layout",
    [
        lambda: SheetLayout(columns=4),
        lambda: SheetLayout(rows=9),
        lambda: SheetLayout(margin_left_mm=20),
        lambda: SheetLayout(columns=0),
        lambda: SheetLayout(row_gutter_mm=-1),
    ],
)
def test_grids_that_do_not_fit_a4_are_refused(layout: object) -> None:
    with pytest.raises(LabelArtworkError):
        layout()  # type: ignore[operator]


def test_sheet_pages_hold_the_batch_in_order_and_every_qr_decodes() -> None:
    artworks = sample_artworks(45, seed=21)  # 21 + 21 + 3, levels M and Q mixed
    pdf = label_sheet_pdf(artworks, title="Lot 2025-0042")
    pages = pdf_pages(pdf)
    assert len(pages) == 3
    for number, page in enumerate(pages):
        assert (page.width_pt, page.height_pt) == pytest.approx((595.28, 841.89), abs=0.01)
        expected = [a.uri for a in artworks[21 * number : 21 * (number + 1)]]
        found = decode_positions(rasterise_pdf_page(page, px_per_pt=2.5))
        # Reading order: rows top to bottom (label pitch 38 mm), then left to right.
        found.sort(key=lambda item: (round(item[2] / (38 * PT_PER_MM * 2.5)), item[1]))
        assert [text for text, _, _ in found] == expected
        assert f"page {number + 1}/3".encode() not in page.content  # text is glyph ids


def test_qr_codes_are_vector_rectangles_and_text_uses_an_embedded_unicode_font() -> None:
    pdf = label_sheet_pdf(sample_artworks(3, seed=4))
    assert b"/Subtype /Image" not in pdf
    assert b"/FontFile2" in pdf  # TrueType program embedded (subset)
    assert b"/ToUnicode" in pdf  # text stays searchable and copyable
    fonts = set(re.findall(rb"/BaseFont /[A-Z]{6}\+(DejaVuSans\w+)", pdf))
    assert fonts == {b"DejaVuSansBook", b"DejaVuSansBold"}
    content = pdf_pages(pdf)[0].content
    assert content.count(b" cm ") >= 3 and b" re " in content


def test_crop_marks_stay_outside_every_label() -> None:
    layout = SheetLayout()
    content = pdf_pages(label_sheet_pdf(sample_artworks(1, seed=5), layout=layout))[0].content
    marks = re.search(rb"q 0 G [\d.]+ w 0 J (.*?) S Q", content)
    assert marks is not None
    segments = re.findall(rb"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l", marks.group(1))
    cuts_x = {round(layout.label_origin(c)[0] + d, 3) for c in range(3) for d in (0, 64)}
    cuts_y = {round(layout.label_origin(3 * r)[1] + d, 3) for r in range(7) for d in (0, 34)}
    assert len(segments) == 2 * len(cuts_x) + 2 * len(cuts_y)
    for segment in segments:
        x1, y1, x2, y2 = (float(v) / PT_PER_MM for v in segment)
        y1, y2 = A4_HEIGHT_MM - y1, A4_HEIGHT_MM - y2
        for slot in range(layout.labels_per_page):
            left, top = layout.label_origin(slot)
            inside_x = left < max(x1, x2) and min(x1, x2) < left + 64
            inside_y = top < max(y1, y2) and min(y1, y2) < top + 34
            assert not (inside_x and inside_y)
        on_a_cut = round(x1, 3) in cuts_x if x1 == x2 else round(y1, 3) in cuts_y
        assert on_a_cut


def test_custom_label_size_and_grid() -> None:
    layout = SheetLayout(
        label=LabelSize(width_mm=90, height_mm=45),
        columns=2,
        rows=5,
        margin_left_mm=12,
        margin_top_mm=20,
        column_gutter_mm=6,
        row_gutter_mm=5,
        crop_marks=False,
    )
    artworks = sample_artworks(10, seed=6)
    pages = pdf_pages(label_sheet_pdf(artworks, layout=layout))
    assert len(pages) == 1
    assert b" J " not in pages[0].content  # no crop marks
    found = sorted(decode(rasterise_pdf_page(pages[0], px_per_pt=2.0)))
    assert found == sorted(a.uri for a in artworks)


def test_empty_and_oversized_batches_are_refused() -> None:
    with pytest.raises(LabelArtworkError):
        label_sheet_pdf([])
    artwork = sample_artwork(random.Random(1))
    with pytest.raises(LabelArtworkError):
        label_sheet_pdf([artwork] * 10_001)


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(latin=st.text(max_size=50), arabic=st.text(max_size=50), title=st.text(max_size=30))
def test_any_text_yields_a_sheet_whose_qr_decodes(latin: str, arabic: str, title: str) -> None:
    artwork = dataclasses.replace(
        sample_artwork(random.Random(9), error="q"),
        artisan_name_latin=latin,
        artisan_name_arabic=arabic,
    )
    pdf = label_sheet_pdf([artwork], title=title)
    page = rasterise_pdf_page(pdf_pages(pdf)[0], px_per_pt=2.0)
    left, top = SheetLayout().label_origin(0)
    scale = 2.0 * PT_PER_MM
    label = page.crop(
        (
            round(left * scale),
            round(top * scale),
            round((left + 64) * scale),
            round((top + 34) * scale),
        )
    )
    assert decode(label) == [artwork.uri]


def test_a_real_pdf_renderer_reads_every_qr_of_a_full_page(tmp_path: Path) -> None:
    """poppler draws the whole page (text included); zxing-cpp reads all 21 labels."""
    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils)")
    artworks = sample_artworks(21, seed=77)
    pdf_file = tmp_path / "sheet.pdf"
    pdf_file.write_bytes(label_sheet_pdf(artworks))
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", str(pdf_file), str(tmp_path / "page")],
        check=True,
    )
    with Image.open(tmp_path / "page-1.png") as page:
        assert sorted(decode(page)) == sorted(a.uri for a in artworks)


def test_page_contents_are_deflated_and_fpdf2_settings_are_left_as_found() -> None:
    before = PDFContentStream._COMPRESSION_LEVEL
    pdf = label_sheet_pdf(sample_artworks(2, seed=12))
    assert PDFContentStream._COMPRESSION_LEVEL == before
    contents = re.search(rb"/Contents (\d+) 0 R", pdf)
    assert contents is not None
    page_object = pdf[pdf.index(contents.group(1) + b" 0 obj") :]
    assert b"/Filter /FlateDecode" in page_object[: page_object.index(b"stream")]
