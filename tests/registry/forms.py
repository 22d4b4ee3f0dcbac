"""Request bodies and small HTTP helpers shared by the registry tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

PASSWORD = "a long enough password"


def artisan_form(**overrides: Any) -> dict[str, Any]:
    """A Taznakht weaving cooperative, registrable by the Drâa-Tafilalet chambre."""
    form: dict[str, Any] = {
        "nia": "NIA-08-900001",
        "kind": "cooperative",
        "display_name_latin": "Coopérative Tighza",
        "display_name_arabic": "تعاونية تيغزا",
        "region_code": "MA-08",
        "filiere_code": "F01",
        "metier": "Tapis noué main",
        "city": "Taznakht",
        "national_id": "DA998877",
        "phone": "+212 524 88 00 01",
        "address": "Douar Tighza, Taznakht",
    }
    form.update(overrides)
    return form


def product_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "family": "tapis",
        "name": "Tapis Ouzguita",
        "materials": ["laine", "teintures naturelles"],
    }
    form.update(overrides)
    return form


def bearer(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    """Log in through the API and return the Authorization header."""
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def slug(response: Any) -> str:
    """The problem type slug of an error response."""
    assert response.headers["content-type"] == "application/problem+json", response.text
    return str(response.json()["type"].rsplit("/", 1)[-1])


def count_rows(session: Session, table: Any) -> int:
    """How many rows ``table`` holds now. The read transaction is ended at once: on SQLite
    every transaction begins IMMEDIATE, so an open one would lock the app out."""
    try:
        return int(session.exec(select(func.count()).select_from(table)).one())
    finally:
        session.rollback()
