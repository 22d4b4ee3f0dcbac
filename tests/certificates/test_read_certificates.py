"""Reading certificates: visibility like audits, filters on the effective status."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core import calendar
from tests.audits.helpers import (
    issue_certificate,
    madmoun_findings,
    problem_slug,
    record_audit,
)
from tests.fixtures.actors import Actor


def _suspend(client: TestClient, admin: Actor, certificate: dict[str, Any]) -> None:
    response = client.post(
        f"/api/v1/certificates/{certificate['id']}/suspend",
        json={"reason_code": "artisan_request"},
        headers=admin.headers,
    )
    assert response.status_code == 200


def test_a_certificate_reads_the_same_as_it_was_issued(
    client: TestClient, inspector: Actor, artisan_user: Actor
) -> None:
    issued = issue_certificate(client, inspector, artisan_user)
    for reader in (inspector, artisan_user):
        response = client.get(f"/api/v1/certificates/{issued['id']}", headers=reader.headers)
        assert response.status_code == 200
        assert response.json() == issued


@pytest.mark.parametrize("stranger", ["other_admin", "madmoun_inspector", "other_artisan_user"])
def test_strangers_are_told_it_does_not_exist(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    stranger: str,
    request: pytest.FixtureRequest,
) -> None:
    issued = issue_certificate(client, inspector, artisan)
    actor: Actor = request.getfixturevalue(stranger)
    response = client.get(f"/api/v1/certificates/{issued['id']}", headers=actor.headers)
    assert response.status_code == 404
    assert problem_slug(response) == "certificate-not-found"


def test_lists_are_scoped_and_filtered(
    client: TestClient,
    inspector: Actor,
    admin: Actor,
    madmoun_inspector: Actor,
    artisan_user: Actor,
    other_artisan: Actor,
    potter: Actor,
) -> None:
    carpet = issue_certificate(client, inspector, artisan_user)
    weaving = issue_certificate(client, inspector, other_artisan, scheme="TAPIS-MOYENNE")
    pottery_audit = record_audit(
        client, madmoun_inspector, potter, scheme="MADMOUN", findings=madmoun_findings(0.3)
    )
    pottery = client.post(
        "/api/v1/certificates",
        json={"audit_id": pottery_audit["id"]},
        headers=madmoun_inspector.headers,
    ).json()
    _suspend(client, admin, weaving)

    def ids(actor: Actor, **query: str | int | None) -> list[int]:
        response = client.get("/api/v1/certificates", params=query, headers=actor.headers)
        assert response.status_code == 200, response.text
        return sorted(item["id"] for item in response.json()["items"])

    assert ids(inspector) == sorted([carpet["id"], weaving["id"]])
    assert ids(madmoun_inspector) == [pottery["id"]]
    assert ids(artisan_user) == [carpet["id"]]
    assert ids(inspector, status="active") == [carpet["id"]]
    assert ids(inspector, status="suspended") == [weaving["id"]]
    assert ids(inspector, status="withdrawn") == []
    assert ids(inspector, scheme="TAPIS-MOYENNE") == [weaving["id"]]
    assert ids(inspector, artisan_id=other_artisan.artisan_id) == [weaving["id"]]
    assert ids(inspector, region="MA-08") == sorted([carpet["id"], weaving["id"]])
    assert ids(inspector, region="MA-07") == []
    assert ids(madmoun_inspector, region="MA-07") == [pottery["id"]]


def test_expired_is_a_filterable_derived_status(
    client: TestClient,
    inspector: Actor,
    admin: Actor,
    artisan: Actor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    current = issue_certificate(client, inspector, artisan)
    suspended = issue_certificate(client, inspector, artisan)
    withdrawn = issue_certificate(client, inspector, artisan)
    _suspend(client, admin, suspended)
    client.post(
        f"/api/v1/certificates/{withdrawn['id']}/withdraw",
        json={"reason_code": "artisan_request"},
        headers=admin.headers,
    )
    later = date.fromisoformat(current["valid_until"]) + timedelta(days=1)
    monkeypatch.setattr(calendar, "registry_today", lambda: later)

    def statuses(**query: str | int | None) -> dict[int, str]:
        page = client.get("/api/v1/certificates", params=query, headers=admin.headers).json()
        return {item["id"]: item["status"] for item in page["items"]}

    assert statuses(status="expired") == {current["id"]: "expired", suspended["id"]: "expired"}
    assert statuses(status="active") == {}
    assert statuses(status="suspended") == {}
    assert statuses(status="withdrawn") == {withdrawn["id"]: "withdrawn"}


def test_pagination_has_a_hard_maximum(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    for _ in range(3):
        issue_certificate(client, inspector, artisan)
    page = client.get("/api/v1/certificates", params={"limit": 2}, headers=inspector.headers).json()
    assert (page["total"], len(page["items"])) == (3, 2)
    response = client.get("/api/v1/certificates", params={"limit": 1000}, headers=inspector.headers)
    assert response.status_code == 422
    assert problem_slug(response) == "page-size-too-large"


@pytest.mark.parametrize(
    "query", [{"status": "revoked"}, {"region": "MA-13"}, {"artisan_id": 0}, {"scheme": "x y"}]
)
def test_bad_filters_are_422(client: TestClient, inspector: Actor, query: dict[str, Any]) -> None:
    assert (
        client.get("/api/v1/certificates", params=query, headers=inspector.headers).status_code
        == 422
    )


def test_anonymous_reader_is_401(client: TestClient) -> None:
    for path in (
        "/api/v1/certificates",
        "/api/v1/certificates/1",
        "/api/v1/certificates/1/history",
    ):
        assert client.get(path).status_code == 401
