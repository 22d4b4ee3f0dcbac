"""An audit is recorded once per idempotency key (the API's ``Idempotency-Key``, the
workspace's hidden field, the offline outbox's id): a retry after a lost answer or a double
click never records it twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.audits.helpers import audit_body, carpet_findings, count, log_events, problem_slug
from tests.fixtures.actors import Actor


def _post(client: TestClient, actor: Actor, body: dict[str, Any], key: str) -> Any:
    headers = {**actor.headers, "Idempotency-Key": key}
    return client.post("/api/v1/audits", json=body, headers=headers)


def test_a_retry_with_the_same_key_returns_the_first_audit_and_records_nothing(
    client: TestClient, session: Session, inspector: Actor, artisan: Actor
) -> None:
    body = audit_body(artisan)
    first = _post(client, inspector, body, "audit-7f3a")
    assert first.status_code == 201, first.text
    again = _post(client, inspector, body, "audit-7f3a")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert count(session, "audit") == 1
    assert len(log_events(session, "audit.submitted")) == 1


def test_the_same_key_with_other_content_is_refused(
    client: TestClient, session: Session, inspector: Actor, artisan: Actor
) -> None:
    assert _post(client, inspector, audit_body(artisan), "k-1").status_code == 201
    other = audit_body(artisan, findings=carpet_findings(80_000))
    response = _post(client, inspector, other, "k-1")
    assert response.status_code == 422
    assert problem_slug(response) == "idempotency-key-reused"
    assert count(session, "audit") == 1


def test_keys_are_per_body_and_absent_keys_are_unconstrained(
    client: TestClient, session: Session, inspector: Actor, artisan: Actor
) -> None:
    body = audit_body(artisan)
    assert client.post("/api/v1/audits", json=body, headers=inspector.headers).status_code == 201
    assert client.post("/api/v1/audits", json=body, headers=inspector.headers).status_code == 201
    assert count(session, "audit") == 2


def test_an_invalid_key_is_refused(client: TestClient, inspector: Actor, artisan: Actor) -> None:
    for key in ("a\tb", "k" * 101):
        response = _post(client, inspector, audit_body(artisan), key)
        assert response.status_code == 422, key


def test_simultaneous_submissions_with_one_key_record_one_audit(
    client: TestClient, session: Session, inspector: Actor, artisan: Actor
) -> None:
    body = audit_body(artisan)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: _post(client, inspector, body, "same"), range(4)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 200, 200, 201], [a.text[:200] for a in answers]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert count(session, "audit") == 1


def test_a_correction_is_recorded_once_too(
    client: TestClient, session: Session, inspector: Actor, artisan: Actor
) -> None:
    original = _post(client, inspector, audit_body(artisan), "a").json()
    body = audit_body(artisan, findings=carpet_findings(95_000))
    del body["artisan_id"]
    url = f"/api/v1/audits/{original['id']}/corrections"
    headers = {**inspector.headers, "Idempotency-Key": "c"}
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = client.post(url, json=body, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert count(session, "audit") == 2
