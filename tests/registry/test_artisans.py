"""Registering, reading and updating artisans: the body scope and the privacy rule."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from schemas.registry import Artisan
from schemas.translog import LogEntry
from tests.fixtures.actors import Actor
from tests.registry.forms import PASSWORD, artisan_form, bearer, count_rows, slug

PRIVATE_FIELDS = ("national_id", "phone", "address")
CROCKFORD_10 = re.compile(r"[0-9ABCDEFGHJKMNPQRSTVWXYZ]{10}")


# --- Registration ------------------------------------------------------------------------


def test_an_inspector_registers_a_cooperative_into_its_own_body(
    client: TestClient, inspector: Actor, session: Session
) -> None:
    response = client.post("/api/v1/artisans", json=artisan_form(), headers=inspector.headers)

    assert response.status_code == 201, response.text
    artisan = response.json()
    assert artisan["view"] == "registry"
    assert artisan["body_id"] == inspector.body_id
    assert artisan["nia"] == "NIA-08-900001"
    assert artisan["display_name_arabic"] == "تعاونية تيغزا"
    assert CROCKFORD_10.fullmatch(artisan["public_id"])
    for name in PRIVATE_FIELDS:
        assert name not in artisan
    stored = session.get(Artisan, artisan["id"])
    assert stored is not None and stored.phone == "+212 524 88 00 01"
    assert stored.created_by == inspector.id


def test_registration_is_logged_without_personal_data(
    client: TestClient, registered: dict[str, Any], session: Session
) -> None:
    leaves = session.exec(select(LogEntry).where(LogEntry.event_type == "artisan.registered")).all()
    assert len(leaves) == 1
    payload = leaves[0].payload
    assert registered["public_id"] in payload
    for secret in ("DA998877", "+212", "Douar", "Tighza"):
        assert secret not in payload


def test_an_admin_registering_gets_the_private_view_back(client: TestClient, admin: Actor) -> None:
    response = client.post("/api/v1/artisans", json=artisan_form(), headers=admin.headers)

    assert response.status_code == 201, response.text
    assert response.json()["view"] == "private"
    assert response.json()["national_id"] == "DA998877"


def test_public_ids_are_random_and_distinct(client: TestClient, inspector: Actor) -> None:
    ids = set()
    for number in range(5):
        form = artisan_form(nia=f"NIA-08-90010{number}")
        response = client.post("/api/v1/artisans", json=form, headers=inspector.headers)
        assert response.status_code == 201, response.text
        ids.add(response.json()["public_id"])
    assert len(ids) == 5


def test_the_nia_is_unique_whatever_its_case(
    client: TestClient, inspector: Actor, registered: dict[str, Any], session: Session
) -> None:
    response = client.post(
        "/api/v1/artisans", json=artisan_form(nia="nia-08-900001"), headers=inspector.headers
    )

    assert response.status_code == 409
    assert slug(response) == "nia-taken"
    assert count_rows(session, Artisan) == 1


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"region_code": "MA-13"}, "unknown-region"),
        ({"filiere_code": "F99"}, "unknown-filiere"),
        ({"region_code": "MA-07", "city": "Safi"}, "region-outside-body"),
    ],
)
def test_registration_checks_the_catalogue_and_the_chambre_region(
    client: TestClient,
    inspector: Actor,
    session: Session,
    override: dict[str, str],
    expected: str,
) -> None:
    response = client.post(
        "/api/v1/artisans", json=artisan_form(**override), headers=inspector.headers
    )

    assert response.status_code == 422
    assert slug(response) == expected
    assert count_rows(session, Artisan) == 0


def test_a_certification_body_registers_artisans_of_any_region(
    client: TestClient, certification_inspector: Actor
) -> None:
    form = artisan_form(region_code="MA-09", city="Tiznit", filiere_code="F09")
    response = client.post("/api/v1/artisans", json=form, headers=certification_inspector.headers)

    assert response.status_code == 201, response.text
    assert response.json()["body_id"] == certification_inspector.body_id


@pytest.mark.parametrize(
    "server_owned",
    [
        {"id": 999},
        {"public_id": "0123456789"},
        {"body_id": 1},
        {"created_by": 1},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"view": "private"},
    ],
)
def test_server_owned_fields_cannot_be_sent(
    client: TestClient, inspector: Actor, session: Session, server_owned: dict[str, Any]
) -> None:
    response = client.post(
        "/api/v1/artisans", json=artisan_form(**server_owned), headers=inspector.headers
    )

    assert response.status_code == 422
    assert slug(response) == "validation-error"
    assert count_rows(session, Artisan) == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"display_name_arabic": "Cooperative Tighza"},  # no Arabic letter
        {"city": "Taz\nnakht"},
        {"display_name_latin": "x" * 201},
        {"kind": "guild"},
        {"nia": "NIA 08"},
        {"phone": "call me"},
        {"region_code": "ma-08"},
    ],
)
def test_malformed_fields_are_refused(
    client: TestClient, inspector: Actor, session: Session, bad: dict[str, Any]
) -> None:
    response = client.post("/api/v1/artisans", json=artisan_form(**bad), headers=inspector.headers)

    assert response.status_code == 422
    assert count_rows(session, Artisan) == 0


def test_nul_characters_never_reach_the_database(
    client: TestClient, inspector: Actor, session: Session
) -> None:
    form = artisan_form(display_name_latin="Tighza\x00")
    response = client.post("/api/v1/artisans", json=form, headers=inspector.headers)

    # The request guard refuses NUL before the schema does; either way, nothing is stored.
    assert response.status_code in (400, 422)
    assert count_rows(session, Artisan) == 0


def test_private_fields_are_optional(client: TestClient, inspector: Actor) -> None:
    form = artisan_form()
    for name in PRIVATE_FIELDS:
        del form[name]
    response = client.post("/api/v1/artisans", json=form, headers=inspector.headers)

    assert response.status_code == 201, response.text


def test_artisans_and_strangers_cannot_register(client: TestClient, artisan_user: Actor) -> None:
    form = artisan_form()
    assert client.post("/api/v1/artisans", json=form).status_code == 401
    forbidden = client.post("/api/v1/artisans", json=form, headers=artisan_user.headers)
    assert forbidden.status_code == 403


# --- Reading: who sees what ---------------------------------------------------------------


def test_inspectors_never_read_personal_data(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    response = client.get(f"/api/v1/artisans/{artisan.artisan_id}", headers=inspector.headers)

    assert response.status_code == 200
    assert response.json()["view"] == "registry"
    assert not set(PRIVATE_FIELDS) & set(response.json())
    assert "+212600000000" not in response.text


def test_the_body_admin_reads_personal_data(
    client: TestClient, admin: Actor, artisan: Actor
) -> None:
    response = client.get(f"/api/v1/artisans/{artisan.artisan_id}", headers=admin.headers)

    assert response.status_code == 200
    assert response.json()["view"] == "private"
    assert response.json()["phone"] == "+212600000000"


def test_an_artisan_reads_its_own_record_with_personal_data(
    client: TestClient, artisan_user: Actor
) -> None:
    mine = client.get("/api/v1/artisans/me", headers=artisan_user.headers)
    by_id = client.get(f"/api/v1/artisans/{artisan_user.artisan_id}", headers=artisan_user.headers)

    assert mine.status_code == by_id.status_code == 200
    assert mine.json() == by_id.json()
    assert mine.json()["view"] == "private"
    assert mine.json()["national_id"] == "CIN-000123"


def test_an_artisan_cannot_see_another_artisan(
    client: TestClient, artisan_user: Actor, other_artisan: Actor
) -> None:
    response = client.get(
        f"/api/v1/artisans/{other_artisan.artisan_id}", headers=artisan_user.headers
    )

    assert response.status_code == 404
    assert slug(response) == "artisan-not-found"


def test_another_chambre_sees_nothing_of_our_artisans(
    client: TestClient, madmoun_inspector: Actor, other_admin: Actor, artisan: Actor
) -> None:
    for actor in (madmoun_inspector, other_admin):
        hidden = client.get(f"/api/v1/artisans/{artisan.artisan_id}", headers=actor.headers)
        missing = client.get("/api/v1/artisans/999999", headers=actor.headers)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()
        listing = client.get("/api/v1/artisans", headers=actor.headers)
        assert listing.json()["total"] == 0


def test_the_me_route_is_for_artisans_only(client: TestClient, inspector: Actor) -> None:
    assert client.get("/api/v1/artisans/me", headers=inspector.headers).status_code == 403


def test_artisans_cannot_list_the_registry(client: TestClient, artisan_user: Actor) -> None:
    assert client.get("/api/v1/artisans", headers=artisan_user.headers).status_code == 403


def test_out_of_range_ids_are_validation_errors_not_crashes(
    client: TestClient, inspector: Actor
) -> None:
    for raw in ("0", "-1", str(2**63), "abc"):
        response = client.get(f"/api/v1/artisans/{raw}", headers=inspector.headers)
        assert response.status_code == 422, raw


# --- Lists and filters --------------------------------------------------------------------


def _register(client: TestClient, actor: Actor, number: int, **overrides: Any) -> None:
    form = artisan_form(nia=f"NIA-08-9{number:05d}", **overrides)
    response = client.post("/api/v1/artisans", json=form, headers=actor.headers)
    assert response.status_code == 201, response.text


def test_the_list_holds_the_body_artisans_without_personal_data(
    client: TestClient, admin: Actor, artisan: Actor, other_artisan: Actor, potter: Actor
) -> None:
    response = client.get("/api/v1/artisans", headers=admin.headers)

    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 2
    assert [item["id"] for item in page["items"]] == [artisan.artisan_id, other_artisan.artisan_id]
    assert all(item["view"] == "registry" for item in page["items"])
    assert all(not set(PRIVATE_FIELDS) & set(item) for item in page["items"])


def test_the_list_filters_by_kind_city_filiere_and_region(
    client: TestClient, inspector: Actor
) -> None:
    _register(client, inspector, 1)
    _register(client, inspector, 2, kind="maalem", city="Zagora")
    _register(
        client,
        inspector,
        3,
        kind="artisan",
        city="Tamegroute",
        filiere_code="F04",
        metier="Potier",
        display_name_latin="Ahmed Bouzidi",
    )

    def total(**params: str) -> int:
        response = client.get("/api/v1/artisans", params=params, headers=inspector.headers)
        assert response.status_code == 200, response.text
        return int(response.json()["total"])

    assert total() == 3
    assert total(kind="maalem") == 1
    assert total(city="taznakht") == 1
    assert total(filiere="F04") == 1
    assert total(region="MA-08") == 3
    assert total(region="MA-07") == 0
    assert total(kind="maalem", city="Taznakht") == 0


def test_the_text_search_reads_both_scripts(client: TestClient, inspector: Actor) -> None:
    _register(client, inspector, 1)
    _register(
        client,
        inspector,
        2,
        display_name_latin="Fadma Ait Brahim",
        display_name_arabic="فاضمة آيت إبراهيم",
        kind="artisan",
    )

    def names(q: str) -> list[str]:
        response = client.get("/api/v1/artisans", params={"q": q}, headers=inspector.headers)
        assert response.status_code == 200, response.text
        return [item["display_name_latin"] for item in response.json()["items"]]

    assert names("tighza") == ["Coopérative Tighza"]
    assert names("BRAHIM") == ["Fadma Ait Brahim"]
    assert names("إبراهيم") == ["Fadma Ait Brahim"]
    assert names("%") == []  # LIKE wildcards are searched literally
    assert names("_") == []


# --- Updates ------------------------------------------------------------------------------


def test_an_inspector_updates_non_identity_fields(
    client: TestClient, inspector: Actor, registered: dict[str, Any], session: Session
) -> None:
    response = client.patch(
        f"/api/v1/artisans/{registered['id']}",
        json={"city": "Ouarzazate", "phone": "+212 600 00 00 09"},
        headers=inspector.headers,
    )

    assert response.status_code == 200, response.text
    assert response.json()["city"] == "Ouarzazate"
    assert "phone" not in response.json()
    stored = session.get(Artisan, registered["id"])
    assert stored is not None
    session.refresh(stored)
    assert stored.phone == "+212 600 00 00 09"
    assert stored.display_name_latin == "Coopérative Tighza"  # untouched


def test_an_admin_clears_a_phone_number(client: TestClient, admin: Actor, artisan: Actor) -> None:
    response = client.patch(
        f"/api/v1/artisans/{artisan.artisan_id}", json={"phone": None}, headers=admin.headers
    )

    assert response.status_code == 200, response.text
    assert response.json()["phone"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"nia": "NIA-08-000999"},
        {"kind": "entreprise"},
        {"national_id": "X1234"},
        {"region_code": "MA-07"},
        {"public_id": "ZZZZZZZZZZ"},
        {"body_id": 2},
        {"city": None},
        {"display_name_arabic": None},
    ],
)
def test_identity_and_required_fields_cannot_be_changed_or_cleared(
    client: TestClient, admin: Actor, artisan: Actor, session: Session, change: dict[str, Any]
) -> None:
    response = client.patch(
        f"/api/v1/artisans/{artisan.artisan_id}", json=change, headers=admin.headers
    )

    assert response.status_code == 422
    stored = session.get(Artisan, artisan.artisan_id)
    assert stored is not None
    session.refresh(stored)
    assert stored.nia == "NIA-08-000123" and stored.city == "Taznakht"


def test_an_update_checks_the_filiere(client: TestClient, admin: Actor, artisan: Actor) -> None:
    response = client.patch(
        f"/api/v1/artisans/{artisan.artisan_id}",
        json={"filiere_code": "F77"},
        headers=admin.headers,
    )
    assert response.status_code == 422
    assert slug(response) == "unknown-filiere"


def test_another_chambre_cannot_update_our_artisans(
    client: TestClient, other_admin: Actor, artisan: Actor
) -> None:
    response = client.patch(
        f"/api/v1/artisans/{artisan.artisan_id}",
        json={"city": "Safi"},
        headers=other_admin.headers,
    )
    assert response.status_code == 404
    assert slug(response) == "artisan-not-found"


def test_an_artisan_cannot_update_its_record(client: TestClient, artisan_user: Actor) -> None:
    response = client.patch(
        f"/api/v1/artisans/{artisan_user.artisan_id}",
        json={"city": "Rabat"},
        headers=artisan_user.headers,
    )
    assert response.status_code == 403


# --- The artisan's login account ----------------------------------------------------------


def test_the_admin_opens_the_artisans_login(
    client: TestClient, admin: Actor, artisan: Actor
) -> None:
    response = client.post(
        f"/api/v1/artisans/{artisan.artisan_id}/account",
        json={"email": "akhiam@cooperative.ma", "password": PASSWORD},
        headers=admin.headers,
    )

    assert response.status_code == 201, response.text
    account = response.json()
    assert account["role"] == "artisan"
    assert account["artisan_id"] == artisan.artisan_id
    assert account["body_id"] is None
    assert account["display_name"] == "Coopérative Akhiam"
    headers = bearer(client, "akhiam@cooperative.ma")
    mine = client.get("/api/v1/artisans/me", headers=headers)
    assert mine.status_code == 200
    assert mine.json()["id"] == artisan.artisan_id


def test_an_artisan_has_one_login(client: TestClient, admin: Actor, artisan_user: Actor) -> None:
    response = client.post(
        f"/api/v1/artisans/{artisan_user.artisan_id}/account",
        json={"email": "second@cooperative.ma", "password": PASSWORD},
        headers=admin.headers,
    )
    assert response.status_code == 409
    assert slug(response) == "artisan-account-exists"


def test_only_the_own_admin_opens_an_artisan_login(
    client: TestClient, inspector: Actor, other_admin: Actor, artisan: Actor
) -> None:
    form = {"email": "akhiam@cooperative.ma", "password": PASSWORD}
    url = f"/api/v1/artisans/{artisan.artisan_id}/account"
    assert client.post(url, json=form, headers=inspector.headers).status_code == 403
    other = client.post(url, json=form, headers=other_admin.headers)
    assert other.status_code == 404
    assert slug(other) == "artisan-not-found"


def test_an_artisan_login_cannot_choose_its_role(
    client: TestClient, admin: Actor, artisan: Actor
) -> None:
    response = client.post(
        f"/api/v1/artisans/{artisan.artisan_id}/account",
        json={"email": "akhiam@cooperative.ma", "password": PASSWORD, "role": "admin"},
        headers=admin.headers,
    )
    assert response.status_code == 422
