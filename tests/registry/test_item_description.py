"""A product line's description and photos through the API: who may change them, what is
refused (problem+json, nothing changed) and what the registry keeps and serves. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from core.db import engine_for
from core.settings import Settings
from main import create_app
from tests.fixtures.actors import Actor
from tests.registry.forms import product_form

DESCRIPTION: dict[str, Any] = {
    "name": "Beni Ouarain carpet",
    "craft": "hand-knotted",
    "materials": ["wool"],
    "size": {"width_mm": 2000, "length_mm": 3000},
}


def jpeg(width: int = 800, height: int = 600, **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 120, 60)).save(out, "JPEG", **save)
    return out.getvalue()


@pytest.fixture
def line(client: TestClient, inspector: Actor, artisan: Actor) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/artisans/{artisan.artisan_id}/product-lines",
        json=product_form(),
        headers=inspector.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _describe(client: TestClient, actor: Actor, line_id: int, body: Any) -> Any:
    return client.put(
        f"/api/v1/product-lines/{line_id}/description", json=body, headers=actor.headers
    )


def _upload(
    client: TestClient, actor: Actor, line_id: int, data: bytes, name: str = "p.jpg"
) -> Any:
    return client.post(
        f"/api/v1/product-lines/{line_id}/photos",
        files={"file": (name, data, "image/jpeg")},
        headers=actor.headers,
    )


def _problem(response: Any, status: int, slug: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/" + slug)


def test_an_inspector_describes_a_line(
    client: TestClient, inspector: Actor, line: dict[str, Any]
) -> None:
    response = _describe(client, inspector, line["id"], DESCRIPTION)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "Beni Ouarain carpet"
    assert body["craft"] == "hand-knotted"
    assert body["materials"] == ["wool"]
    assert body["size"] == {"class": None, "width_mm": 2000, "length_mm": 3000, "height_mm": None}
    again = client.get(f"/api/v1/product-lines/{line['id']}", headers=inspector.headers).json()
    assert again["size"] == body["size"] and again["gtin"] == line["gtin"]


def test_the_artisan_itself_may_describe_its_line_and_no_one_else(
    client: TestClient,
    artisan_user: Actor,
    other_artisan_user: Actor,
    other_admin: Actor,
    line: dict[str, Any],
) -> None:
    sized = {**DESCRIPTION, "size": {"class": "L"}}
    assert _describe(client, artisan_user, line["id"], sized).status_code == 200
    _problem(
        _describe(client, other_artisan_user, line["id"], sized), 404, "product-line-not-found"
    )
    _problem(_describe(client, other_admin, line["id"], sized), 404, "product-line-not-found")


@pytest.mark.parametrize(
    "size",
    [
        {},
        {"class": "L", "width_mm": 100},
        {"class": "XXL"},
        {"width_mm": 0},
        {"width_mm": 50_001},
        {"width_mm": 12.5},
        {"width_mm": None},
        {"depth_mm": 10},
    ],
)
def test_a_size_is_a_class_or_dimensions(
    client: TestClient, inspector: Actor, line: dict[str, Any], size: dict[str, Any]
) -> None:
    response = _describe(client, inspector, line["id"], {**DESCRIPTION, "size": size})
    _problem(response, 422, "validation-error")
    kept = client.get(f"/api/v1/product-lines/{line['id']}", headers=inspector.headers).json()
    assert kept["name"] == line["name"] and kept["size"] is None


def test_a_description_change_is_logged_with_hashes_only(
    client: TestClient, inspector: Actor, line: dict[str, Any], session: Session
) -> None:
    assert _describe(client, inspector, line["id"], DESCRIPTION).status_code == 200
    rows = session.execute(
        text("SELECT payload FROM log_entry WHERE event_type = 'product_line.described'")
    ).all()
    session.rollback()
    described = [str(row[0]) for row in rows]
    assert len(described) == 1
    assert "Beni Ouarain" not in described[0] and "description_sha256" in described[0]


def test_a_photo_is_cleaned_resized_and_served(
    client: TestClient, inspector: Actor, line: dict[str, Any]
) -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (33.0, 59.0, 1.0)}  # GPS
    response = _upload(client, inspector, line["id"], jpeg(3000, 2000, exif=exif.tobytes()))
    assert response.status_code == 201, response.text
    photo = response.json()
    assert (photo["width"], photo["height"]) == (1200, 800)
    served = client.get(photo["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"
    assert "max-age=2592000" in served.headers["cache-control"]
    assert b"SecretCam" not in served.content
    kept = Image.open(io.BytesIO(served.content))
    assert kept.size == (1200, 800) and not kept.getexif()
    thumb = client.get(photo["thumbnail_url"])
    assert Image.open(io.BytesIO(thumb.content)).size == (320, 213)
    cached = client.get(photo["url"], headers={"If-None-Match": served.headers["etag"]})
    assert cached.status_code == 304
    listed = client.get(f"/api/v1/product-lines/{line['id']}", headers=inspector.headers).json()
    assert [p["id"] for p in listed["photos"]] == [photo["id"]]


def test_uploads_that_are_not_photos_are_refused(
    client: TestClient, inspector: Actor, line: dict[str, Any], session: Session
) -> None:
    _problem(
        _upload(client, inspector, line["id"], b"%PDF-1.7 not a photo"), 422, "photo-not-an-image"
    )
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    _problem(_upload(client, inspector, line["id"], gif.getvalue()), 422, "photo-not-an-image")
    missing = client.post(
        f"/api/v1/product-lines/{line['id']}/photos",
        files={"other": ("p.jpg", jpeg(), "image/jpeg")},
        headers=inspector.headers,
    )
    _problem(missing, 422, "photo-missing")
    count = session.execute(text("SELECT count(*) FROM item_photo")).scalar_one()
    session.rollback()
    assert count == 0


def _client_with(settings: Settings, **limits: int) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=limits)))


def test_a_photo_over_the_limit_is_refused(
    inspector: Actor, line: dict[str, Any], settings: Settings
) -> None:
    with _client_with(settings, max_photo_bytes=2048) as client:
        big = jpeg(800, 600, quality=95)
        _problem(_upload(client, inspector, line["id"], big), 413, "photo-too-large")


def test_a_line_holds_at_most_so_many_photos_and_one_can_be_removed(
    inspector: Actor, artisan_user: Actor, line: dict[str, Any], settings: Settings
) -> None:
    with _client_with(settings, max_photos_per_line=2) as client:
        _at_most_two(client, inspector, artisan_user, line)


def _at_most_two(
    client: TestClient, inspector: Actor, artisan_user: Actor, line: dict[str, Any]
) -> None:
    first = _upload(client, inspector, line["id"], jpeg()).json()
    assert _upload(client, artisan_user, line["id"], jpeg()).status_code == 201
    _problem(_upload(client, inspector, line["id"], jpeg()), 409, "photo-limit-reached")
    url = f"/api/v1/product-lines/{line['id']}/photos/{first['id']}"
    removed = client.delete(url, headers=inspector.headers)
    assert removed.status_code == 200 and len(removed.json()["photos"]) == 1
    _problem(client.delete(url, headers=inspector.headers), 404, "photo-not-found")
    assert client.get(first["url"]).status_code == 404
    assert _upload(client, inspector, line["id"], jpeg()).status_code == 201


def test_strangers_cannot_upload(
    client: TestClient, other_admin: Actor, line: dict[str, Any]
) -> None:
    _problem(_upload(client, other_admin, line["id"], jpeg()), 404, "product-line-not-found")
    anonymous = client.post(
        f"/api/v1/product-lines/{line['id']}/photos",
        files={"file": ("p.jpg", jpeg(), "image/jpeg")},
    )
    assert anonymous.status_code == 401


def test_migration_0010_makes_the_tables_the_models_declare(db_url: str) -> None:
    with engine_for(db_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
        connection.rollback()
    mine = ("'item_photo'", "'product_line'")
    assert [d for d in differences if any(name in repr(d) for name in mine)] == []
