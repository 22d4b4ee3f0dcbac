"""A body admin opens inspector accounts and authorises them per label scheme."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from schemas.accounts import UserAccount
from schemas.registry import InspectorAuthorisation
from schemas.translog import LogEntry
from tests.fixtures.actors import Actor
from tests.registry.forms import PASSWORD, bearer, count_rows, slug

NEW_INSPECTOR = {
    "email": "youssef.amrani@chambre-draa.ma",
    "password": PASSWORD,
    "display_name": "Youssef Amrani",
}


def _open(client: TestClient, admin: Actor) -> dict[str, Any]:
    response = client.post("/api/v1/inspectors", json=NEW_INSPECTOR, headers=admin.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_an_admin_opens_an_inspector_account_in_its_body(client: TestClient, admin: Actor) -> None:
    inspector = _open(client, admin)

    assert inspector["body_code"] == "CHAMBRE-MA-08"
    assert inspector["authorised_schemes"] == []
    assert "password" not in inspector and "password_hash" not in inspector
    headers = bearer(client, NEW_INSPECTOR["email"])
    me = client.get("/api/v1/auth/me", headers=headers).json()
    assert me["role"] == "inspector" and me["body_id"] == admin.body_id


@pytest.mark.parametrize(
    "smuggled", [{"role": "admin"}, {"body_id": 1}, {"id": 77}, {"is_active": False}]
)
def test_an_inspector_account_cannot_choose_its_role_or_body(
    client: TestClient, admin: Actor, session: Session, smuggled: dict[str, Any]
) -> None:
    before = count_rows(session, UserAccount)
    response = client.post(
        "/api/v1/inspectors", json={**NEW_INSPECTOR, **smuggled}, headers=admin.headers
    )

    assert response.status_code == 422
    assert count_rows(session, UserAccount) == before


def test_an_email_opens_one_account(client: TestClient, admin: Actor) -> None:
    _open(client, admin)
    response = client.post("/api/v1/inspectors", json=NEW_INSPECTOR, headers=admin.headers)
    assert response.status_code == 409
    assert slug(response) == "email-taken"


def test_a_short_password_is_refused(client: TestClient, admin: Actor) -> None:
    form = {**NEW_INSPECTOR, "password": "short"}
    assert client.post("/api/v1/inspectors", json=form, headers=admin.headers).status_code == 422


def test_only_admins_open_inspector_accounts(
    client: TestClient, inspector: Actor, artisan_user: Actor
) -> None:
    assert client.post("/api/v1/inspectors", json=NEW_INSPECTOR).status_code == 401
    for actor in (inspector, artisan_user):
        response = client.post("/api/v1/inspectors", json=NEW_INSPECTOR, headers=actor.headers)
        assert response.status_code == 403


def test_an_admin_lists_only_its_own_inspectors(
    client: TestClient, admin: Actor, inspector: Actor, madmoun_inspector: Actor
) -> None:
    response = client.get("/api/v1/inspectors", headers=admin.headers)

    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 1
    assert [item["id"] for item in page["items"]] == [inspector.id]
    assert "TAPIS-SUPERIEURE" in page["items"][0]["authorised_schemes"]
    assert "MADMOUN" not in page["items"][0]["authorised_schemes"]


def test_another_bodys_inspector_is_not_found(
    client: TestClient, admin: Actor, madmoun_inspector: Actor
) -> None:
    for url in (
        f"/api/v1/inspectors/{madmoun_inspector.id}",
        f"/api/v1/inspectors/{madmoun_inspector.id}/authorisations",
    ):
        response = client.get(url, headers=admin.headers)
        assert response.status_code == 404
        assert slug(response) == "inspector-not-found"
    grant = client.put(
        f"/api/v1/inspectors/{madmoun_inspector.id}/authorisations/TAPIS-MOYENNE",
        headers=admin.headers,
    )
    assert grant.status_code == 404


def test_an_admin_account_is_not_an_inspector(client: TestClient, admin: Actor) -> None:
    response = client.get(f"/api/v1/inspectors/{admin.id}", headers=admin.headers)
    assert response.status_code == 404


# --- Authorisations -----------------------------------------------------------------------


def test_an_admin_authorises_an_inspector_for_the_carpet_stamp(
    client: TestClient, admin: Actor, session: Session
) -> None:
    inspector = _open(client, admin)
    url = f"/api/v1/inspectors/{inspector['id']}/authorisations/TAPIS-SUPERIEURE"

    response = client.put(url, headers=admin.headers)

    assert response.status_code == 200, response.text
    granted = response.json()
    assert granted["is_active"] and granted["revoked_at"] is None
    assert granted["scheme_name"] == "Estampille tapis — qualité supérieure"
    assert granted["granted_by"] == admin.id
    listing = client.get(f"/api/v1/inspectors/{inspector['id']}", headers=admin.headers)
    assert listing.json()["authorised_schemes"] == ["TAPIS-SUPERIEURE"]
    events = session.exec(
        select(LogEntry).where(LogEntry.event_type == "inspector.authorised")
    ).all()
    assert len(events) == 1 and "TAPIS-SUPERIEURE" in events[0].payload


def test_granting_twice_changes_nothing(
    client: TestClient, admin: Actor, inspector: Actor, session: Session
) -> None:
    url = f"/api/v1/inspectors/{inspector.id}/authorisations/TAPIS-MOYENNE"
    first = client.put(url, headers=admin.headers)
    second = client.put(url, headers=admin.headers)

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    rows = session.exec(
        select(InspectorAuthorisation).where(InspectorAuthorisation.inspector_id == inspector.id)
    ).all()
    assert len(rows) == len({row.scheme_id for row in rows})


def test_an_admin_revokes_and_regrants_an_authorisation(
    client: TestClient, admin: Actor, inspector: Actor
) -> None:
    url = f"/api/v1/inspectors/{inspector.id}/authorisations/TAPIS-MOYENNE"
    listing = f"/api/v1/inspectors/{inspector.id}/authorisations"

    revoked = client.delete(url, headers=admin.headers)

    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["is_active"] is False and revoked.json()["revoked_at"]
    active = [row["scheme_code"] for row in client.get(listing, headers=admin.headers).json()]
    assert "TAPIS-MOYENNE" not in active and "TAPIS-SUPERIEURE" in active
    everything = client.get(listing, params={"include_revoked": True}, headers=admin.headers)
    assert "TAPIS-MOYENNE" in [row["scheme_code"] for row in everything.json()]
    again = client.delete(url, headers=admin.headers)
    assert again.status_code == 404
    assert slug(again) == "authorisation-not-found"

    regranted = client.put(url, headers=admin.headers)
    assert regranted.status_code == 200 and regranted.json()["is_active"] is True


def test_revoking_what_was_never_granted_is_not_found(
    client: TestClient, admin: Actor, inspector: Actor
) -> None:
    response = client.delete(
        f"/api/v1/inspectors/{inspector.id}/authorisations/MADMOUN", headers=admin.headers
    )
    assert response.status_code == 404
    assert slug(response) == "authorisation-not-found"


def test_an_unknown_scheme_is_not_found(client: TestClient, admin: Actor, inspector: Actor) -> None:
    response = client.put(
        f"/api/v1/inspectors/{inspector.id}/authorisations/NO-SUCH-SCHEME", headers=admin.headers
    )
    assert response.status_code == 404
    assert slug(response) == "scheme-not-found"


def test_an_inspector_reads_its_own_authorisations_only(
    client: TestClient, inspector: Actor, admin: Actor
) -> None:
    colleague = _open(client, admin)
    mine = client.get(
        f"/api/v1/inspectors/{inspector.id}/authorisations", headers=inspector.headers
    )
    theirs = client.get(
        f"/api/v1/inspectors/{colleague['id']}/authorisations", headers=inspector.headers
    )

    assert mine.status_code == 200
    assert {row["scheme_code"] for row in mine.json()} >= {"TAPIS-SUPERIEURE", "MFM-1"}
    assert theirs.status_code == 404


def test_an_inspector_cannot_authorise_itself(client: TestClient, inspector: Actor) -> None:
    response = client.put(
        f"/api/v1/inspectors/{inspector.id}/authorisations/MADMOUN", headers=inspector.headers
    )
    assert response.status_code == 403
