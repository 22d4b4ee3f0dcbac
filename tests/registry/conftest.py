"""Registry-test fixtures: a certification body with its admin and inspector, and an
artisan registered through the API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from labeling.registry.service import create_certification_body
from schemas.types import Role
from tests.fixtures.actors import Actor, make_user
from tests.registry.forms import artisan_form


@pytest.fixture
def certification_admin(session: Session) -> Actor:
    body = create_certification_body(session=session, code="OC-TEST", name="Organisme test")
    return make_user(session, email="admin.oc@khatem.test", role=Role.ADMIN, body_id=body.id)


@pytest.fixture
def certification_inspector(session: Session, certification_admin: Actor) -> Actor:
    return make_user(
        session,
        email="auditeur.oc@khatem.test",
        role=Role.INSPECTOR,
        body_id=certification_admin.body_id,
    )


@pytest.fixture
def registered(client: TestClient, inspector: Actor) -> dict[str, Any]:
    """A Taznakht cooperative registered by the Drâa-Tafilalet inspector."""
    response = client.post("/api/v1/artisans", json=artisan_form(), headers=inspector.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """No registry route may fail unexpectedly, so here an exception fails the test with
    its traceback instead of hiding behind an opaque 500."""
    with TestClient(app, raise_server_exceptions=True) as test_client:
        yield test_client
