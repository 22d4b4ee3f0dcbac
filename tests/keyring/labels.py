"""Signing and verifying label claims against the published trust list, for the tests."""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from sqlmodel import Session

from labeling.keycustody import Signer
from labeling.keyrecords import repository
from schemas.keys import KeyPurpose
from verify.label_codec import (
    LabelError,
    issue_label_uri,
    parse_label_uri,
    verify_label_signature,
)
from verify.trust_list import KeyRejected, TrustList, verify_trust_list

__all__ = ["fetch_trust_list", "sign_label", "verdict"]


def sign_label(signer: Signer, *, issued_at: datetime, serial: str = "7F3K2MQ9XB") -> str:
    """A label URI for a Taznakht carpet, signed by ``signer`` at ``issued_at``."""
    return issue_label_uri(
        host="KHATEM.MA",
        gtin="06111234000019",
        serial=serial,
        kid=signer.key_id,
        issued_at=issued_at,
        certificate_code=0x1234ABCD,
        sign=signer.sign,
    )


def fetch_trust_list(client: TestClient, session: Session) -> TrustList:
    """The trust list as a verifier gets it: fetched, then verified with the pinned root."""
    root = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    assert root is not None
    pinned = root.public_key
    session.rollback()
    response = client.get("/.well-known/khatem/trust-list.json")
    assert response.status_code == 200
    return verify_trust_list(response.content, root_public_key=pinned)


def verdict(uri: str, trust_list: TrustList, *, logged_at: datetime | None = None) -> str:
    """``"authentic"`` or the label-format reason code.

    ``logged_at`` is the signing time attested by the transparency log (the label's leaf
    time); without it the verifier only has the label's own ``issued_at``.
    """
    try:
        token = parse_label_uri(uri)
        key = trust_list.key_for_signature(
            token.kid,
            signed_at=logged_at or token.issued_at,
            time_is_attested=logged_at is not None,
        )
        verify_label_signature(token, Ed25519PublicKey.from_public_bytes(key.public_key))
    except KeyRejected as rejected:
        return rejected.reason
    except LabelError as error:
        return str(error.code)
    return "authentic"
