"""Verify Khatem labels from docs/label-format.md alone, with a second Ed25519 library.

Everything needed to verify a label (URI parsing, the S payload layout, the signed-message
layout, the key id and the trust-list key encoding) is re-implemented here, inline, from
the spec text, and signatures are checked with PyNaCl (libsodium) instead of
``cryptography`` (OpenSSL). ``verify.label_codec`` is used only to *produce* labels.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypedDict

import nacl.exceptions
import nacl.signing
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Label *production* only.
from verify.label_codec import claim_bytes, encode_label_uri, issue_label_uri

SPEC = Path(__file__).resolve().parents[2] / "docs" / "label-format.md"

# --------------------------------------------------------------- spec, section 3.1 + 3.7

_URI = re.compile(
    r"(?P<scheme>[Hh][Tt][Tt][Pp][Ss])://(?P<host>[^/?#]*)(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?(?P<fragment>#.*)?"
)
_HOST_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_PATH = re.compile(r"/01/(?P<gtin>[0-9]{14})/21/(?P<serial>[0-9A-HJKMNP-TV-Z]{1,12})")
_ALLOWED = set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&'()*+,;=%"
)


class Rejected(Exception):
    pass


@dataclass(frozen=True)
class Claim:
    gtin: str
    serial: str
    kid: bytes
    issued_at_minutes: int
    certificate_code: int
    signature: bytes
    message: bytes


def spec_parse(uri: str) -> Claim:
    """Section 3.7, steps 1-11, then section 5 to rebuild the signed message."""
    if len(uri) > 512 or not set(uri) <= _ALLOWED:
        raise Rejected("characters / length")
    if re.search(r"%(?![0-9A-Fa-f]{2})", uri):
        raise Rejected("percent-encoding")
    parts = _URI.fullmatch(uri)
    if parts is None or parts["fragment"] is not None:
        raise Rejected("not https / fragment")
    host = parts["host"]
    if len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in host.split(".")):
        raise Rejected("host")
    path = _PATH.fullmatch(parts["path"])
    if path is None:
        raise Rejected("path / gtin / serial")
    gtin, serial = path["gtin"], path["serial"]
    digits = [int(c) for c in gtin]
    if (3 * sum(digits[0::2]) + sum(digits[1::2])) % 10 != 0:
        raise Rejected("gtin check digit")
    s_values = [
        p.partition("=")[2] for p in (parts["query"] or "").split("&") if p.partition("=")[0] == "S"
    ]
    if len(s_values) != 1:
        raise Rejected("S missing or duplicated")
    s = s_values[0]
    if not re.fullmatch(r"1[0-9]{184}", s):
        raise Rejected("S malformed or other version")
    number = int(s[1:])
    if number >= 2**608:
        raise Rejected("S too large")
    payload = number.to_bytes(76, "big")
    kid, issued_at, code, signature = payload[0:4], payload[4:8], payload[8:12], payload[12:76]
    # Section 5: the signed message.
    message = (
        b"KHATEM-LABEL"
        + bytes([0x01, 0x01])
        + gtin.encode("ascii")
        + bytes([len(serial)])
        + serial.encode("ascii")
        + kid
        + issued_at
        + code
    )
    return Claim(
        gtin=gtin,
        serial=serial,
        kid=kid,
        issued_at_minutes=int.from_bytes(issued_at, "big"),
        certificate_code=int.from_bytes(code, "big"),
        signature=signature,
        message=message,
    )


def spec_verify(uri: str, trust_list: list[dict[str, str]]) -> Claim:
    """Section 7 steps 1-3 and 7 (no time-based key rules in these tests)."""
    claim = spec_parse(uri)
    matches = [
        jwk
        for jwk in trust_list
        if jwk.get("kty") == "OKP"
        and jwk.get("crv") == "Ed25519"
        and jwk.get("kid") == claim.kid.hex()
    ]
    if len(matches) != 1:
        raise Rejected("key_unknown")
    x = matches[0]["x"]
    raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
    if len(raw) != 32 or hashlib.sha256(raw).digest()[:4] != claim.kid:
        raise Rejected("key_unknown")
    try:
        nacl.signing.VerifyKey(raw).verify(claim.message, claim.signature)
    except nacl.exceptions.BadSignatureError:
        raise Rejected("signature_invalid") from None
    return claim


def jwk_for(public_raw: bytes) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": base64.urlsafe_b64encode(public_raw).rstrip(b"=").decode("ascii"),
        "kid": hashlib.sha256(public_raw).digest()[:4].hex(),
    }


# ------------------------------------------------------------------ label production

SIGNER = Ed25519PrivateKey.generate()
SIGNER_RAW = SIGNER.public_key().public_bytes_raw()
NACL_SIGNER = nacl.signing.SigningKey.generate()
NACL_RAW = bytes(NACL_SIGNER.verify_key)
TRUST_LIST = [jwk_for(SIGNER_RAW), jwk_for(NACL_RAW), {"kty": "RSA", "kid": "00000000"}]
SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _with_check(body: str) -> str:
    digits = [int(c) for c in reversed(body)]
    total = 3 * sum(digits[0::2]) + sum(digits[1::2])
    return body + str((10 - total % 10) % 10)


class ClaimArgs(TypedDict):
    host: str
    gtin: str
    serial: str
    issued_at: datetime
    certificate_code: int


def random_claim(rng: random.Random) -> ClaimArgs:
    kind = rng.randrange(3)
    if kind == 0:
        gtin = "0" + _with_check("611" + "".join(rng.choices("0123456789", k=9)))
    elif kind == 1:
        gtin = _with_check("0049" + "".join(rng.choices("0123456789", k=9)))
    else:
        gtin = _with_check("".join(rng.choices("0123456789", k=13)))
    serial = "".join(rng.choices(SERIAL_ALPHABET, k=rng.randint(1, 12)))
    return {
        "host": rng.choice(["KHATEM.MA", "VERIFY.KHATEM", "k.ma"]),
        "gtin": gtin,
        "serial": serial,
        "issued_at": datetime(1970, 1, 1, tzinfo=UTC)
        + timedelta(minutes=rng.randrange(0, 4_223_371_680)),
        "certificate_code": rng.randrange(2**32),
    }


def produce_openssl(claim: ClaimArgs) -> str:
    """Signed by the codec's own path (``cryptography``/OpenSSL signer callback)."""
    kid = hashlib.sha256(SIGNER_RAW).digest()[:4].hex()
    return issue_label_uri(kid=kid, sign=SIGNER.sign, **claim)


