"""QR size proof for Khatem labels: version <= 7 at level M, <= 9 at level Q, and decodable.

Over 2,000 realistic labels (GS1 Morocco 611 GTIN-13s padded to 14 digits and registry
GTINs, random 10-character serials, random certificate codes and signature bytes, hosts
of 9 and 16 characters) every symbol is version 7-M (and 9-Q); a sample rendered to PNG
decodes back to the exact URI with zxing-cpp. The codec's host + serial budget is checked
against segno's real choice of version at every length around the limit.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import segno
import zxingcpp
from PIL import Image

from labeling.artwork.segno_qr import make_label_qr
from verify.gtin import gtin_check_digit, registry_gtin
from verify.label_codec import (
    MAX_HOST_LENGTH,
    MAX_HOST_PLUS_SERIAL_LENGTH,
    QR_MAX_VERSION,
    SERIAL_ALPHABET,
    LabelFormatError,
    encode_label_uri,
    qr_segments,
)

LABEL_COUNT = 2000
DECODE_SAMPLE = 50
HOSTS_9 = ["KHATEM.MA", "KHATEM.CO", "QR.KHT.MA"]
HOSTS_16 = ["VERIFY.KHATEM.MA", "LABELS.KHATEM.MA", "KHATEM-LABELS.MA"]


def realistic_uris(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    uris = []
    for index in range(count):
        if index % 2 == 0:
            body = "611" + "".join(rng.choices("0123456789", k=9))  # GS1 Morocco GTIN-13
            gtin = "0" + body + str(gtin_check_digit(body))
        else:
            gtin = registry_gtin(rng.randrange(10**9))
        host = rng.choice(HOSTS_9 if index % 4 < 2 else HOSTS_16)
        uris.append(
            encode_label_uri(
                host=host,
                gtin=gtin,
                serial="".join(rng.choices(SERIAL_ALPHABET, k=10)),
                kid=rng.randbytes(4).hex(),
                issued_at=datetime(2025, 1, 1, tzinfo=UTC)
                + timedelta(minutes=rng.randrange(60 * 24 * 365 * 30)),
                certificate_code=rng.randrange(2**32),
                signature=rng.randbytes(64),
            )
        )
    return uris


URIS = realistic_uris(LABEL_COUNT, seed=611)


def symbol(uri: str, error: str, *, fast: bool = False) -> segno.QRCode:
    # The version does not depend on the mask, so the bulk check fixes mask 0 and skips
    # segno's (slow, pure-Python) mask evaluation; decoded samples use the normal path.
    return segno.make(
        qr_segments(uri),  # type: ignore[arg-type]
        error=error,
        boost_error=False,
        micro=False,
        mask=0 if fast else None,
    )


def test_host_lengths_cover_the_budget() -> None:
    assert {len(h) for h in HOSTS_9} == {9} and {len(h) for h in HOSTS_16} == {16}
    assert MAX_HOST_LENGTH == 16
    assert {len(u.split("/")[2]) for u in URIS} == {9, 16}


@pytest.mark.parametrize(("error", "bound"), [("m", 7), ("q", 9)])
def test_every_label_fits_the_version_budget(error: str, bound: int) -> None:
    versions: Counter[str] = Counter()
    for uri in URIS:
        qr = symbol(uri, error, fast=True)
        assert qr.error == error.upper()
        assert isinstance(qr.version, int) and qr.version <= bound, uri
        versions[qr.designator] += 1
    assert QR_MAX_VERSION[error] == bound
    # The real figure, not just the bound: every realistic label is exactly this version.
    assert versions == Counter({f"{bound}-{error.upper()}": LABEL_COUNT})


def test_rendered_labels_decode_to_the_exact_uri() -> None:
    sample = URIS[:: LABEL_COUNT // DECODE_SAMPLE][:DECODE_SAMPLE]
    assert len(sample) == DECODE_SAMPLE
    for index, uri in enumerate(sample):
        error = "q" if index % 5 == 4 else "m"
        qr = make_label_qr(uri, error=error)  # type: ignore[arg-type]
        assert qr.designator == symbol(uri, error).designator
        buffer = io.BytesIO()
        qr.save(buffer, kind="png", scale=4, border=4)
        buffer.seek(0)
        image = Image.open(buffer)
        assert isinstance(qr.version, int)
        assert image.size == ((qr.version * 4 + 17 + 8) * 4,) * 2
        results = zxingcpp.read_barcodes(image)
        assert len(results) == 1, uri
        assert results[0].format == zxingcpp.BarcodeFormat.QRCode
        assert results[0].text == uri
        assert results[0].ec_level == error.upper()


@pytest.mark.parametrize("total", range(4, MAX_HOST_PLUS_SERIAL_LENGTH + 4))
def test_encoder_budget_matches_segno(total: int) -> None:
    """The encoder accepts a host/serial split exactly when segno needs <= version 7-M."""
    for serial_length in (1, 10, 12):
        host_length = total - serial_length
        if host_length < 4:
            continue
        host = "K" * (host_length - 3) + ".MA"
        arguments = {
            "host": host,
            "gtin": registry_gtin(1),
            "serial": "Z" * serial_length,
            "kid": "ffffffff",
            "issued_at": datetime(2025, 1, 1, tzinfo=UTC),
            "certificate_code": 2**32 - 1,
            "signature": b"\xff" * 64,
        }
        alnum = f"HTTPS://{host}/01/{registry_gtin(1)}/21/{'Z' * serial_length}"
        direct = segno.make(
            [(alnum, 2), ("?S=", 4), ("1" + "9" * 184, 1)],  # type: ignore[arg-type]
            error="m",
            boost_error=False,
            micro=False,
            mask=0,
        )
        fits = isinstance(direct.version, int) and direct.version <= 7
        assert fits == (total <= MAX_HOST_PLUS_SERIAL_LENGTH)
        if fits:
            uri = encode_label_uri(**arguments)  # type: ignore[arg-type]
            assert symbol(uri, "m", fast=True).designator == direct.designator
            assert symbol(uri, "q", fast=True).version <= 9  # type: ignore[operator]
        else:
            with pytest.raises(LabelFormatError) as caught:
                encode_label_uri(**arguments)  # type: ignore[arg-type]
            assert caught.value.code == "label_too_large"
