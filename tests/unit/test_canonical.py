"""verify.canonical: RFC 8785 against every published test vector and against the reference
encoder, the label message, key ids and GTIN check digits."""

from __future__ import annotations

import enum
import json
import math
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from verify.canonical import (
    MAX_DEPTH,
    MAX_SAFE_INTEGER,
    CanonicalError,
    canonical_json,
    gtin_check_digit,
    json_string,
    key_id,
    label_message,
    label_messages,
)
from verify.label_codec import LabelFormatError, batch_claim_bytes, claim_bytes

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "jcs" / "testdata"
NAMES = sorted(path.stem for path in (VECTORS / "input").glob("*.json"))


# ------------------------------------------------------------------------- RFC 8785


def test_every_vector_is_there() -> None:
    assert NAMES == ["arrays", "french", "structures", "unicode", "values", "weird"]
    assert sorted(p.stem for p in (VECTORS / "output").glob("*.json")) == NAMES
    assert sorted(p.stem for p in (VECTORS / "outhex").glob("*.txt")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_rfc8785_vector(name: str) -> None:
    """input/*.json canonicalises to output/*.json, byte for byte; outhex/ agrees."""
    value = json.loads((VECTORS / "input" / f"{name}.json").read_text(encoding="utf-8"))
    expected = (VECTORS / "output" / f"{name}.json").read_bytes()
    assert bytes.fromhex((VECTORS / "outhex" / f"{name}.txt").read_text()) == expected
    assert canonical_json(value, floats=True) == expected
    assert rfc8785.dumps(value) == expected


def test_the_vectors_take_both_encoders() -> None:
    """The fast path (no floats, names within the BMP) and the reference path both run."""
    weird = json.loads((VECTORS / "input" / "weird.json").read_text(encoding="utf-8"))
    # A name beyond U+FFFF sorts by its UTF-16 surrogates: before U+FB33, unlike Python.
    assert list(json.loads(canonical_json(weird)))[-2:] == ["\U0001f602", "\ufb33"]
    french = json.loads((VECTORS / "input" / "french.json").read_text(encoding="utf-8"))
    assert canonical_json(french) == (VECTORS / "output" / "french.json").read_bytes()


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=25,
)
json_with_floats = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=25,
)


@given(json_values)
def test_the_fast_encoder_writes_what_the_reference_writes(value: Any) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)


@given(st.dictionaries(st.text(max_size=6), json_scalars, max_size=8))
def test_flat_objects_are_the_reference_bytes(value: dict[str, Any]) -> None:
    """One pass per object, member order computed once per shape (the log's hot path)."""
    assert canonical_json(value) == rfc8785.dumps(value)
    reordered = dict(reversed(value.items()))
    assert canonical_json(reordered) == canonical_json(value)


@given(json_with_floats)
def test_documents_with_floats_are_the_reference_bytes(value: Any) -> None:
    assert canonical_json(value, floats=True) == rfc8785.dumps(value)


@given(st.text())
def test_json_string_is_the_rfc8785_string(text: str) -> None:
    assert json_string(text).encode("utf-8") == rfc8785.dumps(text)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (96000.0, b"96000"),
        (96000, b"96000"),
        (1.6, b"1.6"),
        (0.02, b"0.02"),
        (-0.0, b"0"),
        (1e-7, b"1e-7"),
        (0.000001, b"0.000001"),
        (1e20, b"100000000000000000000"),
        (1e21, b"1e+21"),
        (5e-324, b"5e-324"),
        (1.7976931348623157e308, b"1.7976931348623157e+308"),
        (333333333.33333329, b"333333333.3333333"),
    ],
)
def test_numbers_are_written_as_ecmascript_writes_them(number: float, text: bytes) -> None:
    assert canonical_json([number], floats=True) == b"[" + text + b"]"


class Colour(enum.IntEnum):
    RED = 1


class Shape(enum.StrEnum):
    ROUND = "round"


def test_subclasses_of_json_types_are_their_values() -> None:
    assert canonical_json({"c": Colour.RED, "s": Shape.ROUND}) == b'{"c":1,"s":"round"}'
    assert canonical_json({"t": (1, "x")}) == b'{"t":[1,"x"]}'


def _nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


cyclic: list[Any] = []
cyclic.append(cyclic)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"x": math.nan}, "no NaN or infinity"),
        ({"x": math.inf}, "no NaN or infinity"),
        ([-math.inf], "no NaN or infinity"),
        ({"x": 0.5}, "no floats"),
        ([MAX_SAFE_INTEGER + 1], "2\\*\\*53"),
        ([-MAX_SAFE_INTEGER - 1], "2\\*\\*53"),
        ({"x": "\ud800"}, "lone surrogate"),
        ({"\udfff": 1}, "lone surrogate"),
        ({1: "x"}, "names must be strings"),  # json.dumps would write {"1":"x"}
        ({None: "x"}, "names must be strings"),
        ({"x": b"bytes"}, "bytes values"),
        ({"x": {1, 2}}, "set values"),
        ({"x": date(2026, 1, 1)}, "date values"),
        (_nested(MAX_DEPTH + 1), "nest deeper"),
        (cyclic, "nest deeper"),
    ],
)
def test_what_has_no_rfc8785_form_is_refused(value: Any, message: str) -> None:
    with pytest.raises(CanonicalError, match=message):
        canonical_json(value)


