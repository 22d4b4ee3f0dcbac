"""The published trust list: checked with PyNaCl from the written spec, and by the library."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from nacl.signing import VerifyKey
from sqlmodel import Session

from labeling.keycustody import ephemeral_signer
from labeling.keyrecords import repository
from schemas.keys import KeyPurpose
from verify.trust_list import (
    KeyRejected,
    TrustListError,
    TrustListStale,
    canonical_json,
    sign_trust_list,
    verify_trust_list,
)

URL = "/.well-known/khatem/trust-list.json"


def _root_public_key(session: Session) -> bytes:
    root = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    assert root is not None
    public_key = root.public_key
    session.rollback()
    return public_key


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_trust_list_verifies_with_pynacl_from_the_spec(
    log_client: TestClient, session: Session
) -> None:
    """docs/keys.md, "Verifying a trust list", done by hand with another Ed25519 library."""
    response = log_client.get(URL)
    assert response.status_code == 200
    document = json.loads(response.content)
    # The verifier pins the root key once: here, from the log vkey <name>+<hash>+<base64>.
    vkey_material = base64.b64decode(document["log"]["vkey"].split("+", 2)[2])
    assert vkey_material[0] == 1 and vkey_material[1:] == _root_public_key(session)
    root = vkey_material[1:]
    # 1-3: the signature member names the root key by its kid.
    signature = document.pop("signature")
    assert signature["alg"] == "EdDSA"
    assert signature["kid"] == hashlib.sha256(root).digest()[:4].hex()
    # 4: JCS of the rest; with ASCII member names it is sorted keys and no white space.
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    message = b"KHATEM-TRUST-LIST-V1\n" + canonical.encode("utf-8")
    # 5: Ed25519.
    VerifyKey(root).verify(message, _b64url(signature["sig"]))
    # The keys are JWKs whose kid is SHA-256(x)[:4].
    assert document["version"] == 1 and document["max_age"] == 86400
    (key,) = document["keys"]
    assert {k: key[k] for k in ("kty", "crv", "use", "alg")} == {
        "kty": "OKP",
        "crv": "Ed25519",
        "use": "sig",
        "alg": "EdDSA",
    }
    assert key["kid"] == hashlib.sha256(_b64url(key["x"])).digest()[:4].hex()
    assert "khatem:retired_at" not in key and "khatem:compromised_since" not in key


def test_the_trust_list_is_cacheable(log_client: TestClient) -> None:
    first = log_client.get(URL)
    assert first.headers["cache-control"] == "public, max-age=300"
    assert first.headers["content-type"] == "application/json"
    etag = first.headers["etag"]
    again = log_client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert log_client.get(URL, headers={"If-None-Match": '"other"'}).status_code == 200
    assert log_client.get(URL).content == first.content  # not re-signed per request


def test_the_library_verifies_and_refuses_tampering(
    log_client: TestClient, session: Session
) -> None:
    root = _root_public_key(session)
    body = log_client.get(URL).content
    trust_list = verify_trust_list(body, root_public_key=root, now=datetime.now(UTC))
    assert trust_list.origin == "khatem.ma/log" and len(trust_list.keys) == 1
    document = json.loads(body)
    tampered = json.loads(body)
    tampered["keys"][0]["khatem:not_before"] = "2000-01-01T00:00:00Z"
    with pytest.raises(TrustListError, match="does not verify"):
        verify_trust_list(json.dumps(tampered), root_public_key=root)
    with ephemeral_signer() as other:
        with pytest.raises(TrustListError, match="pinned root key"):
            verify_trust_list(body, root_public_key=other.public_key_raw)
        resigned = dict(document)
        del resigned["signature"]
        forged = sign_trust_list(resigned, sign=other.sign, public_key=other.public_key_raw)
        with pytest.raises(TrustListError, match="pinned root key"):
            verify_trust_list(forged, root_public_key=root)
    # Re-formatting in transit does not matter: the signature covers the canonical form.
    pretty = json.dumps(document, indent=2).encode()
    assert verify_trust_list(pretty, root_public_key=root).keys == trust_list.keys


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1, "a": 2}', "duplicate"),
        ('{"a": 1.5}', "integers"),
        ('{"a": NaN}', "not allowed"),
        ('{"a": 123456789012345678901}', "too large"),
        ("[1]", "not a JSON object"),
        ('{"a": ', "not valid JSON"),
        ('{"signature": {"alg": "EdDSA", "kid": "00000000"}}', "alg, kid and sig"),
    ],
)
def test_malformed_documents_are_refused(text: str, message: str) -> None:
    with pytest.raises(TrustListError, match=message):
        verify_trust_list(text, root_public_key=bytes(32))


def test_staleness_future_and_rollback_are_reported(
    log_client: TestClient, session: Session
) -> None:
    root = _root_public_key(session)
    body = log_client.get(URL).content
    issued = verify_trust_list(body, root_public_key=root).issued_at
    with pytest.raises(TrustListStale) as stale:
        verify_trust_list(body, root_public_key=root, now=issued + timedelta(days=2))
    assert stale.value.trust_list.issued_at == issued  # still usable, but said to be stale
    with pytest.raises(TrustListError, match="future"):
        verify_trust_list(body, root_public_key=root, now=issued - timedelta(hours=1))
    with pytest.raises(TrustListError, match="rollback"):
        verify_trust_list(body, root_public_key=root, previous_issued_at=issued + timedelta(1))


def test_unknown_and_duplicate_kids_are_key_unknown() -> None:
    with ephemeral_signer() as root, ephemeral_signer() as label:
        x = base64.urlsafe_b64encode(label.public_key_raw).rstrip(b"=").decode()
        member = {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": x,
            "kid": label.key_id,
            "khatem:not_before": "2026-01-01T00:00:00Z",
        }
        from verify.checkpoint import encode_vkey

        document = {
            "version": 1,
            "keys": [member, member, {"kty": "RSA", "n": "x"}],
            "issued_at": "2026-01-01T00:00:00Z",
            "max_age": 60,
            "log": {"origin": "o", "vkey": encode_vkey("o", root.public_key_raw)},
        }
        signed = sign_trust_list(document, sign=root.sign, public_key=root.public_key_raw)
        trust_list = verify_trust_list(signed, root_public_key=root.public_key_raw)
    assert len(trust_list.keys) == 2  # the RSA element is ignored
    with pytest.raises(KeyRejected) as rejected:
        trust_list.key(label.key_id)
    assert rejected.value.reason == "key_unknown"


def test_canonical_json_sorts_by_utf16_code_units() -> None:
    """RFC 8785 section 3.2.3's example of property sorting."""
    names = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    encoded = canonical_json({name: 0 for name in names}).decode()
    order = [json.loads(f'"{part.split(":")[0][1:-1]}"') for part in encoded[1:-1].split(",")]
    assert order == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert (
        canonical_json({"b": [True, None, "é\n"], "a": -3})
        == b'{"a":-3,"b":[true,null,"\xc3\xa9\\n"]}'
    )
    with pytest.raises(TrustListError):
        canonical_json({"x": 0.5})
