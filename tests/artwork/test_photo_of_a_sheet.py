"""A photo of a whole sheet: every QR code in it is a label, in reading order."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from labeling.artwork import label_sheet_pdf
from tests.artwork.raster import pdf_pages, rasterise_pdf_page
from tests.artwork.samples import sample_artworks
from verify.photo import UnreadableImage, read_labels


def _photo_of(page: Image.Image, path: Path, *, angle: float) -> Path:
    """What a phone makes of a printed sheet: turned a little, softened, JPEG-compressed."""
    photo = page.rotate(angle, expand=True, fillcolor=235).filter(ImageFilter.GaussianBlur(0.8))
    buffer = io.BytesIO()
    photo.convert("RGB").save(buffer, format="JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("angle", [0.0, 2.5, -4.0])
def test_every_label_on_a_photographed_sheet_is_read_in_reading_order(
    tmp_path: Path, angle: float
) -> None:
    artworks = sample_artworks(21, seed=33)  # one full page: 3 columns x 7 rows
    [page] = pdf_pages(label_sheet_pdf(artworks))
    photo = _photo_of(rasterise_pdf_page(page, px_per_pt=3), tmp_path / "sheet.jpg", angle=angle)

    found = read_labels(photo)

    assert [label.text for label in found] == [artwork.uri for artwork in artworks]


def test_the_same_label_printed_twice_is_read_twice(tmp_path: Path) -> None:
    """Two physical copies of one label in one photo is what a clone check must see."""
    [artwork] = sample_artworks(1, seed=7)
    [page] = pdf_pages(label_sheet_pdf([artwork, artwork]))
    photo = _photo_of(rasterise_pdf_page(page, px_per_pt=3), tmp_path / "two.jpg", angle=0)
    assert [label.text for label in read_labels(photo)] == [artwork.uri, artwork.uri]


def test_a_file_that_is_not_an_image_or_holds_no_code_is_refused(tmp_path: Path) -> None:
    not_an_image = tmp_path / "notes.jpg"
    not_an_image.write_text("not a picture", encoding="utf-8")
    with pytest.raises(UnreadableImage, match="not a readable image"):
        read_labels(not_an_image)
    blank = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(blank)
    with pytest.raises(UnreadableImage, match="no QR code"):
        read_labels(blank)
