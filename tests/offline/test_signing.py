"""The root-signed documents' signature checks and base64url decoding, pinned message by message.

The trust list and the status snapshots share their checks (:mod:`verify.signing`) but keep
their own error classes and wording; these tests pin both, input by input, including the
strict base64url edges (padding, non-URL-safe characters, non-canonical trailing bits).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.offline.simulator import Registry
from verify.snapshot import SnapshotError, verify_label_status_snapshot
from verify.trust_list import TrustListError, sign_trust_list, verify_trust_list

REGISTRY = Registry()
REGISTRY.set_status("8G4M3NQ0YC", "revoked", "lost_or_stolen")
TRUST_LIST: dict[str, Any] = json.loads(REGISTRY.trust_list())
LABELS: dict[str, Any] = json.loads(REGISTRY.label_snapshot())

BAD_FORM = "signature sig is not base64url without padding"
BAD_B64 = "signature sig is not valid base64url"
TL_SIZE = "signature sig must be the canonical encoding of 64 bytes"
TL_BAD_SIG = "trust list signature does not verify"
SN_SIZE = "signature sig must be 64 bytes"
SN_CANONICAL = "signature sig is not canonical base64url"
SN_BAD_SIG = "snapshot signature does not verify under the root key"


def _encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _copy(document: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(document))
    return copied


def _refusal(verify: Callable[[], object]) -> tuple[type[Exception], str]:
    with pytest.raises(Exception) as caught:
        verify()
    return type(caught.value), str(caught.value)


def _trust_list(document: dict[str, Any], root: bytes | None = None) -> object:
    return verify_trust_list(_encode(document), root_public_key=root or REGISTRY.root_public)


def _labels(document: dict[str, Any], root: bytes | None = None) -> object:
    raw = _encode(document)
    return verify_label_status_snapshot(raw, root_public_key=root or REGISTRY.root_public)


@pytest.mark.parametrize(
    ("sig", "trust_list_message", "snapshot_message"),
    [
        (None, BAD_FORM, BAD_FORM),
        (123, BAD_FORM, BAD_FORM),
        ("", TL_SIZE, SN_SIZE),
        ("A" * 84, TL_SIZE, SN_SIZE),  # 63 bytes
        ("A" * 85, BAD_B64, BAD_B64),  # one more than a multiple of 4
        ("A" * 86, TL_BAD_SIG, SN_BAD_SIG),  # 64 zero bytes: well formed, wrong
        ("A" * 85 + "B", TL_SIZE, SN_CANONICAL),  # trailing bits set
        ("A" * 85 + "Q", TL_BAD_SIG, SN_BAD_SIG),
        ("A" * 86 + "==", BAD_FORM, BAD_FORM),  # padding
        ("A" * 87, TL_SIZE, SN_SIZE),  # 65 bytes
        ("A" * 88, TL_SIZE, SN_SIZE),  # 66 bytes
        ("A" * 84 + "+A", BAD_FORM, BAD_FORM),  # standard alphabet
        ("A" * 84 + "/A", BAD_FORM, BAD_FORM),
        ("A" * 85 + "\n", BAD_FORM, BAD_FORM),
        ("A" * 84 + "\u00e9", BAD_FORM, BAD_FORM),
        ("A" * 42 + " " + "A" * 43, BAD_FORM, BAD_FORM),
        ("A" * 84 + "-_", TL_SIZE, SN_CANONICAL),
    ],
)
def test_the_signature_value_is_decoded_strictly(
    sig: object, trust_list_message: str, snapshot_message: str
) -> None:
    trust_list, labels = _copy(TRUST_LIST), _copy(LABELS)
    trust_list["signature"]["sig"] = labels["signature"]["sig"] = sig
    assert _refusal(lambda: _trust_list(trust_list)) == (TrustListError, trust_list_message)
    assert _refusal(lambda: _labels(labels)) == (SnapshotError, snapshot_message)


SHAPE = "signature must be an object with alg, kid and sig"


@pytest.mark.parametrize(
    ("mutate", "trust_list_message", "snapshot_message"),
    [
        (lambda d: d.pop("signature"), SHAPE, SHAPE),
        (lambda d: d.__setitem__("signature", []), SHAPE, SHAPE),
        (lambda d: d["signature"].__setitem__("x", 1), SHAPE, SHAPE),
        (lambda d: d["signature"].pop("kid"), SHAPE, SHAPE),
        (
            lambda d: d["signature"].__setitem__("alg", "RS256"),
            "signature alg must be EdDSA",
            "signature alg must be EdDSA",
        ),
        (
            lambda d: d["signature"].__setitem__("kid", "00000000"),
            "trust list is not signed by the pinned root key",
            "snapshot is not signed by the pinned root key",
        ),
    ],
)
def test_the_signature_member_is_checked_in_order(
    mutate: Callable[[dict[str, Any]], object], trust_list_message: str, snapshot_message: str
) -> None:
    trust_list, labels = _copy(TRUST_LIST), _copy(LABELS)
    mutate(trust_list)
    mutate(labels)
    assert _refusal(lambda: _trust_list(trust_list)) == (TrustListError, trust_list_message)
    assert _refusal(lambda: _labels(labels)) == (SnapshotError, snapshot_message)


def test_a_root_key_of_the_wrong_length_is_refused_after_the_alg_check() -> None:
    short = bytes(31)
    for verify, document in ((_trust_list, TRUST_LIST), (_labels, LABELS)):
        bad_alg = _copy(document)
        bad_alg["signature"]["alg"] = "RS256"
        assert _refusal(lambda: verify(bad_alg, short))[1] == "signature alg must be EdDSA"  # noqa: B023
        # Both documents refuse the key as the trust list does (its key_id), then stop.
        expected = (TrustListError, "an Ed25519 public key is 32 bytes")
        assert _refusal(lambda: verify(_copy(document), short)) == expected  # noqa: B023


def test_the_snapshot_checks_the_signature_value_before_the_canonical_bytes() -> None:
    labels = _copy(LABELS)
    labels["signature"]["sig"] = "A" * 84
    pretty = json.dumps(labels, indent=1).encode()
    with pytest.raises(SnapshotError) as caught:
        verify_label_status_snapshot(pretty, root_public_key=REGISTRY.root_public)
    assert str(caught.value) == SN_SIZE


def _resigned_trust_list(x: object) -> bytes:
    document = _copy(TRUST_LIST)
    del document["signature"]
    document["keys"][0]["x"] = x
    return sign_trust_list(document, sign=REGISTRY.root.sign, public_key=REGISTRY.root_public)


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (None, "x is not base64url without padding"),
        ("A" * 43 + "=", "x is not base64url without padding"),
        ("A" * 41 + "+A", "x is not base64url without padding"),
        ("A" * 41, "x is not valid base64url"),
        ("A" * 42, "x must be the canonical encoding of 32 bytes"),
        ("A" * 42 + "B", "x must be the canonical encoding of 32 bytes"),
        ("A" * 44, "x must be the canonical encoding of 32 bytes"),
    ],
)
def test_a_key_x_is_decoded_strictly(x: object, message: str) -> None:
    raw = _resigned_trust_list(x)
    with pytest.raises(TrustListError) as caught:
        verify_trust_list(raw, root_public_key=REGISTRY.root_public)
    assert type(caught.value) is TrustListError and str(caught.value) == message


@pytest.mark.parametrize(
    ("hashes", "message"),
    [
        (None, "a group's hashes is not base64url without padding"),
        ("AAAAAAAAAAA=", "a group's hashes is not base64url without padding"),
        ("AAAAAAAAAA+A", "a group's hashes is not base64url without padding"),
        ("AAAAA", "a group's hashes is not valid base64url"),
        ("AAAAAAAAAAB", "a group's hashes is not canonical base64url"),
        ("AAAAAAAAAAE", "a group's count must match its hashes"),  # 8 bytes: decoded
        ("", "a group's count must match its hashes"),
    ],
)
def test_a_groups_hashes_are_decoded_strictly(hashes: object, message: str) -> None:
    document = _copy(LABELS)
    del document["signature"]
    document["groups"][0]["hashes"] = hashes
    document["groups"][0]["count"] = 2
    with pytest.raises(SnapshotError) as caught:
        verify_label_status_snapshot(REGISTRY.sign(document), root_public_key=REGISTRY.root_public)
    assert str(caught.value) == message
