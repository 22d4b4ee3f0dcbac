"""Issuance follows key rotation: the keyring's active label key signs, in a request and
in a job that was signing when the key was rotated."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from core.settings import Settings
from labeling.keycustody import Signer
from labeling.keyrecords import rotate_label_key
from labeling.keyrecords.opening import forget_signers
from labeling.keyrecords.preparation import new_development_label_key
from labeling.labels import issuance, jobs
from labeling.startup import prepare_registry
from schemas.certificates import Certificate
from schemas.keys import SigningKey
from schemas.labels import Label, LabelBatch
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef, queued_batch
from verify.label_codec import claim_bytes

URL = "/api/v1/label-batches"


@pytest.fixture
def keyring(settings: Settings) -> Iterator[Settings]:
    """The registry's development keys, registered as ``khatem serve`` does."""
    prepare_registry(settings)
    yield settings
    forget_signers()


def _rotate(session: Session, settings: Settings) -> Signer:
    uri, signer = new_development_label_key(settings, first=False)
    rotate_label_key(session=session, new_signer=signer, key_uri=uri, allow_development=True)
    return signer


def _active_kid(session: Session) -> str:
    kid = session.exec(
        select(SigningKey.kid).where(SigningKey.purpose == "label", SigningKey.retired_at == None)  # noqa: E711
    ).one()
    session.rollback()
    return kid


def _all_signed_by(session: Session, batch_id: int, signer: Signer) -> bool:
    labels = session.exec(select(Label).where(Label.batch_id == batch_id)).all()
    batch = session.get(LabelBatch, batch_id)
    assert batch is not None
    certificate = session.get(Certificate, batch.certificate_id)
    assert certificate is not None
    session.rollback()
    key = Ed25519PublicKey.from_public_bytes(signer.public_key_raw)
    for label in labels:
        assert label.kid == signer.key_id
        key.verify(
            label.signature,
            claim_bytes(
                gtin=label.gtin,
                serial=label.serial,
                kid=label.kid,
                issued_at=label.issued_at,
                certificate_code=certificate.code,
            ),
        )
    return bool(labels)


def test_a_request_after_a_rotation_is_signed_by_the_new_key(
    keyring: Settings,
    client: TestClient,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
) -> None:
    body = {"certificate_id": certificate.id, "product_line_id": certificate.product_line_id}
    before = client.post(URL, json={**body, "quantity": 3}, headers=inspector.headers)
    assert before.status_code == 201, before.text
    assert before.json()["kid"] == _active_kid(session)
    new = _rotate(session, keyring)
    after = client.post(URL, json={**body, "quantity": 3}, headers=inspector.headers).json()
    assert after["kid"] == new.key_id != before.json()["kid"]
    assert _all_signed_by(session, after["id"], new)


def test_a_job_rotated_while_it_signs_stores_labels_of_the_new_key(
    keyring: Settings,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(issuance, "SIGN_CHUNK", 300)
    old_kid = _active_kid(session)
    batch_id = queued_batch(keyring.resolved_database_url, certificate, inspector, 1_200)
    rotated: list[Signer] = []

    def rotate_once(_signed: int) -> None:
        if not rotated:
            rotated.append(_rotate(session, keyring))

    # No signer given: the job opens the keyring's active key, as after a restart.
    status = jobs.run_batch(keyring, batch_id, None, on_progress=rotate_once)
    assert status == "completed"
    new = rotated[0]
    batch = session.get(LabelBatch, batch_id)
    assert batch is not None and batch.kid == new.key_id != old_kid
    session.rollback()
    assert _all_signed_by(session, batch_id, new)
