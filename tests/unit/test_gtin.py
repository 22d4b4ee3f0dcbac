"""Tests for verify.gtin: GS1 check digits, GTIN-14 normalisation and registry GTINs."""

from __future__ import annotations

from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verify.gtin import (
    REGISTRY_GTIN_PREFIX,
    REGISTRY_SEQUENCE_MAX,
    GtinError,
    gtin_check_digit,
    is_registry_gtin,
    is_valid_gtin,
    normalise_gtin,
    registry_gtin,
)


def reference_check_digit(body: str) -> int:
    """Straight from the GS1 General Specifications: weights 3,1,3,... from the right."""
    weights = [3 if i % 2 == 0 else 1 for i in range(len(body))]
    total = sum(int(d) * w for d, w in zip(reversed(body), weights, strict=True))
    return (10 - total % 10) % 10


# Published, well-known valid identifiers.
KNOWN_VALID = [
    "96385074",  # EAN-8
    "73513537",  # EAN-8
    "036000291452",  # UPC-A
    "012345678905",  # UPC-A
    "5901234123457",  # EAN-13
    "4006381333931",  # EAN-13
    "6291041500213",  # EAN-13
    "9521234543213",  # EAN-13 in GS1's demonstration prefix 952
]


@pytest.mark.parametrize("gtin", KNOWN_VALID)
def test_known_gtins(gtin: str) -> None:
    assert gtin_check_digit(gtin[:-1]) == int(gtin[-1])
    assert is_valid_gtin(gtin)
    normalised = normalise_gtin(gtin)
    assert len(normalised) == 14 and normalised.endswith(gtin)
    assert normalised == gtin.rjust(14, "0")
    assert normalise_gtin(normalised) == normalised


@given(st.from_regex(r"[0-9]{1,17}", fullmatch=True))
def test_check_digit_matches_reference(body: str) -> None:
    assert gtin_check_digit(body) == reference_check_digit(body)


@given(
    st.sampled_from([7, 11, 12, 13]).flatmap(
        lambda n: st.from_regex(f"[0-9]{{{n}}}", fullmatch=True)
    )
)
def test_valid_gtins_normalise(body: str) -> None:
    gtin = body + str(gtin_check_digit(body))
    assert normalise_gtin(gtin) == gtin.rjust(14, "0")


@given(st.from_regex(r"[0-9]{13}", fullmatch=True), st.integers(0, 13), st.integers(1, 9))
def test_every_single_digit_error_is_detected(body: str, position: int, delta: int) -> None:
    gtin = body + str(gtin_check_digit(body))
    wrong = gtin[:position] + str((int(gtin[position]) + delta) % 10) + gtin[position + 1 :]
    assert not is_valid_gtin(wrong)
    with pytest.raises(GtinError):
        normalise_gtin(wrong)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "9638507",  # 7 digits
        "963850744",  # 9 digits
        "0123456789013",  # 13 digits, wrong check digit
        "961234567890123",  # 15 digits
        " 5901234123457",
        "5901234123457 ",
        "590-1234123457",
        "590123412345\u0667",  # ARABIC-INDIC DIGIT SEVEN
        "\uff15901234123457",  # FULLWIDTH DIGIT FIVE
        "59012341234\u00b27",  # SUPERSCRIPT TWO
    ],
)
def test_invalid_gtins(text: str) -> None:
    assert not is_valid_gtin(text)
    with pytest.raises(GtinError):
        normalise_gtin(text)


@pytest.mark.parametrize("value", [None, 5901234123457, b"5901234123457"])
def test_non_strings(value: object) -> None:
    assert not is_valid_gtin(cast(Any, value))
    assert not is_registry_gtin(cast(Any, value))
    with pytest.raises(GtinError):
        normalise_gtin(cast(Any, value))
    with pytest.raises(GtinError):
        gtin_check_digit(cast(Any, value))


@pytest.mark.parametrize("body", ["", "12a", "1" * 18, "\u0661\u0662"])
def test_check_digit_rejects_bad_bodies(body: str) -> None:
    with pytest.raises(GtinError):
        gtin_check_digit(body)


@given(st.text(max_size=30))
def test_predicates_never_raise(text: str) -> None:
    assert is_valid_gtin(text) in (True, False)
    assert is_registry_gtin(text) in (True, False)


# ---------------------------------------------------------------- registry GTINs


def test_registry_gtin_layout() -> None:
    assert REGISTRY_GTIN_PREFIX == "0049"
    assert registry_gtin(0) == "00490000000009"
    assert registry_gtin(1234) == "00490000012347"
    assert registry_gtin(REGISTRY_SEQUENCE_MAX) == "00499999999998"
    assert REGISTRY_SEQUENCE_MAX == 999_999_999


@given(st.integers(0, REGISTRY_SEQUENCE_MAX))
def test_registry_gtins_are_valid_and_recognised(sequence: int) -> None:
    gtin = registry_gtin(sequence)
    assert len(gtin) == 14 and gtin.startswith("0049")
    assert is_valid_gtin(gtin)
    assert is_registry_gtin(gtin)
    assert int(gtin[4:13]) == sequence
    assert is_registry_gtin(gtin[1:])  # GTIN-13 form "049..."
    assert is_registry_gtin(gtin[2:])  # GTIN-12 form "49..." (U.P.C. RCN prefix 4)


@given(st.integers(0, REGISTRY_SEQUENCE_MAX), st.integers(0, REGISTRY_SEQUENCE_MAX))
def test_registry_gtins_are_injective(a: int, b: int) -> None:
    assert (registry_gtin(a) == registry_gtin(b)) == (a == b)


@pytest.mark.parametrize("sequence", [-1, REGISTRY_SEQUENCE_MAX + 1, True, 1.0, "1"])
def test_registry_gtin_rejects_bad_sequences(sequence: object) -> None:
    with pytest.raises(GtinError):
        registry_gtin(cast(Any, sequence))


@given(st.from_regex(r"611[0-9]{9}", fullmatch=True))
def test_gs1_morocco_gtins_are_not_registry_gtins(body: str) -> None:
    gtin = body + str(gtin_check_digit(body))
    assert is_valid_gtin(gtin)
    assert not is_registry_gtin(gtin)
    assert normalise_gtin(gtin).startswith("0611")


@pytest.mark.parametrize(
    "body",
    [
        "004800000001",  # RCN prefix 04 but another sub-prefix
        "020000000001",  # RCN prefix 02 (MO-defined)
        "290000000001",  # RCN prefix 29 (MO-defined)
        "049000000001",  # GTIN-13 registry form, check digit computed below
    ],
)
def test_registry_recognition_is_exact(body: str) -> None:
    gtin = body + str(gtin_check_digit(body))
    assert is_registry_gtin(gtin) == body.startswith("049")
    wrong = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)
    assert not is_registry_gtin(wrong)


def test_gtin8_never_collides_with_registry_range() -> None:
    # GTIN-8 pads to "000000" + 8 digits, GTIN-12 to "00" + 12: only "49..." GTIN-12s
    # (the U.P.C. RCN prefix 4, i.e. the same RCN numbers) land in "0049".
    assert not is_registry_gtin("96385074")
    assert not is_registry_gtin("036000291452")
