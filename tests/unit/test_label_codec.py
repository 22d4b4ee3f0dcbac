"""Tests for verify.label_codec: round trips, strict total parsing, tamper detection,
certificate codes, QR segments, import hygiene, and the worked examples in the spec."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, cast

import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from labeling.artwork.segno_qr import make_label_qr
from tests.unit.label_parser_v1 import parse_v1
from verify import label_codec
from verify.gtin import REGISTRY_SEQUENCE_MAX, gtin_check_digit, registry_gtin
from verify.label_codec import (
    DOMAIN_PREFIX,
    MAX_URI_LENGTH,
    PAYLOAD_DIGITS,
    PAYLOAD_LENGTH,
    REASON_CODES,
    S_VALUE_LENGTH,
    SERIAL_ALPHABET,
    LabelError,
    LabelFormatError,
    LabelSignatureError,
    LabelToken,
    QrMode,
    claim_bytes,
    encode_label_uri,
    format_certificate_code,
    issue_label_uri,
    key_id,
    new_certificate_code,
    new_serial,
    parse_certificate_code,
    parse_label_uri,
    qr_segments,
    verify_label_signature,
)

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "docs" / "label-format.md"

# RFC 8032 section 7.1, TEST 1.
SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
SIGNING_KEY = Ed25519PrivateKey.from_private_bytes(SECRET)
PUBLIC_KEY = SIGNING_KEY.public_key()
PUBLIC_RAW = PUBLIC_KEY.public_bytes_raw()
KID = key_id(PUBLIC_RAW)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_MINUTES = (datetime.max.replace(tzinfo=UTC) - EPOCH) // timedelta(minutes=1)
ISSUED = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
GTIN_611 = "0611123456789" + str(gtin_check_digit("0611123456789"))


def with_check(body: str) -> str:
    return body + str(gtin_check_digit(body))


def issue(
    *,
    host: str = "KHATEM.MA",
    gtin: str = GTIN_611,
    serial: str = "7F3K2MQ9XB",
    issued_at: datetime = ISSUED,
    certificate_code: int = 0x5A17C0DE,
    signer: Ed25519PrivateKey = SIGNING_KEY,
) -> str:
    kid = key_id(signer.public_key().public_bytes_raw())
    return issue_label_uri(
        host=host,
        gtin=gtin,
        serial=serial,
        kid=kid,
        issued_at=issued_at,
        certificate_code=certificate_code,
        sign=signer.sign,
    )


def accepts(uri: str) -> bool:
    """Whether the URI parses and verifies under the test key (never raises)."""
    try:
        verify_label_signature(parse_label_uri(uri), PUBLIC_KEY)
    except (LabelFormatError, LabelSignatureError):
        return False
    return True


def reason(text: object) -> str | None:
    """Reason code of the parse failure, or None if the text parses."""
    try:
        parse_label_uri(cast(Any, text))
    except LabelFormatError as error:
        return error.code
    return None


def with_s(uri: str, value: str) -> str:
    return uri[: uri.index("?S=") + 3] + value


def payload_of(uri: str) -> bytes:
    return int(uri[uri.index("?S=") + 4 :]).to_bytes(PAYLOAD_LENGTH, "big")


def s_from_payload(payload: bytes) -> str:
    return "1" + str(int.from_bytes(payload, "big")).rjust(PAYLOAD_DIGITS, "0")


# ------------------------------------------------------------------------ strategies

gtins = st.one_of(
    st.from_regex(r"611[0-9]{9}", fullmatch=True).map(lambda body: "0" + with_check(body)),
    st.integers(0, REGISTRY_SEQUENCE_MAX).map(registry_gtin),
    st.from_regex(r"[0-9]{13}", fullmatch=True).map(with_check),
)
serials = st.text(alphabet=SERIAL_ALPHABET, min_size=1, max_size=12)
dns_labels = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,5}[A-Za-z0-9])?", fullmatch=True)
hosts = st.lists(dns_labels, min_size=1, max_size=3).map(".".join)
instants = st.integers(0, MAX_MINUTES).map(lambda m: EPOCH + timedelta(minutes=m))
certificate_codes = st.integers(0, 2**32 - 1)
signatures = st.binary(min_size=64, max_size=64)
kids = st.binary(min_size=4, max_size=4).map(bytes.hex)


@st.composite
def claims(draw: st.DrawFn) -> dict[str, Any]:
    serial = draw(serials)
    host = draw(hosts.filter(lambda h: len(h) + len(serial) <= 26))
    return {
        "host": host,
        "gtin": draw(gtins),
        "serial": serial,
        "kid": draw(kids),
        "issued_at": draw(instants),
        "certificate_code": draw(certificate_codes),
        "signature": draw(signatures),
    }


# ------------------------------------------------------------------------ round trips


@given(claims())
def test_encode_parse_round_trip(claim: dict[str, Any]) -> None:
    uri = encode_label_uri(**claim)
    token = parse_label_uri(uri)
    assert token.host == claim["host"].upper()
    assert token.gtin == claim["gtin"]
    assert token.serial == claim["serial"]
    assert token.version == 1
    assert token.kid == claim["kid"]
    assert token.issued_at == claim["issued_at"]
    assert token.issued_at.tzinfo is UTC
    assert token.certificate_code == claim["certificate_code"]
    assert token.signature == claim["signature"]
    assert token.to_uri() == uri
    assert uri.startswith("HTTPS://") and uri == uri.upper()
    assert len(uri.split("?S=")[1]) == S_VALUE_LENGTH
    fields = {k: v for k, v in claim.items() if k not in ("host", "signature")}
    assert token.signed_bytes() == claim_bytes(**fields)
    # the parser before issue 12 (fast path and diagnostic path) said the same
    assert parse_v1(uri) == token


@given(claims())
@settings(max_examples=50)
def test_signed_labels_verify(claim: dict[str, Any]) -> None:
    del claim["signature"], claim["kid"]
    uri = issue_label_uri(kid=KID, sign=SIGNING_KEY.sign, **claim)
    token = parse_label_uri(uri)
    verify_label_signature(token, PUBLIC_KEY)


def test_constants_match_the_design() -> None:
    assert PAYLOAD_LENGTH == 76
    assert PAYLOAD_DIGITS == 184 == len(str(2**608 - 1))
    assert S_VALUE_LENGTH == 185
    assert DOMAIN_PREFIX == b"KHATEM-LABEL"
    assert len(SERIAL_ALPHABET) == 32 and not set("ILOU") & set(SERIAL_ALPHABET)


def test_signed_bytes_layout() -> None:
    token = parse_label_uri(issue())
    message = token.signed_bytes()
    assert message[:12] == b"KHATEM-LABEL"
    assert message[12:14] == b"\x01\x01"
    assert message[14:28] == GTIN_611.encode()
    assert message[28] == 10
    assert message[29:39] == b"7F3K2MQ9XB"
    assert message[39:43] == bytes.fromhex(KID)
    assert int.from_bytes(message[43:47], "big") == (ISSUED - EPOCH) // timedelta(minutes=1)
    assert message[47:51] == (0x5A17C0DE).to_bytes(4, "big")
    assert len(message) == 51


def test_claim_accepts_short_gtins_and_floors_time_to_the_minute() -> None:
    cet = timezone(timedelta(hours=1))
    precise = datetime(2025, 3, 14, 10, 26, 59, 999999, tzinfo=cet)  # 09:26:59.999999Z
    kwargs: dict[str, Any] = {"serial": "A", "kid": KID, "certificate_code": 1}
    assert claim_bytes(gtin="5901234123457", issued_at=precise, **kwargs) == claim_bytes(
        gtin="05901234123457", issued_at=ISSUED, **kwargs
    )
    uri = issue(gtin="96385074", issued_at=precise)
    token = parse_label_uri(uri)
    assert token.gtin == "00000096385074"
    assert token.issued_at == ISSUED
    verify_label_signature(token, PUBLIC_KEY)


def test_host_case_and_extra_parameters_do_not_matter() -> None:
    uri = issue()
    tail = uri[len("HTTPS://KHATEM.MA") :]
    query_at = uri.index("?")
    variants = [
        "https://khatem.ma" + tail,
        "hTTpS://Khatem.Ma" + tail,
        uri + "&17=261231",
        uri[:query_at] + "?10=ABC&" + uri[query_at + 1 :] + "&linkType=gs1:pip&",
        uri + "&s=ignored",  # parameter names are case-sensitive
        uri[:query_at] + "?x=%41&&" + uri[query_at + 1 :],
    ]
    for variant in variants:
        token = parse_label_uri(variant)
        assert token.host == "KHATEM.MA"
        assert token.to_uri() == uri
        verify_label_signature(token, PUBLIC_KEY)


def test_host_is_not_signed() -> None:
    uri = issue()
    moved = "HTTPS://VERIFY.KHATEM.MA" + uri[len("HTTPS://KHATEM.MA") :]
    assert accepts(moved)
    assert parse_label_uri(moved).signed_bytes() == parse_label_uri(uri).signed_bytes()


# ------------------------------------------------------------------------ strict parsing

VALID = issue()
Q = VALID.index("?")
S_VALUE = VALID[Q + 3 :]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (VALID + "&x=" + "1" * (MAX_URI_LENGTH - len(VALID) - 2), "uri_too_long"),
        ("", "uri_malformed"),
        (VALID.replace("HTTPS", "HTTP", 1), "uri_malformed"),
        (VALID.replace("HTTPS://", "HTTPS:/", 1), "uri_malformed"),
        (VALID.replace("HTTPS", "HTTPX", 1), "uri_malformed"),
        (VALID + "#frag", "uri_malformed"),
        (VALID + " ", "uri_malformed"),
        (VALID + "\n", "uri_malformed"),
        (VALID + "&x=é", "uri_malformed"),
        (VALID + "&x=%4", "uri_malformed"),
        (VALID + "&x=%zz", "uri_malformed"),
        (VALID + "\ud800", "uri_malformed"),
        ("HTTPS:///01/" + VALID.split("/01/")[1], "host_invalid"),
        (VALID.replace("KHATEM.MA", "KHATEM.MA:443", 1), "host_invalid"),
        (VALID.replace("KHATEM.MA", "USER@KHATEM.MA", 1), "host_invalid"),
        (VALID.replace("KHATEM.MA", "KHATEM.MA.", 1), "host_invalid"),
        (VALID.replace("KHATEM.MA", "-KHATEM.MA", 1), "host_invalid"),
        (VALID.replace("KHATEM.MA", "KHATEM..MA", 1), "host_invalid"),
        (VALID.replace("KHATEM.MA", "KHATEM_MA", 1), "host_invalid"),
        (VALID.replace("KHATEM.MA", "A" * 64 + ".MA", 1), "host_invalid"),
        (VALID.replace("KHATEM.MA", "[::1]", 1), "uri_malformed"),
        (VALID + "&x=[1]", "uri_malformed"),
        (VALID.replace("KHATEM.MA", "127.0.0.1:8000", 1), "host_invalid"),
        (VALID.replace("/01/", "/1/", 1), "path_invalid"),
        (VALID.replace("/21/", "/10/", 1), "path_invalid"),
        (VALID.replace("/21/", "/10/ABC/21/", 1), "path_invalid"),
        (VALID.replace("?", "/?", 1), "path_invalid"),
        (VALID.replace("HTTPS://KHATEM.MA/", "HTTPS://KHATEM.MA/X/", 1), "path_invalid"),
        (VALID.replace("HTTPS://KHATEM.MA/01", "HTTPS://KHATEM.MA", 1), "path_invalid"),
        (VALID.replace(GTIN_611, GTIN_611[1:], 1), "gtin_malformed"),
        (VALID.replace(GTIN_611, GTIN_611 + "0", 1), "gtin_malformed"),
        (VALID.replace(GTIN_611, "%30" + GTIN_611[1:], 1), "gtin_malformed"),
        (
            VALID.replace(GTIN_611, GTIN_611[:13] + str((int(GTIN_611[13]) + 1) % 10), 1),
            "gtin_check_digit",
        ),
        (VALID.replace("7F3K2MQ9XB", "7f3k2mq9xb", 1), "serial_invalid"),
        (VALID.replace("7F3K2MQ9XB", "7F3K2MQ9XO", 1), "serial_invalid"),
        (VALID.replace("7F3K2MQ9XB", "7F3K2MQ9XBABC", 1), "serial_invalid"),
        (VALID.replace("/21/7F3K2MQ9XB", "/21/", 1), "serial_invalid"),
        (VALID[:Q], "signature_missing"),
        (VALID[:Q] + "?", "signature_missing"),
        (VALID[:Q] + "?T=" + S_VALUE, "signature_missing"),
        (VALID[:Q] + "?s=" + S_VALUE, "signature_missing"),
        (VALID + "&S=" + S_VALUE, "signature_duplicate"),
        (VALID + "&S", "signature_duplicate"),
        (VALID[:Q] + "?S", "signature_malformed"),
        (with_s(VALID, ""), "signature_malformed"),
        (with_s(VALID, "A" + S_VALUE[1:]), "signature_malformed"),
        (with_s(VALID, "2" + S_VALUE[1:]), "version_unsupported"),
        (with_s(VALID, "0" + S_VALUE[1:]), "version_unsupported"),
        (with_s(VALID, "9"), "version_unsupported"),
        (with_s(VALID, S_VALUE[:-1]), "signature_malformed"),
        (with_s(VALID, S_VALUE + "0"), "signature_malformed"),
        (with_s(VALID, "1" + "0" + S_VALUE[1:]), "signature_malformed"),
        (with_s(VALID, S_VALUE[:-1] + "x"), "signature_malformed"),
        (with_s(VALID, "1" + "9" * 184), "signature_malformed"),
        (with_s(VALID, "1" + str(2**608).rjust(184, "0")), "signature_malformed"),
        (with_s(VALID, "1" + S_VALUE[1:100] + "%30" + S_VALUE[101:]), "signature_malformed"),
        (
            with_s(
                VALID, s_from_payload(bytes(4) + (MAX_MINUTES + 1).to_bytes(4, "big") + bytes(68))
            ),
            "issued_at_invalid",
        ),
        (with_s(VALID, s_from_payload(bytes(4) + b"\xff" * 4 + bytes(68))), "issued_at_invalid"),
    ],
)
def test_rejections_have_stable_reason_codes(text: str, code: str) -> None:
    assert code in REASON_CODES
    with pytest.raises(LabelFormatError) as caught:
        parse_label_uri(text)
    assert caught.value.code == code
    assert str(caught.value).startswith(code + ": ")


def test_largest_values_are_accepted() -> None:
    largest = s_from_payload(b"\xff" * 4 + MAX_MINUTES.to_bytes(4, "big") + b"\xff" * 68)
    token = parse_label_uri(with_s(VALID, largest))
    assert token.issued_at == datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert token.certificate_code == 2**32 - 1
    assert token.kid == "ffffffff"
    assert token.signature == b"\xff" * 64
    assert token.to_uri() == with_s(VALID, largest)
    smallest = parse_label_uri(with_s(VALID, "1" + "0" * 184))
    assert smallest.issued_at == EPOCH and smallest.signature == bytes(64)


def test_length_limit_is_inclusive() -> None:
    padded = VALID + "&x=" + "1" * (MAX_URI_LENGTH - len(VALID) - 3)
    assert len(padded) == MAX_URI_LENGTH
    assert accepts(padded)
    assert reason(padded + "1") == "uri_too_long"


@pytest.mark.parametrize("value", [None, b"HTTPS://KHATEM.MA", 42, ["x"], VALID.encode()])
def test_non_string_input_is_a_format_error(value: object) -> None:
    assert reason(value) == "uri_malformed"


@pytest.mark.parametrize(
    "text",
    [
        "A" * 10_000_000,
        "\ud800" * 100_000,
        VALID + "&x" * 1_000_000,
        VALID[: Q + 3] + "1" * 5_000_000,
        "HTTPS://" + "A." * 1_000_000,
    ],
)
def test_huge_inputs_are_rejected_cheaply(text: str) -> None:
    assert reason(text) == "uri_too_long"


unicode_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=600)
uri_alphabet = st.sampled_from(
    list("0123456789ABCDEFGHJKMNPQRSTVWXYZILOUabcsz/?&=#%:.-_@[]!$'()*+,;~ S")
    + ["\ud800", "\udfff", "é", "١", "\x00", "\n", "\u200b", "Ｓ"]
)


@st.composite
def mutated_uris(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from([VALID, VALID.lower(), VALID + "&17=261231"]))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        char = draw(uri_alphabet)
        if action == "insert":
            text = text[:position] + char + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + 1 :]
        elif action == "replace":
            text = text[:position] + char + text[position + 1 :]
        else:
            text = text[:position] + text[position:] + text[position:]
    return text


def _assert_total(text: str) -> None:
    try:
        token = parse_label_uri(text)
    except LabelFormatError as error:
        assert error.code in REASON_CODES
        with pytest.raises(LabelFormatError) as again:
            parse_v1(text)  # the parser before issue 12 gave the same reason
        assert again.value.code == error.code
        return
    assert isinstance(token, LabelToken)
    assert parse_v1(text) == token
    assert parse_label_uri(token.to_uri()) == token


@given(unicode_text)
@settings(max_examples=500)
@example("\ud800")
@example("HTTPS://\udc00/01/")
def test_parsing_arbitrary_text_is_total(text: str) -> None:
    _assert_total(text)


@given(mutated_uris())
@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
def test_parsing_mutated_labels_is_total(text: str) -> None:
    _assert_total(text)


@given(st.from_regex(label_codec._URI_RE, fullmatch=True))
@settings(max_examples=300)
def test_parsing_uri_shaped_text_is_total(text: str) -> None:
    _assert_total(text)


# ---------------------------------------------------------------------- tamper evidence


@given(claims(), st.data())
@settings(max_examples=300)
def test_any_single_character_change_in_signed_parts_is_rejected(
    claim: dict[str, Any], data: st.DataObject
) -> None:
    del claim["signature"], claim["kid"]
    uri = issue_label_uri(kid=KID, sign=SIGNING_KEY.sign, **claim)
    gtin_at = uri.index("/01/") + 4
    serial_at = uri.index("/21/") + 4
    query_at = uri.index("?")
    signed_positions = [
        *range(gtin_at, gtin_at + 14),
        *range(serial_at, query_at),
        *range(query_at + 3, len(uri)),
    ]
    position = data.draw(st.sampled_from(signed_positions))
    replacement = data.draw(
        st.one_of(st.sampled_from("0123456789" + SERIAL_ALPHABET.lower()), st.characters()).filter(
            lambda c: c != uri[position]
        )
    )
    assert accepts(uri)
    assert not accepts(uri[:position] + replacement + uri[position + 1 :])


@given(claims(), st.integers(0, 8 * PAYLOAD_LENGTH - 1))
@settings(max_examples=400)
def test_any_bit_flip_in_the_payload_is_rejected(claim: dict[str, Any], bit: int) -> None:
    del claim["signature"], claim["kid"]
    uri = issue_label_uri(kid=KID, sign=SIGNING_KEY.sign, **claim)
    payload = bytearray(payload_of(uri))
    payload[bit // 8] ^= 0x80 >> (bit % 8)
    assert accepts(uri)
    assert not accepts(with_s(uri, s_from_payload(bytes(payload))))


@pytest.mark.parametrize("field", ["signature", "kid", "issued_at", "certificate_code"])
@pytest.mark.parametrize("bit", [0, 1, 7, 13, 31])
def test_bit_flips_in_token_fields_fail_verification(field: str, bit: int) -> None:
    token = parse_label_uri(issue())
    flipped: Any
    if field == "signature":
        raw = bytearray(token.signature)
        raw[bit // 8] ^= 1 << (bit % 8)
        flipped = bytes(raw)
    elif field == "kid":
        flipped = (int(token.kid, 16) ^ (1 << bit)).to_bytes(4, "big").hex()
    elif field == "issued_at":
        flipped = token.issued_at + timedelta(minutes=1 << bit) * (
            -1 if (token.issued_at - EPOCH) // timedelta(minutes=1) & (1 << bit) else 1
        )
    else:
        flipped = token.certificate_code ^ (1 << bit)
    tampered = token._replace(**{field: flipped})
    with pytest.raises(LabelSignatureError) as caught:
        verify_label_signature(tampered, PUBLIC_KEY)
    assert caught.value.code == "signature_invalid"


def test_wrong_key_fails() -> None:
    token = parse_label_uri(issue())
    with pytest.raises(LabelSignatureError):
        verify_label_signature(token, Ed25519PrivateKey.generate().public_key())
    other = Ed25519PrivateKey.generate()
    token_other = parse_label_uri(issue(signer=other))
    assert token_other.kid != token.kid
    verify_label_signature(token_other, other.public_key())
    with pytest.raises(LabelSignatureError):
        verify_label_signature(token_other, PUBLIC_KEY)


def test_hand_built_token_with_unknown_version_is_rejected() -> None:
    token = parse_label_uri(issue())._replace(version=2)
    with pytest.raises(LabelFormatError) as caught:
        verify_label_signature(token, PUBLIC_KEY)
    assert caught.value.code == "version_unsupported"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("gtin", "06111234567٨95", "gtin_malformed"),
        ("serial", "é", "serial_invalid"),
        ("serial", "X" * 300, "serial_invalid"),
        ("kid", "xyz", "kid_invalid"),
        ("kid", None, "kid_invalid"),
        ("issued_at", datetime(2025, 1, 1), "issued_at_invalid"),
        ("certificate_code", 2**32, "certificate_code_invalid"),
        ("certificate_code", "1", "certificate_code_invalid"),
    ],
)
def test_hand_built_invalid_tokens_raise_format_errors(
    field: str, value: object, code: str
) -> None:
    token = parse_label_uri(issue())._replace(**{field: cast(Any, value)})
    with pytest.raises(LabelFormatError) as caught:
        verify_label_signature(token, PUBLIC_KEY)
    assert caught.value.code == code


def test_error_hierarchy() -> None:
    assert issubclass(LabelFormatError, LabelError) and issubclass(LabelFormatError, ValueError)
    assert issubclass(LabelSignatureError, LabelError)
    assert not issubclass(LabelSignatureError, LabelFormatError)
    error = LabelFormatError("serial_invalid", "bad")
    assert (error.code, error.message, error.args) == (
        "serial_invalid",
        "bad",
        ("serial_invalid", "bad"),
    )


def test_token_is_an_immutable_named_tuple() -> None:
    token = parse_label_uri(issue())
    assert not hasattr(token, "__dict__")
    with pytest.raises(AttributeError):
        token.serial = "X"  # type: ignore[misc]
    assert token._replace(serial="X").serial == "X" != token.serial


# --------------------------------------------------------------------------- encoder


def _encode(**overrides: Any) -> str:
    arguments: dict[str, Any] = {
        "host": "KHATEM.MA",
        "gtin": GTIN_611,
        "serial": "7F3K2MQ9XB",
        "kid": KID,
        "issued_at": ISSUED,
        "certificate_code": 1,
        "signature": bytes(64),
    }
    arguments.update(overrides)
    return encode_label_uri(**arguments)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"host": "KHATEM.MA:8443"}, "host_invalid"),
        ({"host": ""}, "host_invalid"),
        ({"host": "khátem.ma"}, "host_invalid"),
        ({"host": 5}, "host_invalid"),
        ({"gtin": "0611123456"}, "gtin_malformed"),
        ({"gtin": " " + GTIN_611}, "gtin_malformed"),
        (
            {"gtin": GTIN_611[:13] + "0" if GTIN_611[13] != "0" else GTIN_611[:13] + "1"},
            "gtin_check_digit",
        ),
        ({"serial": ""}, "serial_invalid"),
        ({"serial": "abc"}, "serial_invalid"),
        ({"serial": "A" * 13}, "serial_invalid"),
        ({"kid": "21FE31DF"}, "kid_invalid"),
        ({"kid": "21fe31d"}, "kid_invalid"),
        ({"kid": bytes(4)}, "kid_invalid"),
        ({"issued_at": datetime(2025, 1, 1)}, "issued_at_invalid"),
        ({"issued_at": datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)}, "issued_at_invalid"),
        ({"issued_at": "2025-01-01T00:00Z"}, "issued_at_invalid"),
        ({"certificate_code": -1}, "certificate_code_invalid"),
        ({"certificate_code": 2**32}, "certificate_code_invalid"),
        ({"certificate_code": True}, "certificate_code_invalid"),
        ({"signature": bytes(63)}, "signature_malformed"),
        ({"signature": bytearray(64)}, "signature_malformed"),
        ({"host": "VERIFY.KHATEM.MAX"}, "label_too_large"),
        ({"host": "VERIFY.KHATEM.MA", "serial": "A" * 11}, "label_too_large"),
    ],
)
def test_encoder_rejects_bad_input(overrides: dict[str, Any], code: str) -> None:
    with pytest.raises(LabelFormatError) as caught:
        _encode(**overrides)
    assert caught.value.code == code


def test_encoder_budget_boundaries() -> None:
    assert parse_label_uri(_encode(host="VERIFY.KHATEM.MA", serial="A" * 10))
    assert parse_label_uri(_encode(host="VERIFY.KHATEM", serial="A" * 12))
    assert parse_label_uri(_encode(host="verify.khatem.ma")).host == "VERIFY.KHATEM.MA"
    assert _encode(issued_at=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))


def test_issue_label_uri_checks_the_signer_output() -> None:
    calls: list[bytes] = []

    def short_signer(message: bytes) -> bytes:
        calls.append(message)
        return bytes(32)

    with pytest.raises(LabelFormatError) as caught:
        issue_label_uri(
            host="KHATEM.MA",
            gtin=GTIN_611,
            serial="A",
            kid=KID,
            issued_at=ISSUED,
            certificate_code=1,
            sign=short_signer,
        )
    assert caught.value.code == "signature_malformed"
    assert calls == [
        claim_bytes(gtin=GTIN_611, serial="A", kid=KID, issued_at=ISSUED, certificate_code=1)
    ]
    never: Callable[[bytes], bytes] = lambda message: pytest.fail("signer called")  # noqa: E731
    with pytest.raises(LabelFormatError):
        issue_label_uri(
            host="bad host",
            gtin=GTIN_611,
            serial="A",
            kid=KID,
            issued_at=ISSUED,
            certificate_code=1,
            sign=never,
        )


# ------------------------------------------------------------ identifiers and helpers


def test_key_id() -> None:
    assert KID == "21fe31df"
    assert key_id(cast(Any, bytearray(PUBLIC_RAW))) == KID
    with pytest.raises(ValueError):
        key_id(PUBLIC_RAW[:31])
    with pytest.raises(TypeError):
        key_id(cast(Any, PUBLIC_RAW.hex()))


def test_new_serial() -> None:
    drawn = {new_serial() for _ in range(200)}
    assert len(drawn) == 200
    for serial in drawn:
        assert len(serial) == 10 and set(serial) <= set(SERIAL_ALPHABET)


def test_new_certificate_code() -> None:
    codes = {new_certificate_code() for _ in range(100)}
    assert len(codes) > 95 and all(0 <= c < 2**32 for c in codes)


@given(certificate_codes)
def test_certificate_code_text_round_trip(code: int) -> None:
    text = format_certificate_code(code)
    assert re.fullmatch(r"C-[0-3][0-9A-HJKMNP-TV-Z]{6}", text)
    assert parse_certificate_code(text) == code
    assert parse_certificate_code(text.lower()) == code
    assert parse_certificate_code(text[2:]) == code
    assert parse_certificate_code(f" {text[:5]}-{text[5:]} ") == code


def test_certificate_code_text_examples() -> None:
    assert format_certificate_code(0) == "C-0000000"
    assert format_certificate_code(2**32 - 1) == "C-3ZZZZZZ"
    assert format_certificate_code(1511506142) == "C-1D1FG6Y"
    assert parse_certificate_code("c-id1fg6y") == 1511506142  # I read as 1
    assert parse_certificate_code("C-0O0000L") == 1  # O as 0, L as 1
    assert parse_label_uri(issue(certificate_code=1511506142)).certificate_code_text == (
        "C-1D1FG6Y"
    )


@pytest.mark.parametrize(
    "text", ["", "C-", "C-4000000", "C-ZZZZZZZ", "C-1D1FG6", "C-1D1FG6YY", "C-1D1FG6U", "X-1D1FG6Y"]
)
def test_certificate_code_text_rejections(text: str) -> None:
    with pytest.raises(LabelFormatError) as caught:
        parse_certificate_code(text)
    assert caught.value.code == "certificate_code_invalid"


# ------------------------------------------------------------------------------ QR


def test_qr_modes_match_segno() -> None:
    assert QrMode.NUMERIC == segno.consts.MODE_NUMERIC
    assert QrMode.ALPHANUMERIC == segno.consts.MODE_ALPHANUMERIC
    assert QrMode.BYTE == segno.consts.MODE_BYTE


def test_qr_segments() -> None:
    uri = issue(host="VERIFY.KHATEM.MA")
    segments = qr_segments(uri)
    assert "".join(text for text, _ in segments) == uri
    assert [mode for _, mode in segments] == [2, 4, 1]
    assert all(type(mode) is int for _, mode in segments)
    assert segments[0][0] == "HTTPS://VERIFY.KHATEM.MA/01/" + GTIN_611 + "/21/7F3K2MQ9XB"
    assert segments[1][0] == "?S="
    assert len(segments[2][0]) == 185
    assert set(segments[0][0]) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    lower_host = "https://verify.khatem.ma" + uri[len("HTTPS://VERIFY.KHATEM.MA") :]
    for non_canonical in (lower_host, uri + "&17=261231"):
        with pytest.raises(LabelFormatError) as caught:
            qr_segments(non_canonical)
        assert caught.value.code == "uri_not_canonical"


def test_make_label_qr() -> None:
    uri = issue(host="VERIFY.KHATEM.MA")
    assert make_label_qr(uri).designator == "7-M"
    assert make_label_qr(uri, error="q").designator == "9-Q"
    with pytest.raises(ValueError):
        make_label_qr(uri, error=cast(Any, "h"))


# ----------------------------------------------------------------------- hygiene


def test_module_never_imports_labeling_or_private_keys() -> None:
    source = Path(label_codec.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    assert not any(name == "labeling" or name.startswith("labeling.") for name in imported)
    assert not any("PrivateKey" in name for name in imported)
    assert "PrivateKey" not in source and "private_bytes" not in source
    probe = (
        "import sys, verify.label_codec, verify.gtin\n"
        "bad = [m for m in sys.modules if m == 'segno' or m.split('.')[0] == 'labeling']\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=REPO)


def test_public_api_is_declared() -> None:
    for name in label_codec.__all__:
        assert hasattr(label_codec, name), name


# ------------------------------------------------------------- spec worked examples


def spec_blocks(kind: str) -> dict[str, str]:
    """Fenced blocks of the spec preceded by ``<!-- khatem:{kind} N -->``, by N."""
    text = SPEC.read_text(encoding="utf-8")
    pattern = rf"<!-- khatem:{kind} (\d+) -->\n```text\n(.*?)```"
    return {number: body for number, body in re.findall(pattern, text, re.DOTALL)}


def example_values(body: str) -> dict[str, str]:
    values: dict[str, str] = {}
    last = ""
    for line in body.splitlines():
        if line.startswith(" "):
            values[last] += line.strip()
        else:
            last, value = line.split(None, 1)
            values[last] = value.strip()
    return values


def test_spec_has_worked_examples() -> None:
    assert len(spec_blocks("example")) >= 2
    assert set(spec_blocks("signed-bytes")) <= set(spec_blocks("example"))
    assert spec_blocks("payload")


@pytest.mark.parametrize("number", sorted(spec_blocks("example")))
def test_spec_worked_example_matches_the_codec(number: str) -> None:
    ex = example_values(spec_blocks("example")[number])
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(ex["secret_key"]))
    public = key.public_key().public_bytes_raw()
    assert public.hex() == ex["public_key"]
    assert key_id(public) == ex["kid"]
    issued_at = datetime.strptime(ex["issued_at"], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    assert (issued_at - EPOCH) // timedelta(minutes=1) == int(ex["issued_at_minutes"])
    code = int(ex["certificate_code"])
    assert format_certificate_code(code) == ex["certificate_text"]
    fields: dict[str, Any] = {
        "gtin": ex["gtin"],
        "serial": ex["serial"],
        "kid": ex["kid"],
        "issued_at": issued_at,
        "certificate_code": code,
    }
    message = claim_bytes(**fields)
    assert message.hex() == ex["signed_bytes"]
    assert key.sign(message).hex() == ex["signature"]
    uri = issue_label_uri(host=ex["host"], sign=key.sign, **fields)
    assert uri == ex["uri"]
    assert uri.split("?S=")[1] == ex["s_value"]
    assert payload_of(uri).hex() == ex["payload"]
    token = parse_label_uri(uri)
    verify_label_signature(token, key.public_key())
    assert make_label_qr(uri).designator == ex["qr_version_m"]
    assert make_label_qr(uri, error="q").designator == ex["qr_version_q"]


def _check_breakdown(body: str, whole: bytes) -> None:
    rows = body.splitlines()[1:]
    offset = 0
    for row in rows:
        start, length, *_, hex_value = row.split()
        assert int(start) == offset, row
        assert len(bytes.fromhex(hex_value)) == int(length), row
        assert whole[offset : offset + int(length)].hex() == hex_value, row
        offset += int(length)
    assert offset == len(whole)


@pytest.mark.parametrize("number", sorted(spec_blocks("signed-bytes")))
def test_spec_byte_breakdowns_are_consistent(number: str) -> None:
    ex = example_values(spec_blocks("example")[number])
    _check_breakdown(spec_blocks("signed-bytes")[number], bytes.fromhex(ex["signed_bytes"]))
    _check_breakdown(spec_blocks("payload")[number], bytes.fromhex(ex["payload"]))


def test_spec_overview_uri_is_example_one() -> None:
    text = SPEC.read_text(encoding="utf-8")
    found = re.search(r"wrapped here\):\n\n```\n(.*?)```", text, re.DOTALL)
    assert found is not None
    assert found.group(1).replace("\n", "") == example_values(spec_blocks("example")["1"])["uri"]


def test_spec_lists_every_reason_code() -> None:
    text = SPEC.read_text(encoding="utf-8")
    section = text[text.index("## 9. Reason codes") : text.index("## 10.")]
    listed = set(re.findall(r"^\| `([a-z_0-9]+)` \|", section, re.MULTILINE))
    assert REASON_CODES <= listed
    verifier_only = listed - REASON_CODES
    assert verifier_only == {
        "key_unknown",
        "key_compromised",
        "key_not_yet_valid",
        "key_retired",
        "issued_at_future",
    }
