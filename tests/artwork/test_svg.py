"""Label SVGs: well-formed whatever the names hold, right-to-left Arabic, QR that decodes."""

from __future__ import annotations

import dataclasses
import random
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labeling.artwork import LabelSize, encode_label_qr, label_svg
from labeling.artwork.layout import lay_out_label
from tests.artwork.raster import SVG_NS, decode, rasterise_svg_qr
from tests.artwork.samples import sample_artwork, sample_artworks

ARTWORK = sample_artwork(random.Random(5), host="VERIFY.KHATEM.MA", error="m")

hostile_text = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(["<", "&", '"', "'", ">", "]]>", "\x00", "\x1b", "\ud800", "\ufffe"]),
        st.sampled_from(["\u202e", "\u2067", "&amp;", "<script>", "ـ", "لا", "\u064e"]),
    ),
    max_size=40,
).map("".join)


def _texts(svg: str) -> list[ElementTree.Element]:
    return list(ElementTree.fromstring(svg).iter(f"{SVG_NS}text"))


def test_svg_is_sized_in_millimetres_with_a_qr_viewport_in_modules() -> None:
    size = LabelSize(width_mm=70, height_mm=36)
    root = ElementTree.fromstring(label_svg(ARTWORK, size=size))
    assert (root.attrib["width"], root.attrib["height"]) == ("70mm", "36mm")
    assert root.attrib["viewBox"] == "0 0 70 36"
    inner = root.find(f"{SVG_NS}svg")
    assert inner is not None
    modules = encode_label_qr(ARTWORK.uri).size_with_quiet_zone
    assert inner.attrib["viewBox"] == f"0 0 {modules} {modules}"
    assert inner.attrib["shape-rendering"] == "crispEdges"
    assert root.find(f"{SVG_NS}image") is None  # vector, no embedded raster


def test_svg_prints_every_human_readable_line_in_order() -> None:
    texts = [element.text for element in _texts(label_svg(ARTWORK))]
    assert texts == [
        ARTWORK.scheme_and_level,
        ARTWORK.artisan_name_latin,
        ARTWORK.artisan_name_arabic,
        f"Série {ARTWORK.serial}",
        f"GTIN {ARTWORK.gtin}",
        f"Certificat {ARTWORK.certificate_code}",
        ARTWORK.verification_url,
    ]


def test_arabic_name_is_laid_out_right_to_left_by_the_viewer() -> None:
    arabic = _texts(label_svg(ARTWORK))[2]
    assert arabic.attrib["direction"] == "rtl"
    assert arabic.attrib["unicode-bidi"] == "embed"
    assert arabic.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "ar"
    assert arabic.text == ARTWORK.artisan_name_arabic  # logical order: the viewer shapes it
    latin = _texts(label_svg(ARTWORK))[1]
    assert float(arabic.attrib["x"]) > float(latin.attrib["x"])  # anchored at the right


@pytest.mark.parametrize("error", ["m", "q"])
def test_svg_qr_decodes_to_the_label_uri(error: str) -> None:
    for artwork in sample_artworks(20, seed=ord(error)):
        artwork = dataclasses.replace(artwork, error=error)
        assert decode(rasterise_svg_qr(label_svg(artwork))) == [artwork.uri]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(scheme=hostile_text, latin=hostile_text, arabic=hostile_text, url=hostile_text)
def test_any_text_yields_well_formed_svg(scheme: str, latin: str, arabic: str, url: str) -> None:
    artwork = dataclasses.replace(
        ARTWORK,
        scheme_and_level=scheme,
        artisan_name_latin=latin,
        artisan_name_arabic=arabic,
        verification_url=url,
    )
    svg = label_svg(artwork)
    root = ElementTree.fromstring(svg)  # raises on anything not well-formed
    expected = [
        line.text
        for line in lay_out_label(artwork, encode_label_qr(ARTWORK.uri), LabelSize()).lines
    ]
    assert [element.text or "" for element in root.iter(f"{SVG_NS}text")] == expected
    assert len(root.findall(f"{SVG_NS}g")) == 1 and len(list(root)) == 4  # no injected elements
