"""Tests for verify.checkpoint: C2SP signed notes, checkpoints and vkeys."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.checkpoint import (
    MAX_NOTE_BYTES,
    MAX_SIGNATURES,
    MAX_TREE_SIZE,
    Checkpoint,
    CheckpointError,
    NoteSignature,
    VerifierKey,
    build_checkpoint,
    encode_vkey,
    key_hash,
    open_note,
    parse_checkpoint,
    parse_vkey,
    sign_note,
    verify_checkpoint,
)

ORIGIN = "khatem.example/log"
ROOT = hashlib.sha256(b"a root").digest()
ROOT_B64 = base64.b64encode(ROOT).decode()
LOG_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
LOG_PUB = LOG_KEY.public_key().public_bytes_raw()
LOG_VKEY = VerifierKey(ORIGIN, LOG_PUB)


def _build(
    tree_size: int = 5, extensions: tuple[str, ...] = (), key: Ed25519PrivateKey = LOG_KEY
) -> str:
    return build_checkpoint(
        origin=ORIGIN,
        tree_size=tree_size,
        root_hash=ROOT,
        sign=key.sign,
        key_name=ORIGIN,
        public_key=key.public_key(),
        extensions=extensions,
    )


def _signed(body: str, key: Ed25519PrivateKey = LOG_KEY, name: str = ORIGIN) -> str:
    """Sign any body, even a malformed checkpoint, so only the parser can reject it."""
    return sign_note(body, sign=key.sign, key_name=name, public_key=key.public_key())


def _line(name: str, hash4: bytes, signature: bytes) -> str:
    return f"\u2014 {name} {base64.b64encode(hash4 + signature).decode()}\n"


# Key IDs and vkeys.


def test_key_hash_follows_the_spec_formula() -> None:
    by_hand = hashlib.sha256(ORIGIN.encode() + b"\x0a" + b"\x01" + LOG_PUB).digest()[:4]
    assert key_hash(ORIGIN, LOG_PUB) == by_hand
    assert key_hash(ORIGIN, LOG_KEY.public_key()) == by_hand
    assert LOG_VKEY.key_hash == by_hand
    material = base64.b64encode(b"\x01" + LOG_PUB).decode()
    assert encode_vkey(ORIGIN, LOG_PUB) == f"{ORIGIN}+{by_hand.hex()}+{material}"
    assert parse_vkey(encode_vkey(ORIGIN, LOG_PUB)) == LOG_VKEY


# Known answers from golang.org/x/mod/sumdb/note (note_test.go and its package example).
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SKEY_MATERIAL = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_go_note_known_answers() -> None:
    key = parse_vkey(GO_VKEY)
    assert key.name == "PeterNeumann" and key.key_hash.hex() == "c74f20a3"
    assert parse_vkey("EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop")
    assert encode_vkey(key.name, key.public_key) == GO_VKEY
    assert open_note(GO_NOTE, verifier_keys=[key]) == GO_TEXT
    assert open_note(GO_NOTE.encode(), verifier_keys=[key]) == GO_TEXT
    with pytest.raises(CheckpointError, match="does not verify"):
        open_note(GO_NOTE.replace("cryptography", "cryptographY"), verifier_keys=[key])
    # Ed25519 is deterministic, so signing the same text with the Go key gives the same note.
    seed = base64.b64decode(GO_SKEY_MATERIAL)[1:]
    signer = Ed25519PrivateKey.from_private_bytes(seed)
    note = sign_note(GO_TEXT, sign=signer.sign, key_name="PeterNeumann", public_key=key.public_key)
    assert note == GO_NOTE


@pytest.mark.parametrize(
    "vkey",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # Wrong key ID.
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # Upper-case hex.
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # Short key ID.
        "PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # Type 0x02.
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10",  # Bad base64.
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy",  # Short key.
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # Space.
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # Empty name.
        "PeterNeumann+c74f20a3",  # Missing key.
    ],
)
def test_parse_vkey_rejects(vkey: str) -> None:
    with pytest.raises(CheckpointError):
        parse_vkey(vkey)


# Building, parsing and verifying.


def test_checkpoint_text_is_exactly_the_c2sp_format() -> None:
    body = f"{ORIGIN}\n5\n{ROOT_B64}\n"
    signature = LOG_KEY.sign(body.encode())
    assert _build() == f"{body}\n{_line(ORIGIN, LOG_VKEY.key_hash, signature)}"


def test_round_trip() -> None:
    text = _build(tree_size=123, extensions=("Timestamp: 1700000000", "ext two"))
    expected = Checkpoint(
        ORIGIN,
        123,
        ROOT,
        ("Timestamp: 1700000000", "ext two"),
        (
            NoteSignature(
                ORIGIN, LOG_VKEY.key_hash, LOG_KEY.sign(text.split("\n\n")[0].encode() + b"\n")
            ),
        ),
    )
    assert parse_checkpoint(text) == expected
    assert verify_checkpoint(text, verifier_keys=[LOG_VKEY], origin=ORIGIN) == expected
    assert verify_checkpoint(text.encode(), verifier_keys=[LOG_VKEY]) == expected


@pytest.mark.parametrize("size", [0, 1, MAX_TREE_SIZE])
def test_tree_size_limits_round_trip(size: int) -> None:
    assert verify_checkpoint(_build(tree_size=size), verifier_keys=[LOG_VKEY]).tree_size == size


printable_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
)


@given(
    origin=printable_line,
    size=st.integers(min_value=0, max_value=MAX_TREE_SIZE),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(printable_line, max_size=3),
)
@settings(max_examples=50, deadline=None)
def test_round_trip_property(origin: str, size: int, root: bytes, extensions: list[str]) -> None:
    text = build_checkpoint(
        origin=origin,
        tree_size=size,
        root_hash=root,
        sign=LOG_KEY.sign,
        key_name=ORIGIN,
        public_key=LOG_PUB,
        extensions=extensions,
    )
    cp = verify_checkpoint(text, verifier_keys=[LOG_VKEY], origin=origin)
    assert (cp.origin, cp.tree_size, cp.root_hash, cp.extensions) == (
        origin,
        size,
        root,
        tuple(extensions),
    )


# Malformed bodies, each correctly signed: the parser alone must reject them.
GOOD_BODY = f"{ORIGIN}\n5\n{ROOT_B64}\n"
URL_SAFE_ROOT = base64.urlsafe_b64encode(b"\xfb" * 32).decode()
# The last base64 digit of 32 bytes carries two unused bits; setting one keeps the same bytes.
B64_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
NONCANONICAL_ROOT = ROOT_B64[:-2] + B64_DIGITS[B64_DIGITS.index(ROOT_B64[-2]) | 1] + "="
BAD_BODIES = {
    "size-leading-zero": (f"{ORIGIN}\n05\n{ROOT_B64}\n", "canonical decimal"),
    "size-plus-sign": (f"{ORIGIN}\n+5\n{ROOT_B64}\n", "canonical decimal"),
    "size-minus": (f"{ORIGIN}\n-5\n{ROOT_B64}\n", "canonical decimal"),
    "size-space": (f"{ORIGIN}\n 5\n{ROOT_B64}\n", "canonical decimal"),
    "size-underscore": (f"{ORIGIN}\n5_0\n{ROOT_B64}\n", "canonical decimal"),
    "size-arabic-indic-digit": (f"{ORIGIN}\n\u0665\n{ROOT_B64}\n", "canonical decimal"),
    "size-hex": (f"{ORIGIN}\n0x5\n{ROOT_B64}\n", "canonical decimal"),
    "size-over-64-bits": (f"{ORIGIN}\n{MAX_TREE_SIZE + 1}\n{ROOT_B64}\n", "64 bits"),
    "root-bad-character": (f"{ORIGIN}\n5\n{ROOT_B64[:-2]}!=\n", "not valid base64"),
    "root-no-padding": (f"{ORIGIN}\n5\n{ROOT_B64.rstrip('=')}\n", "not valid base64"),
    "root-url-safe": (f"{ORIGIN}\n5\n{URL_SAFE_ROOT}\n", "not valid base64"),
    "root-noncanonical-bits": (f"{ORIGIN}\n5\n{NONCANONICAL_ROOT}\n", "canonical"),
    "root-31-bytes": (f"{ORIGIN}\n5\n{base64.b64encode(ROOT[:31]).decode()}\n", "31 bytes"),
    "root-33-bytes": (f"{ORIGIN}\n5\n{base64.b64encode(ROOT + b'x').decode()}\n", "33 bytes"),
    "two-lines": (f"{ORIGIN}\n5\n", "needs origin"),
    "empty-origin": (f"\n5\n{ROOT_B64}\n", "non-empty"),
    "empty-extension": (f"{GOOD_BODY}\nafter-empty\n", "non-empty"),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_malformed_body_rejected(name: str) -> None:
    body, message = BAD_BODIES[name]
    note = _signed(body)
    with pytest.raises(CheckpointError, match=message):
        verify_checkpoint(note, verifier_keys=[LOG_VKEY])
    with pytest.raises(CheckpointError, match=message):
        parse_checkpoint(note)


GOOD = _build()
GOOD_SIG_LINE = GOOD.split("\n\n")[1]
UNKNOWN_LINE = _line("someone.else/witness", b"\x01\x02\x03\x04", b"\x00" * 64)
BAD_NOTES: dict[str, tuple[Callable[[], str | bytes], str]] = {
    "missing-blank-line": (lambda: GOOD.replace("\n\n", "\n"), "no blank line"),
    "no-signatures": (lambda: GOOD_BODY + "\n", "no signature lines"),
    "no-final-newline": (lambda: GOOD[:-1], "no signature lines"),
    "crlf": (lambda: GOOD.replace("\n", "\r\n"), "control character"),
    "cr-in-origin": (lambda: GOOD.replace(ORIGIN, ORIGIN + "\r", 1), "control character"),
    "tab": (lambda: GOOD.replace(ORIGIN, ORIGIN + "\t", 1), "control character"),
    "nul": (lambda: GOOD.replace(ORIGIN, ORIGIN + "\x00", 1), "control character"),
    "not-utf8": (lambda: GOOD.encode().replace(b"khatem", b"kh\xe2tem", 1), "not valid UTF-8"),
    "lone-surrogate": (lambda: GOOD.replace(ORIGIN, ORIGIN + "\ud800", 1), "surrogate"),
    "hyphen-not-em-dash": (lambda: GOOD.replace("\u2014", "-"), "em dash"),
    "en-dash": (lambda: GOOD.replace("\u2014", "\u2013"), "em dash"),
    "no-space-after-dash": (lambda: GOOD.replace("\u2014 ", "\u2014"), "em dash"),
    "trailing-garbage-line": (lambda: GOOD + "garbage\n", "em dash"),
    "name-with-plus": (lambda: GOOD + _line("a+b", b"\x00" * 4, b"\x00" * 64), "key name"),
    "empty-name": (lambda: GOOD + _line("", b"\x00" * 4, b"\x00" * 64), "key name"),
    "signature-too-short": (lambda: GOOD + _line("x", b"\x00" * 4, b""), "too short"),
    "signature-bad-base64": (lambda: GOOD + "\u2014 x AAAA!AAA\n", "base64"),
    "tampered-root": (
        lambda: GOOD.replace(ROOT_B64, base64.b64encode(ROOT[::-1]).decode()),
        "does not verify",
    ),
    "tampered-size": (lambda: GOOD.replace("\n5\n", "\n6\n"), "does not verify"),
    "flipped-signature-bit": (
        lambda: (
            GOOD_BODY
            + "\n"
            + _line(
                ORIGIN,
                LOG_VKEY.key_hash,
                bytes([LOG_KEY.sign(GOOD_BODY.encode())[0] ^ 1])
                + LOG_KEY.sign(GOOD_BODY.encode())[1:],
            )
        ),
        "does not verify",
    ),
    "known-key-wrong-length": (
        lambda: GOOD_BODY + "\n" + _line(ORIGIN, LOG_VKEY.key_hash, b"\x00" * 63),
        "wrong length",
    ),
    "known-key-id-other-key-signature": (
        lambda: (
            GOOD_BODY + "\n" + _line(ORIGIN, LOG_VKEY.key_hash, OTHER_KEY.sign(GOOD_BODY.encode()))
        ),
        "does not verify",
    ),
    "bad-known-signature-beside-good": (
        lambda: GOOD + _line(ORIGIN, LOG_VKEY.key_hash, b"\x00" * 64),
        "does not verify",
    ),
    "signed-by-other-key-same-name": (lambda: _build(key=OTHER_KEY), "no signature by a known"),
    "only-unknown-signatures": (lambda: GOOD_BODY + "\n" + UNKNOWN_LINE, "no signature by a known"),
    "too-many-signatures": (lambda: GOOD + UNKNOWN_LINE * MAX_SIGNATURES, "more than 100"),
    "oversized": (
        lambda: _signed(GOOD_BODY + "x" * MAX_NOTE_BYTES + "\n"),
        "larger than",
    ),
    "oversized-bytes": (
        lambda: _signed(GOOD_BODY + "x" * MAX_NOTE_BYTES + "\n").encode(),
        "larger than",
    ),
    "oversized-multibyte": (
        # Under the limit in characters, over it in UTF-8 bytes.
        lambda: _signed(GOOD_BODY + "\u2d5c" * (MAX_NOTE_BYTES // 2) + "\n"),
        "larger than",
    ),
}


@pytest.mark.parametrize("name", BAD_NOTES)
def test_malformed_note_rejected(name: str) -> None:
    make, message = BAD_NOTES[name]
    note = make()
    with pytest.raises(CheckpointError, match=message):
        verify_checkpoint(note, verifier_keys=[LOG_VKEY])


def test_origin_mismatch_rejected() -> None:
    with pytest.raises(CheckpointError, match="origin"):
        verify_checkpoint(GOOD, verifier_keys=[LOG_VKEY], origin="khatem.example/other-log")


def test_no_trusted_keys_rejected() -> None:
    with pytest.raises(CheckpointError, match="no signature by a known key"):
        verify_checkpoint(GOOD, verifier_keys=[])


def test_signature_by_a_different_key_rejected() -> None:
    other_vkey = VerifierKey("khatem.example/other", OTHER_KEY.public_key().public_bytes_raw())
    note = _build(key=OTHER_KEY)
    with pytest.raises(CheckpointError, match="no signature by a known key"):
        verify_checkpoint(note, verifier_keys=[LOG_VKEY, other_vkey])


def test_unknown_key_signatures_are_ignored() -> None:
    witness = Ed25519PrivateKey.from_private_bytes(b"\x07" * 32)
    cosigned = GOOD + _line(
        "witness.example/w1",
        key_hash("witness.example/w1", witness.public_key()),
        witness.sign(GOOD_BODY.encode()),
    )
    # Same name as the log key but another key ID: unknown, so ignored even though it is junk.
    noted = cosigned + _line(ORIGIN, b"\xff\xff\xff\xff", b"\x00" * 64) + UNKNOWN_LINE
    cp = verify_checkpoint(noted, verifier_keys=[LOG_VKEY], origin=ORIGIN)
    assert cp.tree_size == 5 and len(cp.signatures) == 4
    # A second trusted key that signed is checked too, and either key alone suffices.
    witness_vkey = VerifierKey("witness.example/w1", witness.public_key().public_bytes_raw())
    verify_checkpoint(noted, verifier_keys=[LOG_VKEY, witness_vkey])
    verify_checkpoint(noted, verifier_keys=[witness_vkey])


def test_limits_are_inclusive() -> None:
    filler = UNKNOWN_LINE * (MAX_SIGNATURES - 1)
    assert verify_checkpoint(GOOD + filler, verifier_keys=[LOG_VKEY]).tree_size == 5
    # Pad an extension so the whole note is exactly MAX_NOTE_BYTES long.
    overhead = len(_signed(GOOD_BODY + "x\n").encode()) - 1
    note = _signed(GOOD_BODY + "x" * (MAX_NOTE_BYTES - overhead) + "\n")
    assert len(note.encode()) == MAX_NOTE_BYTES
    verify_checkpoint(note, verifier_keys=[LOG_VKEY])
    verify_checkpoint(note.encode(), verifier_keys=[LOG_VKEY])


def test_build_rejects_bad_input() -> None:
    def build(**overrides: object) -> str:
        args: dict[str, object] = {
            "origin": ORIGIN,
            "tree_size": 5,
            "root_hash": ROOT,
            "sign": LOG_KEY.sign,
            "key_name": ORIGIN,
            "public_key": LOG_PUB,
        }
        args.update(overrides)
        return build_checkpoint(**args)  # type: ignore[arg-type]

    assert build() == GOOD
    cases: list[tuple[dict[str, object], str]] = [
        ({"sign": OTHER_KEY.sign}, "does not verify"),
        ({"root_hash": ROOT[:31]}, "31 bytes"),
        ({"tree_size": -1}, "64-bit"),
        ({"tree_size": MAX_TREE_SIZE + 1}, "64-bit"),
        ({"origin": ""}, "non-empty"),
        ({"origin": "a\nb"}, "single lines"),
        ({"extensions": [""]}, "non-empty"),
        ({"origin": "tab\there"}, "control character"),
        ({"key_name": "has space"}, "key name"),
        ({"key_name": "has+plus"}, "key name"),
        ({"public_key": LOG_PUB[:31]}, "32 bytes"),
    ]
    for overrides, message in cases:
        with pytest.raises(CheckpointError, match=message):
            build(**overrides)


def test_sign_note_requires_final_newline() -> None:
    with pytest.raises(CheckpointError, match="newline"):
        _signed("no newline")