def test_floats_are_refused_unless_allowed_and_never_nan() -> None:
    assert canonical_json({"m": 2.5}, floats=True) == b'{"m":2.5}'
    with pytest.raises(CanonicalError):
        canonical_json({"m": 2.5})
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(CanonicalError, match="no NaN or infinity"):
            canonical_json({"m": bad}, floats=True)
    assert canonical_json(_nested(MAX_DEPTH)) == b"[" * MAX_DEPTH + b"0" + b"]" * MAX_DEPTH


# -------------------------------------------------------------------- label message


def test_label_message_layout() -> None:
    """docs/label-format.md section 5, field by field."""
    message = label_message(
        gtin14="06111234567892",
        serial="7F3K2MQ9XB",
        kid="21fe31df",
        minutes=0x01C89512,
        certificate_code=0x5A17C0DE,
    )
    assert message == (
        b"KHATEM-LABEL\x01\x01"
        + b"06111234567892"
        + b"\x0a7F3K2MQ9XB"
        + bytes.fromhex("21fe31df")
        + bytes.fromhex("01c89512")
        + bytes.fromhex("5a17c0de")
    )


serials = st.text("0123456789ABCDEFGHJKMNPQRSTVWXYZ", min_size=1, max_size=12)


@given(
    st.lists(serials, max_size=8),
    st.integers(0, 2**32 - 1),
    st.integers(0, 2**32 - 1),
    st.binary(min_size=4, max_size=4),
)
def test_a_batch_is_each_label_message(
    batch: list[str], minutes: int, code: int, kid_raw: bytes
) -> None:
    fields = {"gtin14": "00490000000429", "kid": kid_raw.hex(), "minutes": minutes}
    assert label_messages(serials=batch, certificate_code=code, **fields) == [
        label_message(serial=serial, certificate_code=code, **fields) for serial in batch
    ]


def test_label_fields_that_cannot_be_laid_out_are_refused() -> None:
    fields: dict[str, Any] = {
        "gtin14": "06111234567892",
        "serial": "A",
        "kid": "21fe31df",
        "minutes": 0,
        "certificate_code": 0,
    }
    for change in ({"serial": "é"}, {"serial": "A" * 256}, {"kid": "xyz"}, {"gtin14": "٠"}):
        with pytest.raises(ValueError):
            label_message(**(fields | change))
    with pytest.raises(ValueError):
        label_messages(
            gtin14="06111234567892",
            serials=["A" * 256],
            kid="21fe31df",
            minutes=0,
            certificate_code=0,
        )


@given(st.lists(serials, max_size=8))
def test_batch_claim_bytes_is_claim_bytes_for_each_serial(batch: list[str]) -> None:
    fields: dict[str, Any] = {
        "gtin": "06111234000019",
        "kid": "21fe31df",
        "issued_at": datetime(2026, 11, 22, 13, 38, 44, tzinfo=UTC),
        "certificate_code": 0x5A17C0DE,
    }
    assert batch_claim_bytes(serials=batch, **fields) == [
        claim_bytes(serial=serial, **fields) for serial in batch
    ]


@pytest.mark.parametrize(
    "batch", [[""], ["A" * 13], ["7f3k"], ["ABC", "I"], ["A\nB"], ["A", 5], [b"AB"]]
)
def test_batch_claim_bytes_refuses_a_bad_serial(batch: list[Any]) -> None:
    with pytest.raises(LabelFormatError) as refused:
        batch_claim_bytes(
            gtin="06111234000019",
            serials=batch,
            kid="21fe31df",
            issued_at=datetime(2026, 11, 22, tzinfo=UTC),
            certificate_code=1,
        )
    assert refused.value.code == "serial_invalid"


# ----------------------------------------------------------------------- key id


def test_key_id() -> None:
    assert key_id(bytes(32)) == "66687aad"
    assert key_id(bytearray(32)) == key_id(memoryview(bytes(32))) == "66687aad"
    with pytest.raises(ValueError):
        key_id(bytes(31))
    with pytest.raises(TypeError):
        key_id("00" * 32)  # type: ignore[arg-type]


# --------------------------------------------------------------------- GTIN check


def _reference_check_digit(body: str) -> int:
    """GS1 General Specifications 7.9.1, spelt out."""
    total = 0
    for position, char in enumerate(reversed(body)):
        total += int(char) * (3 if position % 2 == 0 else 1)
    return (10 - total % 10) % 10


@given(st.text("0123456789", min_size=1, max_size=17))
def test_gtin_check_digit_is_gs1s(body: str) -> None:
    assert gtin_check_digit(body) == _reference_check_digit(body)


def test_gtin_check_digit_examples_and_refusals() -> None:
    assert gtin_check_digit("629104150021") == 3  # GS1's example GTIN-13 6291041500213
    assert gtin_check_digit("9638507") == 4  # GTIN-8 96385074
    for bad in ("", "1" * 18, "12a", "\u0661\u0662", None, 12):
        with pytest.raises(ValueError):
            gtin_check_digit(bad)  # type: ignore[arg-type]
