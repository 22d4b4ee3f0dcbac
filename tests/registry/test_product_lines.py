"""Product lines: GTIN validation and uniqueness, registry GTINs, visibility."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from schemas.registry import ProductLine
from tests.fixtures.actors import Actor
from tests.registry.forms import count_rows, product_form, slug
from verify.gtin import registry_gtin

# GS1 Maroc (611) GTIN-13s with valid check digits.
TAGINE_GTIN13 = "6111000020012"
ZELLIGE_GTIN13 = "6111000040010"


def _lines_url(artisan: Actor) -> str:
    return f"/api/v1/artisans/{artisan.artisan_id}/product-lines"


def _register(client: TestClient, actor: Actor, artisan: Actor, **form: Any) -> Any:
    return client.post(_lines_url(artisan), json=product_form(**form), headers=actor.headers)


def test_a_gtin_13_is_stored_as_a_gtin_14(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    response = _register(client, inspector, artisan, gtin=TAGINE_GTIN13)

    assert response.status_code == 201, response.text
    line = response.json()
    assert line["gtin"] == "0" + TAGINE_GTIN13
    assert line["gtin_source"] == "gs1"
    assert line["artisan_id"] == artisan.artisan_id
    assert line["materials"] == ["laine", "teintures naturelles"]


@pytest.mark.parametrize("gtin", ["96385074", "036000291452", "6111000040010", "06111000040010"])
def test_every_gtin_length_is_accepted(
    client: TestClient, inspector: Actor, artisan: Actor, gtin: str
) -> None:
    response = _register(client, inspector, artisan, gtin=gtin)
    assert response.status_code == 201, response.text
    assert response.json()["gtin"] == gtin.rjust(14, "0")


@pytest.mark.parametrize(
    "gtin", ["6111000020013", "611100002002", "61110000200120", "6111-0000-2001", "", "١٢٣٤٥٦٧٨"]
)
def test_a_malformed_gtin_is_refused(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session, gtin: str
) -> None:
    before = count_rows(session, ProductLine)
    response = _register(client, inspector, artisan, gtin=gtin)

    assert response.status_code == 422
    assert slug(response) == "gtin-invalid"
    assert count_rows(session, ProductLine) == before


def test_a_gtin_belongs_to_one_product_line_whatever_its_length(
    client: TestClient, inspector: Actor, artisan: Actor, other_artisan: Actor
) -> None:
    assert _register(client, inspector, artisan, gtin=ZELLIGE_GTIN13).status_code == 201

    same_as_14 = _register(client, inspector, other_artisan, gtin="0" + ZELLIGE_GTIN13)

    assert same_as_14.status_code == 409
    assert slug(same_as_14) == "gtin-taken"


def test_a_product_line_without_gtin_gets_a_registry_gtin(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    response = _register(client, inspector, artisan)

    assert response.status_code == 201, response.text
    line = response.json()
    assert line["gtin_source"] == "registry"
    assert line["gtin"] == registry_gtin(line["id"])


def test_the_registry_gtin_range_is_not_for_clients(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    response = _register(client, inspector, artisan, gtin=registry_gtin(424242))
    assert response.status_code == 422
    assert slug(response) == "gtin-reserved"


@pytest.mark.parametrize(
    "smuggled",
    [
        {"gtin_source": "registry"},
        {"artisan_id": 1},
        {"id": 5},
        {"materials": ["laine"] * 21},
        {"materials": ["x" * 61]},
        {"materials": [""]},
        {"family": ""},
    ],
)
def test_product_line_forms_are_bounded_and_closed(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session, smuggled: dict[str, Any]
) -> None:
    before = count_rows(session, ProductLine)
    response = _register(client, inspector, artisan, **smuggled)
    assert response.status_code == 422
    assert count_rows(session, ProductLine) == before


def test_lines_are_listed_for_the_body_and_the_artisan(
    client: TestClient, inspector: Actor, artisan_user: Actor
) -> None:
    _register(client, inspector, artisan_user, name="Tapis Akhnif")
    for actor in (inspector, artisan_user):
        page = client.get(_lines_url(artisan_user), headers=actor.headers).json()
        assert page["total"] == 2
        assert [line["name"] for line in page["items"]] == [
            "Tapis Ouzguita noué main",
            "Tapis Akhnif",
        ]


def test_one_line_is_read_by_its_body_and_its_artisan_only(
    client: TestClient,
    inspector: Actor,
    artisan_user: Actor,
    other_artisan_user: Actor,
    madmoun_inspector: Actor,
) -> None:
    url = f"/api/v1/product-lines/{artisan_user.extra['product_line_id']}"
    for actor in (inspector, artisan_user):
        response = client.get(url, headers=actor.headers)
        assert response.status_code == 200
        assert response.json()["gtin"] == "06111234000019"
    for stranger in (other_artisan_user, madmoun_inspector):
        response = client.get(url, headers=stranger.headers)
        assert response.status_code == 404
        assert slug(response) == "product-line-not-found"
    assert client.get("/api/v1/product-lines/99999", headers=inspector.headers).status_code == 404


def test_another_chambre_cannot_register_lines_for_our_artisans(
    client: TestClient, madmoun_inspector: Actor, artisan: Actor, session: Session
) -> None:
    before = count_rows(session, ProductLine)
    response = _register(client, madmoun_inspector, artisan)
    assert response.status_code == 404
    assert slug(response) == "artisan-not-found"
    assert count_rows(session, ProductLine) == before


def test_an_artisan_cannot_register_its_own_lines(client: TestClient, artisan_user: Actor) -> None:
    assert _register(client, artisan_user, artisan_user).status_code == 403
