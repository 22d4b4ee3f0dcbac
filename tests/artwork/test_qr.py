"""The fast label QR encoder: the same symbols as segno, every one decodes, masks are sound.

segno is the reference: with the same mask, our matrix must be segno's module for module.
One documented exception: when the data bits end exactly on a codeword boundary, segno
appends a 0x00 codeword before the 0xEC/0x11 pad codewords (its ``write_padding_bits``
adds 8 zero bits instead of none), where ISO/IEC 18004 7.4.10 pads with 0xEC at once.
Both symbols decode to the same text; for those lengths the test checks decoding instead.
"""

from __future__ import annotations

import random
import statistics

import pytest
import segno
from segno import encoder as segno_encoder

from labeling.artwork import LabelQr, encode_label_qr, qr_image
from labeling.artwork.qr import DEFAULT_MASK
from labeling.artwork.segno_qr import make_label_qr
from tests.artwork.raster import decode
from tests.artwork.samples import HOSTS, sample_artwork
from verify.label_codec import LabelFormatError, qr_segments

_DATA_CODEWORDS = {(6, "m"): 108, (7, "m"): 124, (8, "q"): 110, (9, "q"): 132}


def _uris(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    hosts = HOSTS * (count // len(HOSTS) + 1)
    return [sample_artwork(rng, host=hosts[index]).uri for index in range(count)]


def _segno_rows(uri: str, error: str, mask: int) -> tuple[str, ...]:
    symbol = segno.make(
        qr_segments(uri),  # type: ignore[arg-type]
        error=error,
        boost_error=False,
        micro=False,
        mask=mask,
    )
    return tuple("".join("1" if module & 1 else "0" for module in row) for row in symbol.matrix)


def _segno_pads_with_zero_codeword(uri: str, qr: LabelQr) -> bool:
    """True where segno's padding differs from ISO/IEC 18004 (see the module docstring)."""
    n = uri.index("?")  # alphanumeric characters
    bits = 4 + 9 + 11 * (n // 2) + 6 * (n % 2) + 36 + 631
    capacity = 8 * _DATA_CODEWORDS[qr.version, qr.error]
    terminated = bits + min(4, capacity - bits)
    return terminated % 8 == 0 and terminated < capacity


@pytest.mark.parametrize("error", ["m", "q"])
def test_matrix_is_segnos_with_the_same_mask(error: str) -> None:
    compared = quirks = 0
    for uri in _uris(24, seed=18004):
        for mask in range(8):
            ours = encode_label_qr(uri, error=error, mask=mask)  # type: ignore[arg-type]
            reference = _segno_rows(uri, error, mask)
            if _segno_pads_with_zero_codeword(uri, ours):
                quirks += 1
                assert decode(qr_image(ours)) == [uri]
                continue
            assert ours.rows == reference, (uri, error, mask)
            compared += 1
    assert compared >= 100 and quirks > 0  # both kinds of length were exercised


@pytest.mark.parametrize("error", ["m", "q"])
def test_version_is_the_codecs(error: str) -> None:
    for uri in _uris(16, seed=7):
        ours = encode_label_qr(uri, error=error)  # type: ignore[arg-type]
        assert ours.designator == make_label_qr(uri, error=error).designator  # type: ignore[arg-type]
        assert ours.size == 17 + 4 * ours.version


def test_smallest_and_largest_hosts_give_the_documented_versions() -> None:
    rng = random.Random(3)
    short = sample_artwork(rng, host="A", serial_length=2).uri
    longest = sample_artwork(rng, host="VERIFY.KHATEM.MA").uri
    assert encode_label_qr(short, error="m").designator == "6-M"
    assert encode_label_qr(short, error="q").designator == "8-Q"
    assert encode_label_qr(longest, error="m").designator == "7-M"
    assert encode_label_qr(longest, error="q").designator == "9-Q"


@pytest.mark.parametrize("error", ["m", "q"])
def test_every_mask_decodes(error: str) -> None:
    for index, uri in enumerate(_uris(16, seed=99)):
        qr = encode_label_qr(uri, error=error, mask=index % 8)  # type: ignore[arg-type]
        assert decode(qr_image(qr, module_px=3)) == [uri]


def test_default_masks_decode_over_a_varied_sample() -> None:
    for index, uri in enumerate(_uris(80, seed=2025)):
        error = "m" if index % 2 else "q"
        qr = encode_label_qr(uri, error=error)
        assert qr.mask == DEFAULT_MASK[error]
        assert decode(qr_image(qr, module_px=3)) == [uri]


@pytest.mark.parametrize("error", ["m", "q"])
def test_fixed_mask_stays_close_to_the_per_symbol_optimum(error: str) -> None:
    """The ISO/IEC 18004 penalty of the fixed mask, against the best mask of each symbol."""
    fixed: list[int] = []
    best: list[int] = []
    for uri in _uris(40, seed=611):
        scores = []
        for mask in range(8):
            qr = encode_label_qr(uri, error=error, mask=mask)  # type: ignore[arg-type]
            matrix = [bytearray(int(module) for module in row) for row in qr.rows]
            scores.append(segno_encoder.evaluate_mask(matrix, qr.size, qr.size))
        fixed.append(scores[DEFAULT_MASK[error]])
        best.append(min(scores))
    assert statistics.mean(fixed) <= 1.10 * statistics.mean(best)


def test_dark_runs_cover_exactly_the_dark_modules() -> None:
    qr = encode_label_qr(_uris(1, seed=1)[0])
    painted = [["0"] * qr.size for _ in range(qr.size)]
    for row, column, length in qr.runs:
        assert length >= 1
        assert column + length == qr.size or qr.rows[row][column + length] == "0"  # maximal
        for offset in range(length):
            assert painted[row][column + offset] == "0"
            painted[row][column + offset] = "1"
    assert tuple("".join(row) for row in painted) == qr.rows


def test_quiet_zone_is_four_modules() -> None:
    qr = encode_label_qr(_uris(1, seed=2)[0])
    image = qr_image(qr, module_px=1)
    assert image.size == (qr.size + 8, qr.size + 8)
    border = [image.getpixel((x, y)) for x in range(image.width) for y in range(4)]
    assert set(border) == {255}


def test_rejects_what_the_codec_rejects() -> None:
    uri = _uris(1, seed=3)[0]
    with pytest.raises(LabelFormatError) as caught:
        encode_label_qr(uri.replace("HTTPS://", "https://"))
    assert caught.value.code == "uri_not_canonical"
    with pytest.raises(ValueError):
        encode_label_qr(uri, error="h")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        encode_label_qr(uri, mask=8)
