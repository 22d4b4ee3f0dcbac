"""The fast path's JSON answers per label and database version
(``labeling.verification.fast_path.ScanCache.json_answer``): a scan of an unchanged label
reuses the last answer with a new ``checked_at``; anything its verdict rests on changes the
answer at once; junk and labels the registry does not have are verified every time."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from labeling.verification import fast_path
from labeling.verification import service as verification_service
from labeling.verification.representation import json_answer
from labeling.verification.service import verify_uri, verify_uri_json
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue, sql

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The serials the verifier ran on (the answers not taken from memory)."""
    ran: list[str] = []
    verify_token: Callable[..., Any] = verification_service.verify_token

    def counting(token: Any, source: Any, *, now: datetime) -> Any:
        ran.append(token.serial)
        return verify_token(token, source, now=now)

    monkeypatch.setattr(verification_service, "verify_token", counting)
    return ran


def _json(uri: str, app: FastAPI, at: datetime) -> Any:
    return json.loads(verify_uri_json(uri, settings=app.state.settings, now=at).body)


def test_an_unchanged_label_is_answered_from_memory_checked_anew(
    verify_client: TestClient,
    labels_app: FastAPI,
    inspector: Actor,
    certificate: CertificateRef,
    verifications: list[str],
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    settings = labels_app.state.settings
    first = verify_uri_json(uri, settings=settings, now=NOW)
    later = NOW + timedelta(seconds=7)
    again = verify_uri_json(uri, settings=settings, now=later)
    assert len(verifications) == 1  # the second answer came from memory
    assert again.etag == first.etag
    assert again.body == json_answer(verify_uri(uri, settings=settings, now=later)).body
    assert json.loads(again.body)["checked_at"] == later.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_status_change_changes_the_answer_at_once(
    verify_client: TestClient,
    labels_app: FastAPI,
    inspector: Actor,
    admin: Actor,
    certificate: CertificateRef,
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    assert _json(uri, labels_app, NOW)["verdict"] == "AUTHENTIC"
    serial = uri.split("/21/")[1].split("?")[0]
    page = verify_client.get("/api/v1/labels", headers=admin.headers).json()
    label_id = next(item["id"] for item in page["items"] if item["serial"] == serial)
    response = verify_client.post(
        f"/api/v1/labels/{label_id}/suspend",
        json={"reason_code": "inspection_hold"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    assert _json(uri, labels_app, NOW)["verdict"] == "SUSPENDED"
    response = verify_client.post(
        f"/api/v1/certificates/{certificate.id}/withdraw",
        json={"reason_code": "fraud"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    assert _json(uri, labels_app, NOW)["verdict"] == "REVOKED"


def test_reloaded_certificate_facts_change_the_answer(
    verify_client: TestClient,
    labels_app: FastAPI,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
    artisan: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    before = _json(uri, labels_app, NOW)["certificate"]["artisan"]["display_name_latin"]
    sql(
        session,
        "UPDATE artisan SET display_name_latin = :name WHERE id = :id",
        name="Coopérative renommée",
        id=artisan.artisan_id,
    )
    assert _json(uri, labels_app, NOW)["certificate"]["artisan"]["display_name_latin"] == before
    monkeypatch.setattr(fast_path, "FACTS_TTL", 0.0)  # the facts are past their age
    after = _json(uri, labels_app, NOW)["certificate"]["artisan"]["display_name_latin"]
    assert after == "Coopérative renommée"


def test_junk_and_labels_the_registry_lacks_are_verified_every_time(
    verify_client: TestClient,
    labels_app: FastAPI,
    inspector: Actor,
    certificate: CertificateRef,
    verifications: list[str],
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    unknown = uri.replace("/21/", "/21/0", 1)  # another serial: no such label
    for _ in range(3):
        assert _json("junk", labels_app, NOW)["verdict"] == "INVALID"
        assert _json(unknown, labels_app, NOW)["verdict"] == "INVALID"
    assert len(verifications) == 3  # the unknown label each time (junk does not parse)
    future = NOW + timedelta(days=3)
    assert _json(uri, labels_app, NOW)["verdict"] == "AUTHENTIC"
    assert _json(uri, labels_app, future)["checked_at"] != _json(uri, labels_app, NOW)["checked_at"]
