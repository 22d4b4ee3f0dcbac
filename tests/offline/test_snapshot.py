"""Status snapshots: a verifier accepts exactly what the root key signed, nothing else."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.offline.simulator import NOW, TAJINE_GTIN, Registry
from verify.snapshot import (
    MAX_SNAPSHOT_BYTES,
    SnapshotError,
    label_hash,
    verify_certificate_snapshot,
    verify_label_status_snapshot,
)

REGISTRY = Registry()
REGISTRY.set_status("8G4M3NQ0YC", "revoked", "lost_or_stolen")
REGISTRY.set_status("9H5N4PR1ZD", "suspended", "inspection_hold")
LABELS = REGISTRY.label_snapshot()
CERTIFICATES = REGISTRY.certificate_snapshot()


def _labels(raw: bytes) -> object:
    return verify_label_status_snapshot(raw, root_public_key=REGISTRY.root_public)


def _certificates(raw: bytes) -> object:
    return verify_certificate_snapshot(raw, root_public_key=REGISTRY.root_public)


def _resigned(mutate: object, *, raw: bytes = LABELS) -> bytes:
    """The snapshot changed by ``mutate`` and signed again by the genuine root key."""
    document = json.loads(raw)
    del document["signature"]
    mutate(document)  # type: ignore[operator]
    return REGISTRY.sign(document)


def test_a_genuine_label_snapshot_lists_its_labels_by_hash() -> None:
    snapshot = verify_label_status_snapshot(LABELS, root_public_key=REGISTRY.root_public)
    assert snapshot.issued_at == NOW
    assert snapshot.max_age == 86_400
    assert snapshot.status_of(TAJINE_GTIN, "8G4M3NQ0YC") == ("revoked", "lost_or_stolen")
    assert snapshot.status_of(TAJINE_GTIN, "9H5N4PR1ZD") == ("suspended", "inspection_hold")
    assert snapshot.status_of(TAJINE_GTIN, "7F3K2MQ9XB") is None


def test_a_genuine_certificate_snapshot_holds_public_facts() -> None:
    snapshot = verify_certificate_snapshot(CERTIFICATES, root_public_key=REGISTRY.root_public)
    (facts,) = snapshot.certificates.values()
    assert facts == REGISTRY.certificates[0]


def test_the_label_hash_is_the_documented_one() -> None:
    import hashlib

    expected = hashlib.sha256(b"KHATEM-LABEL-ID-V1\n06111234000019/7F3K2MQ9XB").digest()[:8]
    assert label_hash("06111234000019", "7F3K2MQ9XB") == expected


def test_a_snapshot_signed_by_another_key_is_rejected() -> None:
    document = json.loads(LABELS)
    del document["signature"]
    forged = REGISTRY.sign(document, key=Ed25519PrivateKey.generate())
    with pytest.raises(SnapshotError, match="not signed by the pinned root key"):
        _labels(forged)


def test_a_snapshot_whose_signature_does_not_verify_is_rejected() -> None:
    document = json.loads(LABELS)
    document["total_labels"] = 7
    forged = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(SnapshotError, match="signature does not verify"):
        _labels(forged)


def test_a_certificate_snapshot_with_a_forged_status_is_rejected() -> None:
    document = json.loads(CERTIFICATES)
    document["certificates"][0]["status"] = "active"
    document["certificates"][0]["valid_until"] = "2099-01-01"
    forged = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    with pytest.raises(SnapshotError, match="signature does not verify"):
        _certificates(forged.encode())


@pytest.mark.parametrize("version", [2, 0, "1", None, True])
def test_a_snapshot_of_another_version_is_rejected_even_when_signed(version: object) -> None:
    raw = _resigned(lambda d: d.__setitem__("version", version))
    with pytest.raises(SnapshotError, match="version"):
        _labels(raw)


def test_a_certificate_snapshot_is_not_accepted_as_a_label_snapshot() -> None:
    with pytest.raises(SnapshotError, match="kind"):
        _labels(CERTIFICATES)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"[]", "not a JSON object"),
        (b"\xff\xfe", "not UTF-8"),
        (b'{"a":1,"a":2}', "duplicate member"),
        (b'{"a":1.5}', "integers"),
        (b'{"a":NaN}', "NaN is not allowed"),
        (b'{"a":123456789012345678}', "too large"),
        (b'{"\xc3\xa9":1}', "ASCII"),
        (b"{" * 5000, "not valid JSON"),
    ],
)
def test_malformed_bytes_are_rejected_before_the_signature(raw: bytes, message: str) -> None:
    with pytest.raises(SnapshotError, match=message):
        _labels(raw)


def test_an_oversized_snapshot_is_rejected_unread() -> None:
    with pytest.raises(SnapshotError, match="larger than"):
        _labels(b" " * (MAX_SNAPSHOT_BYTES + 1))


def test_re_encoded_json_with_the_same_content_is_rejected() -> None:
    pretty = json.dumps(json.loads(LABELS), indent=1).encode()
    with pytest.raises(SnapshotError, match="not canonical"):
        _labels(pretty)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.__setitem__("max_age", 0), "max_age"),
        (lambda d: d.__setitem__("max_age", 40 * 86_400), "max_age"),
        (lambda d: d.__setitem__("issued_at", "yesterday"), "issued_at"),
        (lambda d: d.__setitem__("extra", 1), "unknown members"),
        (lambda d: d["groups"][0].__setitem__("status", "active"), "suspended or revoked"),
        (lambda d: d["groups"][0].__setitem__("count", 5), "count must match"),
        (lambda d: d["groups"][0].__setitem__("hashes", "AA=A"), "hashes"),
    ],
)
def test_a_signed_but_ill_formed_label_snapshot_is_rejected(mutate: object, message: str) -> None:
    with pytest.raises(SnapshotError, match=message):
        _labels(_resigned(mutate))


def test_unsorted_or_repeated_label_hashes_are_rejected() -> None:
    import base64

    def repeat(document: dict) -> None:  # type: ignore[type-arg]
        group = document["groups"][0]
        raw = base64.urlsafe_b64decode(group["hashes"] + "==")
        group["hashes"] = base64.urlsafe_b64encode(raw + raw).rstrip(b"=").decode()
        group["count"] = 2

    with pytest.raises(SnapshotError, match="sorted and distinct"):
        _labels(_resigned(repeat))


def test_a_certificate_snapshot_with_a_malformed_code_is_rejected() -> None:
    raw = _resigned(lambda d: d["certificates"][0].__setitem__("code", "C-1234"), raw=CERTIFICATES)
    with pytest.raises(SnapshotError, match="certificate code"):
        _certificates(raw)


# Property: no byte of the signed content can change without the snapshot being rejected.


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_tampering_with_any_byte_of_a_label_snapshot_is_rejected(data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(LABELS) - 1), label="position")
    value = data.draw(st.integers(0, 255).filter(lambda b: b != LABELS[position]), label="byte")
    tampered = LABELS[:position] + bytes([value]) + LABELS[position + 1 :]
    with pytest.raises(SnapshotError):
        _labels(tampered)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_tampering_with_any_byte_of_a_certificate_snapshot_is_rejected(
    data: st.DataObject,
) -> None:
    position = data.draw(st.integers(0, len(CERTIFICATES) - 1), label="position")
    value = data.draw(
        st.integers(0, 255).filter(lambda b: b != CERTIFICATES[position]), label="byte"
    )
    tampered = CERTIFICATES[:position] + bytes([value]) + CERTIFICATES[position + 1 :]
    with pytest.raises(SnapshotError):
        _certificates(tampered)


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(0, len(LABELS) - 1), extra=st.binary(min_size=1, max_size=8))
def test_truncated_or_extended_snapshots_are_rejected(cut: int, extra: bytes) -> None:
    with pytest.raises(SnapshotError):
        _labels(LABELS[:cut])
    with pytest.raises(SnapshotError):
        _labels(LABELS + extra)


@pytest.mark.parametrize("member", ["scheme", "body"])
def test_a_certificate_naming_an_unlisted_scheme_or_body_is_rejected(member: str) -> None:
    raw = _resigned(lambda d: d["certificates"][0].__setitem__(member, "NOPE"), raw=CERTIFICATES)
    with pytest.raises(SnapshotError, match="not listed"):
        _certificates(raw)


def test_a_scheme_citing_an_unlisted_standard_is_rejected() -> None:
    raw = _resigned(lambda d: d["schemes"][0]["standards"].append("ISO 0"), raw=CERTIFICATES)
    with pytest.raises(SnapshotError, match="does not list"):
        _certificates(raw)
