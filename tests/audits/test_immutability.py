"""Submitted audits never change: no route edits one, the database refuses to, a failure
half-way leaves nothing, and a correction is a new audit that names the old one."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from labeling.audits import service, submission
from tests.audits.helpers import (
    audit_body,
    carpet_findings,
    certify,
    count,
    log_events,
    problem_slug,
    record_audit,
    submit_audit,
)
from tests.fixtures.actors import Actor

AUDIT_TABLES = ("audit", "audit_finding", "audit_product_line", "audit_evidence")


def _routes(app: FastAPI) -> list[APIRoute]:
    """Every API route, including those of included routers (FastAPI may wrap them)."""
    found: list[APIRoute] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.append(route)
            elif (included := getattr(route, "original_router", None)) is not None:
                walk(list(included.routes))

    walk(list(app.router.routes))
    return found


def test_no_route_can_change_or_delete_an_audit(app: FastAPI) -> None:
    audit_routes = [r for r in _routes(app) if r.path.startswith("/api/v1/audits")]
    assert audit_routes, "the audit routes are mounted"
    for route in audit_routes:
        methods = route.methods or set()
        assert methods <= {"GET", "POST"}, route.path
        if "POST" in methods:
            assert route.path in {"/api/v1/audits", "/api/v1/audits/{audit_id}/corrections"}


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_edit_methods_on_an_audit_are_not_allowed(
    client: TestClient, inspector: Actor, artisan: Actor, method: str, session: Session
) -> None:
    recorded = record_audit(client, inspector, artisan, findings=carpet_findings(10))
    response = client.request(
        method,
        f"/api/v1/audits/{recorded['id']}",
        json={"outcome": "pass"},
        headers=inspector.headers,
    )
    assert response.status_code == 405
    assert session.execute(text("SELECT outcome FROM audit")).scalar_one() == "fail"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit SET outcome = 'pass'",
        "DELETE FROM audit",
        "UPDATE audit_finding SET passed = TRUE",
        "DELETE FROM audit_finding",
        "UPDATE audit_product_line SET product_line_id = product_line_id",
        "DELETE FROM audit_product_line",
    ],
)
def test_the_database_refuses_to_rewrite_a_submitted_audit(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session, statement: str
) -> None:
    record_audit(client, inspector, artisan, findings=carpet_findings(10))
    with pytest.raises(DBAPIError):
        session.execute(text(statement))
    session.rollback()
    assert session.execute(text("SELECT outcome FROM audit")).scalar_one() == "fail"
    assert count(session, "audit_finding") == 3


def test_a_failure_half_way_leaves_nothing_behind(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flushed: dict[str, int] = {}

    def failing_append_event(db: Session, *, event_type: str, payload: dict[str, Any]) -> int:
        # The audit and its rows are already flushed in this transaction when the log append
        # fails: prove it, then fail.
        for table in AUDIT_TABLES:
            flushed[table] = count(db, table, end_transaction=False)
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(submission, "append_event", failing_append_event)
    response = submit_audit(client, inspector, audit_body(artisan))
    assert response.status_code == 500
    assert response.json()["type"].endswith("/internal-error")
    assert flushed == {"audit": 1, "audit_finding": 3, "audit_product_line": 1, "audit_evidence": 0}
    for table in (*AUDIT_TABLES, "log_entry"):
        assert count(session, table) == 0, table


def test_service_callers_see_the_same_all_or_nothing(
    db_url: str, inspector: Actor, artisan: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.auth import Principal
    from core.db import new_session
    from schemas.audits_api import AuditCreate
    from schemas.types import Role

    def failing_append_event(db: Session, *, event_type: str, payload: dict[str, Any]) -> int:
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(submission, "append_event", failing_append_event)
    principal = Principal(
        user_id=inspector.id,
        role=Role.INSPECTOR,
        body_id=inspector.body_id,
        artisan_id=None,
        token_id=0,
    )
    with new_session(db_url) as db:
        with pytest.raises(RuntimeError):
            service.record_audit(
                session=db,
                principal=principal,
                request=AuditCreate.model_validate(audit_body(artisan)),
            )
        db.rollback()
        assert count(db, "audit") == 0


# --- corrections ------------------------------------------------------------------------------


def test_a_correction_is_a_new_audit_naming_the_old_one(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session
) -> None:
    original = record_audit(client, inspector, artisan, findings=carpet_findings(85_000))
    body = audit_body(artisan, findings=carpet_findings(95_000), notes="Comptage refait")
    del body["artisan_id"]
    response = client.post(
        f"/api/v1/audits/{original['id']}/corrections", json=body, headers=inspector.headers
    )
    assert response.status_code == 201, response.text
    correction = response.json()
    assert correction["corrects_audit_id"] == original["id"]
    assert correction["outcome"] == "pass"
    assert correction["artisan_id"] == artisan.artisan_id
    assert correction["content_hash"] != original["content_hash"]

    again = client.get(f"/api/v1/audits/{original['id']}", headers=inspector.headers).json()
    assert again["outcome"] == "fail"  # the original stands as it was
    assert again["corrected_by_audit_id"] == correction["id"]
    assert again["content_hash"] == original["content_hash"]
    assert [e["corrects_audit_id"] for e in log_events(session, "audit.submitted")[1:]] == [
        original["id"]
    ]


def test_an_audit_is_corrected_once_then_its_correction_is(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    original = record_audit(client, inspector, artisan)
    body = audit_body(artisan)
    del body["artisan_id"]
    url = f"/api/v1/audits/{original['id']}/corrections"
    first = client.post(url, json=body, headers=inspector.headers).json()
    second = client.post(url, json=body, headers=inspector.headers)
    assert second.status_code == 409
    assert problem_slug(second) == "audit-already-corrected"
    assert second.json()["corrected_by_audit_id"] == first["id"]
    chained = client.post(
        f"/api/v1/audits/{first['id']}/corrections", json=body, headers=inspector.headers
    )
    assert chained.status_code == 201


def test_a_correction_cannot_change_the_artisan(
    client: TestClient, inspector: Actor, artisan: Actor, other_artisan: Actor
) -> None:
    original = record_audit(client, inspector, artisan)
    body = audit_body(other_artisan)
    response = client.post(
        f"/api/v1/audits/{original['id']}/corrections", json=body, headers=inspector.headers
    )
    assert response.status_code == 422  # artisan_id is not a field of a correction
    del body["artisan_id"]
    response = client.post(
        f"/api/v1/audits/{original['id']}/corrections", json=body, headers=inspector.headers
    )
    assert response.status_code == 422
    assert problem_slug(response) == "product-line-not-of-artisan"


def test_only_the_audits_body_corrects_it(
    client: TestClient, inspector: Actor, madmoun_inspector: Actor, artisan: Actor
) -> None:
    original = record_audit(client, inspector, artisan)
    body = audit_body(artisan)
    del body["artisan_id"]
    response = client.post(
        f"/api/v1/audits/{original['id']}/corrections", json=body, headers=madmoun_inspector.headers
    )
    assert response.status_code == 404
    assert problem_slug(response) == "audit-not-found"


def test_a_corrected_audit_is_no_longer_certifiable(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    original = record_audit(client, inspector, artisan)
    body = audit_body(artisan)
    del body["artisan_id"]
    correction = client.post(
        f"/api/v1/audits/{original['id']}/corrections", json=body, headers=inspector.headers
    ).json()
    response = certify(client, inspector, original["id"])
    assert response.status_code == 409
    assert problem_slug(response) == "audit-superseded"
    assert certify(client, inspector, correction["id"]).status_code == 201
