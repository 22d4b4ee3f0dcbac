"""Steps of registry.feature: a chambre's admin, its inspectors, artisans and products.

State passes between steps through ``target_fixture`` fixtures; each "Given" creates what
it names through the API, the way the people in the scenarios would.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response  # what the TestClient answers
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from schemas.registry import Body, Region
from schemas.types import Role
from tests.fixtures.actors import Actor, make_user
from verify.gtin import is_registry_gtin

scenarios("registry.feature")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Steps ask for fixtures lazily; requesting ``db_url`` up front runs every scenario on
    SQLite and on PostgreSQL."""
    return db_url


INSPECTOR_PASSWORD = "un mot de passe assez long"
COOPERATIVE_PASSWORD = "tighza tighza tighza"
PHONE = "+212 524 88 00 01"


def _chambre_staff(session: Session, region_name: str, role: Role) -> Actor:
    region = session.exec(select(Region).where(Region.name == region_name)).one()
    body = session.exec(select(Body).where(Body.region_code == region.code)).one()
    session.rollback()  # end the read: SQLite transactions begin IMMEDIATE
    return make_user(
        session, email=f"{role.value}.{region.code.lower()}@chambre.ma", role=role, body_id=body.id
    )


def _cooperative_form(name: str, city: str, nia: str, region: str = "MA-08") -> dict[str, Any]:
    return {
        "nia": nia,
        "kind": "cooperative",
        "display_name_latin": name,
        "display_name_arabic": "تعاونية تيغزا",
        "region_code": region,
        "filiere_code": "F01",
        "metier": "Tapis noué main",
        "city": city,
        "national_id": "DA998877",
        "phone": PHONE,
    }


def _slug(response: Response) -> str:
    return str(response.json()["type"].rsplit("/", 1)[-1])


## Given


@given(parsers.parse("the chambre of {region_name} with an admin"), target_fixture="chambre_admin")
def chambre_admin(session: Session, region_name: str) -> Actor:
    """The admin account of the chambre of the region named, e.g. Drâa-Tafilalet."""
    return _chambre_staff(session, region_name, Role.ADMIN)


@given("an inspector of the chambre", target_fixture="chambre_inspector")
def chambre_inspector(session: Session, chambre_admin: Actor) -> Actor:
    return make_user(
        session,
        email="inspecteur@chambre-draa.ma",
        role=Role.INSPECTOR,
        body_id=chambre_admin.body_id,
    )


@given(
    parsers.parse('an inspector of the chambre authorised for "{scheme}"'),
    target_fixture="chambre_inspector",
)
def authorised_inspector(
    client: TestClient, session: Session, chambre_admin: Actor, scheme: str
) -> Actor:
    inspector = chambre_inspector(session, chambre_admin)
    url = f"/api/v1/inspectors/{inspector.id}/authorisations/{scheme}"
    assert client.put(url, headers=chambre_admin.headers).status_code == 200
    return inspector


@given(
    parsers.parse("an inspector of the chambre of {region_name}"),
    target_fixture="rival_inspector",
)
def rival_inspector(session: Session, region_name: str) -> Actor:
    """An inspector of another chambre, e.g. Marrakech-Safi."""
    return _chambre_staff(session, region_name, Role.INSPECTOR)


