"""The short address a label prints for people is real, short and printed whole (issue 13,
item 8): ``{host}/v/{serial}``, never cut with an ellipsis, on every allowed label size."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime

import pytest

from labeling.artwork import LabelArtwork
from labeling.artwork.label import short_address
from labeling.artwork.layout import LabelSize, lay_out_label
from labeling.artwork.qr import encode_label_qr
from labeling.labels.artwork_service import LABEL_HEIGHT_MM, LABEL_WIDTH_MM
from labeling.labels.printing import PrintedFacts, label_artwork
from schemas.labels import Label
from tests.artwork.samples import sample_artwork

ISSUED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _issued(host: str, serial: str = "7F3K2MQ9XB") -> LabelArtwork:
    label = Label(
        batch_id=1,
        certificate_id=1,
        artisan_id=1,
        gtin="06111234000019",
        serial=serial,
        issued_at=ISSUED,
        kid="0a1b2c3d",
        signature=bytes(64),
        status="active",
    )
    facts = PrintedFacts(
        label_host=host,
        certificate_code=0x1234ABCD,
        scheme_and_level="Estampille tapis — qualité supérieure",
        artisan_name_latin="Coopérative Akhiam",
        artisan_name_arabic="تعاونية أخيام",
    )
    return label_artwork(label, facts)


def _printed(artwork: LabelArtwork, size: LabelSize) -> str:
    """The address as the label shows it: its last line, or its last two when broken."""
    layout = lay_out_label(artwork, encode_label_qr(artwork.uri), size)
    bold = [line.text for line in layout.lines if line.bold]
    assert all("…" not in text for text in bold[1:])
    return "".join(bold[1:])  # the first bold line is the scheme


@pytest.mark.parametrize("host", ["KHATEM.MA", "VERIFY.KHATEM.MA"])
def test_an_issued_label_prints_its_short_address_whole(host: str) -> None:
    artwork = _issued(host)
    assert artwork.verification_url == f"{host.lower()}/v/7F3K2MQ9XB"
    assert _printed(artwork, LabelSize()) == artwork.verification_url


@pytest.mark.parametrize(
    "size",
    [
        LabelSize(),
        LabelSize(width_mm=LABEL_WIDTH_MM[0], height_mm=LABEL_HEIGHT_MM[0]),
        LabelSize(width_mm=LABEL_WIDTH_MM[0], height_mm=34),
        LabelSize(width_mm=90, height_mm=45),
    ],
    ids=lambda size: f"{size.width_mm:g}x{size.height_mm:g}",
)
def test_on_every_allowed_size_the_address_is_never_cut(size: LabelSize) -> None:
    rng = random.Random(13)
    for host in ("KHATEM.MA", "VERIFY.KHATEM.MA", "K.MA"):
        artwork = dataclasses.replace(
            sample_artwork(rng, host=host, error="m"),
            verification_url=short_address(host, "7F3K2MQ9XB"),
        )
        assert _printed(artwork, size) == artwork.verification_url


def test_even_an_overlong_address_is_broken_rather_than_cut() -> None:
    address = "verify.khatem.ma/v/" + "7F3K2MQ9XB" * 4
    artwork = dataclasses.replace(
        sample_artwork(random.Random(1), host="KHATEM.MA", error="m"),
        verification_url=address,
    )
    assert _printed(artwork, LabelSize(42, 20)) == address
