"""Fixtures of the verification tests: a registry with a registered label key, a certified
cooperative, and labels issued through the issuance API (reusing the label fixtures)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core.settings import Settings
from labeling.keycustody import KeyfileSigner
from labeling.startup import prepare_registry
from labeling.translog.checkpointer import checkpoint_now
from labeling.verification.service import forget_registry
from schemas.keys import KeyPurpose, SigningKey
from schemas.types import utcnow
from tests.fixtures.actors import Actor
from tests.labels.fixtures import *  # noqa: F403  (labels_app, signer, certificate …)
from tests.labels.fixtures import CertificateRef

__all__ = [
    "checkpoint",
    "issue",
    "label_key",
    "prepared",
    "sql",
    "verify_client",
]

BATCHES = "/api/v1/label-batches"


def sql(session: Session, statement: str, **params: Any) -> None:
    """Run one write statement and commit (what an admin action would leave behind)."""
    session.exec(text(statement).bindparams(**params))  # type: ignore[call-overload]
    session.commit()


@pytest.fixture
def prepared(settings: Settings) -> Iterator[list[str]]:
    """The registry after ``prepare_registry`` (development root key, first checkpoint);
    the verification caches and read connections are dropped after the test."""
    yield prepare_registry(settings)
    forget_registry(settings)


@pytest.fixture
def label_key(session: Session, signer: KeyfileSigner, prepared: list[str]) -> SigningKey:
    """The test signer registered in the keyring as a label key, valid since yesterday."""
    key = SigningKey(
        kid=signer.key_id,
        purpose=KeyPurpose.LABEL.value,
        public_key=signer.public_key_raw,
        backend="keyfile",
        key_uri="memory:test",
        is_development=True,
        not_before=utcnow() - timedelta(days=1),
    )
    session.add(key)
    session.commit()
    return key


@pytest.fixture
def verify_client(labels_app: FastAPI, label_key: SigningKey) -> Iterator[TestClient]:
    """A client of the app (verification routes included) whose label key is registered."""
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        yield client


def issue(client: TestClient, inspector: Actor, cert: CertificateRef, quantity: int) -> list[str]:
    """Issue ``quantity`` labels through the API; their URIs, in issue order."""
    response = client.post(
        BATCHES,
        json={
            "certificate_id": cert.id,
            "product_line_id": cert.product_line_id,
            "quantity": quantity,
        },
        headers=inspector.headers,
    )
    assert response.status_code in (200, 201, 202), response.text
    batch = response.json()
    uris: list[str] = []
    while len(uris) < quantity:
        page = client.get(
            "/api/v1/labels",
            params={"batch": batch["id"], "limit": 200, "offset": len(uris)},
            headers=inspector.headers,
        )
        assert page.status_code == 200, page.text
        items = page.json()["items"]
        assert items
        uris += [item["uri"] for item in items]
    return uris


def checkpoint(labels_app: FastAPI) -> None:
    """Sign a checkpoint now (the background checkpointer does it every minute)."""
    checkpoint_now(labels_app.state.settings)
