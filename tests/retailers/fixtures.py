"""Retailers and labelled shipments for the retailer and webhook tests (and features)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from core.db import new_session
from labeling.retailers.service import create_retailer
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef

__all__ = ["RetailerRef", "corte", "galeries", "issue_labels", "make_retailer"]


@dataclass(frozen=True)
class RetailerRef:
    id: int
    code: str
    country: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_retailer(db_url: str, name: str, country: str) -> RetailerRef:
    """A retailer opened as the operators open one (``khatem retailers create``)."""
    with new_session(db_url) as session:
        retailer, issued = create_retailer(session=session, name=name, country=country)
    assert retailer.id is not None
    return RetailerRef(retailer.id, retailer.code, retailer.country, issued.access_token)


def issue_labels(
    client: TestClient, actor: Actor, cert: CertificateRef, quantity: int
) -> list[dict[str, object]]:
    """Issue ``quantity`` labels under ``cert``; their rows as the label API lists them."""
    batch = client.post(
        "/api/v1/label-batches",
        json={
            "certificate_id": cert.id,
            "product_line_id": cert.product_line_id,
            "quantity": quantity,
        },
        headers=actor.headers,
    )
    assert batch.status_code == 201, batch.text
    page = client.get("/api/v1/labels", params={"batch": batch.json()["id"]}, headers=actor.headers)
    assert page.status_code == 200, page.text
    return list(page.json()["items"])


@pytest.fixture
def galeries(db_url: str, session: Session) -> RetailerRef:
    return make_retailer(db_url, "Galeries Lafayette", "FR")


@pytest.fixture
def corte(db_url: str, session: Session) -> RetailerRef:
    return make_retailer(db_url, "El Corte Inglés", "ES")