def produce_nacl(claim: ClaimArgs) -> str:
    """Claim bytes from the codec, signature from libsodium, URI from the codec."""
    kid = hashlib.sha256(NACL_RAW).digest()[:4].hex()
    message = claim_bytes(
        gtin=claim["gtin"],
        serial=claim["serial"],
        kid=kid,
        issued_at=claim["issued_at"],
        certificate_code=claim["certificate_code"],
    )
    return encode_label_uri(kid=kid, signature=NACL_SIGNER.sign(message).signature, **claim)


# ------------------------------------------------------------------------------ tests


@pytest.mark.parametrize("produce", [produce_openssl, produce_nacl])
def test_codec_labels_verify_from_the_spec_alone(produce: Callable[[ClaimArgs], str]) -> None:
    rng = random.Random(20250314)
    for _ in range(300):
        claim = random_claim(rng)
        uri = produce(claim)
        verified = spec_verify(uri, TRUST_LIST)
        assert verified.gtin == claim["gtin"]
        assert verified.serial == claim["serial"]
        assert verified.issued_at_minutes * 60 == int(claim["issued_at"].timestamp())
        assert verified.certificate_code == claim["certificate_code"]
        # phones lower-case the host; GS1 attributes may be appended
        host = claim["host"]
        assert uri.startswith("HTTPS://" + host.upper() + "/")
        lowered = "https://" + host.lower() + uri[len("HTTPS://") + len(host) :] + "&17=261231"
        assert spec_verify(lowered, TRUST_LIST) == verified


def test_tampered_labels_fail_independently() -> None:
    rng = random.Random(7)
    rejected = 0
    for _ in range(200):
        uri = produce_openssl(random_claim(rng))
        gtin_at = uri.index("/01/") + 4
        query_at = uri.index("?")
        position = rng.choice(
            [
                *range(gtin_at, gtin_at + 14),
                *range(query_at - 1, query_at),
                *range(query_at + 4, len(uri)),
            ]
        )
        original = uri[position]
        replacement = rng.choice([c for c in "0123456789ABCDEFGHJKMNPQRSTVWXYZ" if c != original])
        tampered = uri[:position] + replacement + uri[position + 1 :]
        with pytest.raises(Rejected):
            spec_verify(tampered, TRUST_LIST)
        rejected += 1
    assert rejected == 200


def test_unknown_key_is_rejected() -> None:
    uri = produce_openssl(random_claim(random.Random(1)))
    with pytest.raises(Rejected, match="key_unknown"):
        spec_verify(uri, [jwk_for(NACL_RAW)])
    forged = dict(jwk_for(NACL_RAW), kid=jwk_for(SIGNER_RAW)["kid"])  # kid does not match x
    with pytest.raises(Rejected, match="key_unknown"):
        spec_verify(uri, [forged])


# ----------------------------------------------------------- the spec's worked examples


def _spec_examples() -> list[dict[str, str]]:
    text = SPEC.read_text(encoding="utf-8")
    examples = []
    for body in re.findall(r"<!-- khatem:example \d+ -->\n```text\n(.*?)```", text, re.DOTALL):
        values: dict[str, str] = {}
        last = ""
        for line in body.splitlines():
            if line.startswith(" "):
                values[last] += line.strip()
            else:
                last, value = line.split(None, 1)
                values[last] = value.strip()
        examples.append(values)
    return examples


@pytest.mark.parametrize("example", _spec_examples(), ids=lambda ex: ex["host"])
def test_spec_examples_verify_with_pynacl(example: dict[str, str]) -> None:
    # The secret key yields the published public key (RFC 8032 TEST 1) under libsodium too.
    seed_key = nacl.signing.SigningKey(bytes.fromhex(example["secret_key"]))
    assert bytes(seed_key.verify_key).hex() == example["public_key"]
    public_raw = bytes.fromhex(example["public_key"])
    jwk = jwk_for(public_raw)
    assert jwk["x"] == example["public_key_b64url"]
    assert jwk["kid"] == example["kid"]

    claim = spec_verify(example["uri"], [jwk])
    assert claim.message.hex() == example["signed_bytes"]
    assert claim.signature.hex() == example["signature"]
    assert claim.gtin == example["gtin"] and claim.serial == example["serial"]
    assert claim.kid.hex() == example["kid"]
    assert claim.certificate_code == int(example["certificate_code"])
    assert claim.issued_at_minutes == int(example["issued_at_minutes"])
    issued = datetime.strptime(example["issued_at"], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    assert claim.issued_at_minutes * 60 == int(issued.timestamp())
    payload = claim.kid + claim.issued_at_minutes.to_bytes(4, "big")
    payload += claim.certificate_code.to_bytes(4, "big") + claim.signature
    assert payload.hex() == example["payload"]
    assert "1" + str(int.from_bytes(payload, "big")).rjust(184, "0") == example["s_value"]
    # Ed25519 is deterministic: libsodium reproduces the published signature.
    assert seed_key.sign(claim.message).signature.hex() == example["signature"]
