"""Reading audits: a body reads its own, an artisan reads those about itself, others 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from core import calendar
from tests.audits.helpers import (
    carpet_findings,
    days_ago,
    madmoun_findings,
    problem_slug,
    record_audit,
)
from tests.fixtures.actors import Actor


def test_inspector_reads_an_audit_with_findings_and_evidence(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    recorded = record_audit(client, inspector, artisan)
    response = client.get(f"/api/v1/audits/{recorded['id']}", headers=inspector.headers)
    assert response.status_code == 200
    assert response.json() == recorded


@pytest.mark.parametrize("reader", ["admin", "artisan_user"])
def test_the_body_admin_and_the_audited_artisan_read_it(
    client: TestClient,
    inspector: Actor,
    artisan_user: Actor,
    reader: str,
    request: pytest.FixtureRequest,
) -> None:
    recorded = record_audit(client, inspector, artisan_user)
    actor: Actor = request.getfixturevalue(reader)
    response = client.get(f"/api/v1/audits/{recorded['id']}", headers=actor.headers)
    assert response.status_code == 200


@pytest.mark.parametrize("stranger", ["other_admin", "madmoun_inspector", "other_artisan_user"])
def test_anyone_else_is_told_it_does_not_exist(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    stranger: str,
    request: pytest.FixtureRequest,
) -> None:
    recorded = record_audit(client, inspector, artisan)
    actor: Actor = request.getfixturevalue(stranger)
    response = client.get(f"/api/v1/audits/{recorded['id']}", headers=actor.headers)
    assert response.status_code == 404
    assert problem_slug(response) == "audit-not-found"
    missing = client.get("/api/v1/audits/999999", headers=actor.headers)
    assert missing.json() == response.json()


def test_lists_show_only_what_the_reader_may_see(
    client: TestClient,
    inspector: Actor,
    madmoun_inspector: Actor,
    artisan_user: Actor,
    other_artisan_user: Actor,
    potter: Actor,
) -> None:
    mine = record_audit(client, inspector, artisan_user)
    theirs = record_audit(client, inspector, other_artisan_user)
    pottery = record_audit(
        client, madmoun_inspector, potter, scheme="MADMOUN", findings=madmoun_findings(0.2)
    )

    def ids(actor: Actor) -> set[int]:
        response = client.get("/api/v1/audits", headers=actor.headers)
        assert response.status_code == 200
        return {item["id"] for item in response.json()["items"]}

    assert ids(inspector) == {mine["id"], theirs["id"]}
    assert ids(madmoun_inspector) == {pottery["id"]}
    assert ids(artisan_user) == {mine["id"]}
    assert ids(other_artisan_user) == {theirs["id"]}


def test_list_filters(
    client: TestClient, inspector: Actor, artisan: Actor, other_artisan: Actor
) -> None:
    old = record_audit(
        client, inspector, artisan, audit_date=days_ago(40), findings=carpet_findings(10_000)
    )
    recent = record_audit(
        client, inspector, artisan, scheme="TAPIS-MOYENNE", audit_date=days_ago(2)
    )
    other = record_audit(client, inspector, other_artisan, audit_date=days_ago(10))

    def ids(**query: str | int | None) -> list[int]:
        response = client.get("/api/v1/audits", params=query, headers=inspector.headers)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [recent["id"], other["id"], old["id"]]  # newest audit date first
    assert ids(artisan_id=artisan.artisan_id) == [recent["id"], old["id"]]
    assert ids(scheme="TAPIS-MOYENNE") == [recent["id"]]
    assert ids(outcome="fail") == [old["id"]]
    assert ids(date_from=days_ago(15).isoformat()) == [recent["id"], other["id"]]
    assert ids(date_to=days_ago(5).isoformat(), date_from=days_ago(50).isoformat()) == [
        other["id"],
        old["id"],
    ]
    assert ids(scheme="MADMOUN") == []


def test_pagination_and_its_hard_maximum(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    for _ in range(3):
        record_audit(client, inspector, artisan)
    page = client.get(
        "/api/v1/audits", params={"limit": 2, "offset": 1}, headers=inspector.headers
    ).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 1, 2)
    default = client.get("/api/v1/audits", headers=inspector.headers).json()
    assert default["limit"] == 50
    too_many = client.get("/api/v1/audits", params={"limit": 201}, headers=inspector.headers)
    assert too_many.status_code == 422
    assert problem_slug(too_many) == "page-size-too-large"
    assert (
        client.get("/api/v1/audits", params={"limit": 200}, headers=inspector.headers).status_code
        == 200
    )


@pytest.mark.parametrize(
    "query",
    [
        {"outcome": "maybe"},
        {"scheme": "tapis; drop table audit"},
        {"artisan_id": 2**40},
        {"date_from": "yesterday"},
        {"date_from": "-2.35929397015417e-135"},  # a number is not a day (not a timestamp)
        {"date_to": "2026-11-27T00:00:00"},
        {"offset": -1},
        {"limit": 0},
    ],
)
def test_bad_filters_are_422(
    client: TestClient, inspector: Actor, query: dict[str, str | int]
) -> None:
    response = client.get("/api/v1/audits", params=query, headers=inspector.headers)
    assert response.status_code == 422


def test_anonymous_reader_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/audits").status_code == 401
    assert client.get("/api/v1/audits/1").status_code == 401


def test_future_dates_in_filters_are_harmless(client: TestClient, inspector: Actor) -> None:
    future = (calendar.registry_today() + timedelta(days=400)).isoformat()
    response = client.get("/api/v1/audits", params={"date_from": future}, headers=inspector.headers)
    assert response.json()["items"] == []
