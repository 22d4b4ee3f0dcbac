"""The API filters the inspector's home page uses (anything the workspace does, the API
does): audits recorded by one inspector, certificates in force ending within N days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core import calendar
from schemas.types import Role
from tests.audits.helpers import carpet_findings, issue_certificate, record_audit
from tests.fixtures.actors import Actor, _authorise, make_user

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_audits_recorded_by_one_inspector(
    client: TestClient, session: Session, inspector: Actor, admin: Actor, artisan: Actor
) -> None:
    colleague = make_user(
        session, email="collegue@khatem.test", role=Role.INSPECTOR, body_id=inspector.body_id
    )
    _authorise(session, colleague, admin, ["TAPIS-*"])
    mine = record_audit(client, inspector, artisan)
    theirs = record_audit(client, colleague, artisan, findings=carpet_findings(95_000))
    for who, audit in ((inspector, mine), (colleague, theirs)):
        response = client.get(f"/api/v1/audits?inspector_id={who.id}", headers=admin.headers)
        assert response.status_code == 200
        assert [item["id"] for item in response.json()["items"]] == [audit["id"]]


@SQLITE
def test_certificates_expiring_within_n_days(
    client: TestClient,
    session: Session,
    inspector: Actor,
    admin: Actor,
    artisan: Actor,
    other_artisan: Actor,
) -> None:
    soon = issue_certificate(client, inspector, artisan)
    later = issue_certificate(client, inspector, other_artisan, findings=carpet_findings(97_000))
    today = calendar.registry_today()
    session.execute(
        text("UPDATE certificate SET valid_until = :day WHERE id = :id"),
        {"day": today + timedelta(days=30), "id": soon["id"]},
    )
    session.commit()

    def codes(days: int) -> set[str]:
        response = client.get(
            f"/api/v1/certificates?expiring_within_days={days}", headers=admin.headers
        )
        assert response.status_code == 200, response.text
        return {item["code"] for item in response.json()["items"]}

    assert codes(60) == {soon["code"]}
    assert codes(29) == set()
    assert later["code"] in codes(3660)
    # A suspended certificate is not "expiring": it is not in force.
    client.post(
        f"/api/v1/certificates/{soon['id']}/suspend",
        json={"reason_code": "artisan_request"},
        headers=admin.headers,
    )
    assert codes(60) == set()
