"""Bodies: the public list, certification bodies and the admin accounts the CLI creates."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from core.problems import Conflict
from labeling.registry.errors import AccountDetailsInvalid, BodyDetailsInvalid, BodyNotFound
from labeling.registry.service import create_body_admin, create_certification_body
from schemas.accounts import UserAccount
from schemas.registry import Body
from tests.registry.forms import PASSWORD, bearer, slug


def test_the_body_list_is_public_and_holds_the_twelve_chambres(client: TestClient) -> None:
    response = client.get("/api/v1/bodies", params={"kind": "chambre"})

    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 12
    codes = [body["code"] for body in page["items"]]
    assert codes[0] == "CHAMBRE-MA-01" and "CHAMBRE-MA-12" in codes
    fes = next(body for body in page["items"] if body["code"] == "CHAMBRE-MA-03")
    assert fes == {
        "code": "CHAMBRE-MA-03",
        "kind": "chambre",
        "name": "Chambre d'artisanat de la région Fès-Meknès",
        "region_code": "MA-03",
        "is_assumption": False,
    }


def test_bodies_filter_by_region(client: TestClient) -> None:
    page = client.get("/api/v1/bodies", params={"region": "MA-08"}).json()
    assert [body["code"] for body in page["items"]] == ["CHAMBRE-MA-08"]
    assert page["items"][0]["is_assumption"] is True  # the name follows a pattern, unconfirmed


def test_one_body_by_code(client: TestClient) -> None:
    assert client.get("/api/v1/bodies/CHAMBRE-MA-07").json()["region_code"] == "MA-07"
    missing = client.get("/api/v1/bodies/CHAMBRE-MA-99")
    assert missing.status_code == 404
    assert slug(missing) == "body-not-found"


# --- Certification bodies -----------------------------------------------------------------


def test_a_certification_body_is_registered_and_listed(
    client: TestClient, session: Session
) -> None:
    body = create_certification_body(
        session=session, code=" oc-atlas ", name="Atlas Certification", is_assumption=True
    )

    assert body.code == "OC-ATLAS" and body.kind == "certification_body"
    page = client.get("/api/v1/bodies", params={"kind": "certification_body"}).json()
    assert page["items"] == [
        {
            "code": "OC-ATLAS",
            "kind": "certification_body",
            "name": "Atlas Certification",
            "region_code": None,
            "is_assumption": True,
        }
    ]


def test_a_certification_body_code_is_unique(session: Session) -> None:
    create_certification_body(session=session, code="OC-ATLAS", name="Atlas Certification")
    with pytest.raises(Conflict) as raised:
        create_certification_body(session=session, code="OC-ATLAS", name="Another")
    assert raised.value.instance_slug == "body-code-taken"


@pytest.mark.parametrize(
    ("code", "name"),
    [("CHAMBRE-MA-13", "Fake chambre"), ("OC ATLAS", "Atlas"), ("X", "Atlas"), ("OC-A", "")],
)
def test_a_certification_body_needs_a_usable_code_and_name(
    session: Session, code: str, name: str
) -> None:
    with pytest.raises(BodyDetailsInvalid):
        create_certification_body(session=session, code=code, name=name)
    assert session.exec(select(Body).where(Body.kind == "certification_body")).all() == []


# --- Body admins (the `khatem admin create` path) -----------------------------------------


def test_a_body_admin_is_created_and_can_log_in(client: TestClient, session: Session) -> None:
    user = create_body_admin(
        session=session,
        email="Admin.Fes@Chambre-Fes.ma",
        password=PASSWORD,
        display_name="Amina El Alaoui",
        body_code="chambre-ma-03",
    )

    assert user.role == "admin" and user.email == "admin.fes@chambre-fes.ma"
    fes = session.exec(select(Body).where(Body.code == "CHAMBRE-MA-03")).one()
    assert user.body_id == fes.id
    session.rollback()  # end the read: SQLite transactions begin IMMEDIATE
    me = client.get("/api/v1/auth/me", headers=bearer(client, "admin.fes@chambre-fes.ma"))
    assert me.json()["role"] == "admin"


def test_an_unknown_body_code_is_a_clear_error(session: Session) -> None:
    with pytest.raises(BodyNotFound, match="CHAMBRE-MA-01 … CHAMBRE-MA-12"):
        create_body_admin(
            session=session,
            email="a@chambre.ma",
            password=PASSWORD,
            display_name="A",
            body_code="CHAMBRE-FES",
        )
    assert session.exec(select(UserAccount)).all() == []


@pytest.mark.parametrize(
    ("email", "password", "display_name"),
    [
        ("not-an-email", PASSWORD, "A"),
        ("a@chambre.ma", "short", "A"),
        ("a@chambre.ma", PASSWORD, " "),
    ],
)
def test_a_body_admin_needs_usable_credentials(
    session: Session, email: str, password: str, display_name: str
) -> None:
    with pytest.raises(AccountDetailsInvalid):
        create_body_admin(
            session=session,
            email=email,
            password=password,
            display_name=display_name,
            body_code="CHAMBRE-MA-03",
        )
    assert session.exec(select(UserAccount)).all() == []


def test_a_certification_body_gets_an_admin(session: Session) -> None:
    body = create_certification_body(session=session, code="OC-ATLAS", name="Atlas")
    user = create_body_admin(
        session=session,
        email="admin@atlas.ma",
        password=PASSWORD,
        display_name="Admin",
        body_code="OC-ATLAS",
    )
    assert user.body_id == body.id
