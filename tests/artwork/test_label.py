"""What a label prints: consistency with its signed URI, clean text, Arabic shaping."""

from __future__ import annotations

import dataclasses
import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labeling.artwork import LabelArtworkError, LabelSize, encode_label_qr
from labeling.artwork.arabic import has_right_to_left
from labeling.artwork.label import MAX_PRINTED_CHARACTERS, printable_text
from labeling.artwork.layout import MIN_MODULE_MM, lay_out_label
from tests.artwork.samples import sample_artwork

ARTWORK = sample_artwork(random.Random(42), host="KHATEM.MA", error="m")


def test_artwork_must_print_what_its_uri_signs() -> None:
    other = sample_artwork(random.Random(43))
    for field, value in (
        ("serial", other.serial),
        ("gtin", other.gtin),
        ("certificate_code", other.certificate_code),
        ("uri", ARTWORK.uri.replace("HTTPS://KHATEM.MA", "https://khatem.ma")),
        ("uri", "HTTPS://KHATEM.MA/01/00490000012347/21/7F3K2MQ9XB"),
        ("error", "h"),
    ):
        with pytest.raises(LabelArtworkError):
            dataclasses.replace(ARTWORK, **{field: value})


def test_gtin_may_be_printed_in_its_short_form() -> None:
    gtin14 = ARTWORK.uri.split("/01/")[1][:14]
    assert dataclasses.replace(ARTWORK, gtin=gtin14).gtin == gtin14
    if gtin14.startswith("0"):
        assert dataclasses.replace(ARTWORK, gtin=gtin14[1:]).gtin == gtin14[1:]


def test_printable_text_drops_what_would_mislead_or_break_xml() -> None:
    assert printable_text("Fès\u202e\x00  Poterie\n\ud800\ufffe") == "Fès Poterie"
    assert printable_text("Fe\u0300s") == "Fès"  # NFC
    assert printable_text("  ") == ""
    assert len(printable_text("x" * 10_000)) == MAX_PRINTED_CHARACTERS
    assert printable_text("لالة عائشة") == "لالة عائشة"


@given(st.text())
def test_printable_text_is_one_clean_line(text: str) -> None:
    cleaned = printable_text(text)
    assert printable_text(cleaned) == cleaned
    assert "\n" not in cleaned and "  " not in cleaned
    assert all(unicodedata.category(c) not in ("Cc", "Cs", "Zl", "Zp") for c in cleaned)
    assert not any(c in cleaned for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068")


def test_right_to_left_detection() -> None:
    assert has_right_to_left("تعاونية")
    assert not has_right_to_left("Coopérative 12")


def test_long_lines_shrink_then_are_cut_with_an_ellipsis() -> None:
    long_name = "Coopérative des artisanes du tapis de Taznakht et de la vallée du Draa " * 3
    artwork = dataclasses.replace(ARTWORK, artisan_name_latin=long_name)
    layout = lay_out_label(artwork, encode_label_qr(artwork.uri), LabelSize())
    name_line = layout.lines[1]
    assert name_line.text.endswith("…") and len(name_line.text) < len(long_name)


def test_labels_too_small_for_a_scannable_qr_are_refused() -> None:
    qr = encode_label_qr(ARTWORK.uri, error="q")
    smallest_side = MIN_MODULE_MM * qr.size_with_quiet_zone
    with pytest.raises(LabelArtworkError, match="modules"):
        lay_out_label(ARTWORK, qr, LabelSize(width_mm=60, height_mm=smallest_side))
    with pytest.raises(LabelArtworkError, match="narrow"):
        wide_margins = LabelSize(width_mm=42, height_mm=30, cut_margin_mm=6)
        lay_out_label(ARTWORK, encode_label_qr(ARTWORK.uri), wide_margins)