@given(
    parsers.parse(
        'the inspector has registered the cooperative "{name}" of "{city}" with NIA "{nia}"'
    ),
    target_fixture="cooperative",
)
def registered_cooperative(
    client: TestClient, chambre_inspector: Actor, name: str, city: str, nia: str
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/artisans",
        json=_cooperative_form(name, city, nia),
        headers=chambre_inspector.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


@given("the admin has opened the cooperative's own account", target_fixture="cooperative_login")
def cooperative_login(
    client: TestClient, chambre_admin: Actor, cooperative: dict[str, Any]
) -> dict[str, str]:
    email = "tighza@cooperative.ma"
    opened = client.post(
        f"/api/v1/artisans/{cooperative['id']}/account",
        json={"email": email, "password": COOPERATIVE_PASSWORD},
        headers=chambre_admin.headers,
    )
    assert opened.status_code == 201, opened.text
    token = client.post(
        "/api/v1/auth/token", json={"email": email, "password": COOPERATIVE_PASSWORD}
    )
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


## When


@when(
    parsers.parse('the admin opens an inspector account for "{display_name}"'),
    target_fixture="chambre_inspector",
)
def open_inspector_account(client: TestClient, chambre_admin: Actor, display_name: str) -> Actor:
    form = {
        "email": "youssef.amrani@chambre-draa.ma",
        "password": INSPECTOR_PASSWORD,
        "display_name": display_name,
    }
    response = client.post("/api/v1/inspectors", json=form, headers=chambre_admin.headers)
    assert response.status_code == 201, response.text
    opened = response.json()
    # No token yet: whether the inspector can sign in is what a later step checks.
    return Actor(
        id=opened["id"],
        email=opened["email"],
        role=Role.INSPECTOR,
        token="",
        body_id=chambre_admin.body_id,
    )


@when(parsers.parse('the admin authorises the inspector for "{scheme}"'))
def authorise(
    client: TestClient, chambre_admin: Actor, chambre_inspector: Actor, scheme: str
) -> None:
    url = f"/api/v1/inspectors/{chambre_inspector.id}/authorisations/{scheme}"
    response = client.put(url, headers=chambre_admin.headers)
    assert response.status_code == 200, response.text


@when(parsers.parse('the admin withdraws the inspector\'s authorisation for "{scheme}"'))
def withdraw(
    client: TestClient, chambre_admin: Actor, chambre_inspector: Actor, scheme: str
) -> None:
    url = f"/api/v1/inspectors/{chambre_inspector.id}/authorisations/{scheme}"
    response = client.delete(url, headers=chambre_admin.headers)
    assert response.status_code == 200, response.text


@when(
    parsers.parse('the inspector registers the cooperative "{name}" of "{city}" with NIA "{nia}"'),
    target_fixture="registration",
)
def register_cooperative(
    client: TestClient, chambre_inspector: Actor, name: str, city: str, nia: str
) -> Response:
    return client.post(
        "/api/v1/artisans",
        json=_cooperative_form(name, city, nia),
        headers=chambre_inspector.headers,
    )


@when(
    parsers.parse(
        'the inspector registers the cooperative "{name}" of "{city}" in region "{region}"'
    ),
    target_fixture="registration",
)
def register_cooperative_elsewhere(
    client: TestClient, chambre_inspector: Actor, name: str, city: str, region: str
) -> Response:
    form = _cooperative_form(name, city, "NIA-07-555009", region=region)
    return client.post("/api/v1/artisans", json=form, headers=chambre_inspector.headers)


@when("the Marrakech-Safi inspector looks the cooperative up", target_fixture="lookup")
def rival_lookup(
    client: TestClient, rival_inspector: Actor, cooperative: dict[str, Any]
) -> Response:
    return client.get(f"/api/v1/artisans/{cooperative['id']}", headers=rival_inspector.headers)


@when("the cooperative reads its own record", target_fixture="record")
def own_record(client: TestClient, cooperative_login: dict[str, str]) -> dict[str, Any]:
    response = client.get("/api/v1/artisans/me", headers=cooperative_login)
    assert response.status_code == 200, response.text
    return dict(response.json())


@when("the inspector reads the cooperative's record", target_fixture="record")
def inspector_reads(
    client: TestClient, chambre_inspector: Actor, cooperative: dict[str, Any]
) -> dict[str, Any]:
    response = client.get(
        f"/api/v1/artisans/{cooperative['id']}", headers=chambre_inspector.headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


@when(
    parsers.parse('the inspector registers the product line "{name}" without a GTIN'),
    target_fixture="product_registration",
)
def product_without_gtin(
    client: TestClient, chambre_inspector: Actor, cooperative: dict[str, Any], name: str
) -> Response:
    return client.post(
        f"/api/v1/artisans/{cooperative['id']}/product-lines",
        json={"family": "tapis", "name": name, "materials": ["laine"]},
        headers=chambre_inspector.headers,
    )


@when(
    parsers.parse('the inspector registers the product line "{name}" with GTIN "{gtin}"'),
    target_fixture="product_registration",
)
def product_with_gtin(
    client: TestClient,
    chambre_inspector: Actor,
    cooperative: dict[str, Any],
    name: str,
    gtin: str,
) -> Response:
    return client.post(
        f"/api/v1/artisans/{cooperative['id']}/product-lines",
        json={"family": "tapis", "name": name, "materials": ["laine"], "gtin": gtin},
        headers=chambre_inspector.headers,
    )


## Then


@then("the inspector can sign in")
def inspector_signs_in(client: TestClient, chambre_inspector: Actor) -> None:
    response = client.post(
        "/api/v1/auth/token",
        json={"email": chambre_inspector.email, "password": INSPECTOR_PASSWORD},
    )
    assert response.status_code == 201, response.text


@then(parsers.parse("the inspector is authorised for {count:d} label scheme"))
@then(parsers.parse("the inspector is authorised for {count:d} label schemes"))
def authorised_count(
    client: TestClient, chambre_admin: Actor, chambre_inspector: Actor, count: int
) -> None:
    response = client.get(
        f"/api/v1/inspectors/{chambre_inspector.id}/authorisations",
        headers=chambre_admin.headers,
    )
    assert response.status_code == 200
    assert len(response.json()) == count


@then(parsers.parse('the chambre\'s registry lists {count:d} artisan in "{city}"'))
def registry_lists(
    client: TestClient, chambre_inspector: Actor, registration: Response, count: int, city: str
) -> None:
    assert registration.status_code == 201, registration.text
    page = client.get(
        "/api/v1/artisans", params={"city": city}, headers=chambre_inspector.headers
    ).json()
    assert page["total"] == count


@then(parsers.parse("the cooperative has a {length:d}-character public registry id"))
def public_registry_id(registration: Response, length: int) -> None:
    public_id = registration.json()["public_id"]
    assert len(public_id) == length and public_id.isalnum() and public_id.isupper()


@then(parsers.parse('the registration is refused because "{reason}"'))
def registration_refused(registration: Response, reason: str) -> None:
    assert registration.status_code in (409, 422)
    assert _slug(registration) == reason


@then("the cooperative is not found")
def not_found(lookup: Response) -> None:
    assert lookup.status_code == 404
    assert _slug(lookup) == "artisan-not-found"


@then(parsers.parse("the Marrakech-Safi inspector's registry lists {count:d} artisans"))
def rival_registry(client: TestClient, rival_inspector: Actor, count: int) -> None:
    page = client.get("/api/v1/artisans", headers=rival_inspector.headers).json()
    assert page["total"] == count


@then(parsers.parse('it sees its phone number "{phone}"'))
def sees_phone(record: dict[str, Any], phone: str) -> None:
    assert record["phone"] == phone
    assert record["national_id"] == "DA998877"


@then("no phone number is shown")
def no_phone(record: dict[str, Any]) -> None:
    assert "phone" not in record and "national_id" not in record
    assert PHONE not in str(record)


@then("the product line has a registry GTIN")
def registry_gtin_assigned(product_registration: Response) -> None:
    assert product_registration.status_code == 201, product_registration.text
    line = product_registration.json()
    assert line["gtin_source"] == "registry"
    assert is_registry_gtin(line["gtin"])


@then(parsers.parse('the product line is refused because "{reason}"'))
def product_refused(product_registration: Response, reason: str) -> None:
    assert product_registration.status_code == 422
    assert _slug(product_registration) == reason
