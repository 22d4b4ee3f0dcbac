"""The product-line page of the workspace: describing what a label belongs to and its
photos, by the inspector and by the artisan itself; what it refuses."""

from __future__ import annotations

import io
import re
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import text
from sqlmodel import Session

from tests.fixtures.actors import Actor
from tests.registry.forms import product_form
from tests.workspace.support import Browser, SessionMint


@pytest.fixture
def line_id(client: TestClient, inspector: Actor, artisan: Actor) -> int:
    response = client.post(
        f"/api/v1/artisans/{artisan.artisan_id}/product-lines",
        json=product_form(name="Tapis Beni Ouarain", materials=["laine"]),
        headers=inspector.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def _jpeg() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "WorkshopCam"
    Image.new("RGB", (900, 600), (200, 150, 90)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _row(session: Session, line_id: int) -> Any:
    row = session.execute(
        text("SELECT name, craft, width_mm, length_mm, size_class FROM product_line WHERE id = :i"),
        {"i": line_id},
    ).one()
    session.rollback()
    return row


def test_the_inspector_describes_a_line_and_sees_what_buyers_read(
    client: TestClient, session: Session, inspector: Actor, sessions: SessionMint, line_id: int
) -> None:
    browser = Browser(client, sessions(inspector))
    url = f"/workspace/product-lines/{line_id}"
    csrf = browser.csrf(url + "?lang=en")
    saved = browser.post(
        url + "/description",
        data={
            "csrf_token": csrf,
            "name": "Tapis Beni Ouarain",
            "craft": "noué main",
            "materials": "laine, teintures naturelles",
            "width": "200",
            "length": "300,5",
        },
    )
    assert saved.status_code == 303, saved.text
    assert tuple(_row(session, line_id)) == ("Tapis Beni Ouarain", "noué main", 2000, 3005, None)
    shown = _words(browser.get(saved.headers["location"]).text)
    assert (
        "This label belongs to: Tapis Beni Ouarain, noué main, laine, teintures naturelles, "
        "200 × 300.5 cm — check that it matches the item in front of you." in shown
    )


def test_a_size_that_is_no_number_or_both_kinds_is_refused_and_nothing_changes(
    client: TestClient, session: Session, inspector: Actor, sessions: SessionMint, line_id: int
) -> None:
    browser = Browser(client, sessions(inspector))
    url = f"/workspace/product-lines/{line_id}"
    csrf = browser.csrf(url)
    base = {"csrf_token": csrf, "name": "Tapis", "materials": "laine"}
    words = browser.post(url + "/description", data={**base, "width": "deux mètres"})
    assert words.status_code == 422 and 'aria-invalid="true"' in words.text
    both = browser.post(url + "/description", data={**base, "width": "200", "size_class": "L"})
    assert both.status_code == 422
    assert tuple(_row(session, line_id)) == ("Tapis Beni Ouarain", None, None, None, None)
    no_csrf = browser.post(url + "/description", data={**base, "csrf_token": "x"})
    assert no_csrf.status_code == 403
    assert tuple(_row(session, line_id))[0] == "Tapis Beni Ouarain"


def test_the_artisan_adds_and_removes_a_photo(
    client: TestClient, session: Session, artisan_user: Actor, sessions: SessionMint, line_id: int
) -> None:
    browser = Browser(client, sessions(artisan_user))
    url = f"/workspace/product-lines/{line_id}"
    csrf = browser.csrf(url)
    sent = browser.post(
        url + "/photos",
        data={"csrf_token": csrf},
        files={"photo": ("a.jpg", _jpeg(), "image/jpeg")},
    )
    assert sent.status_code == 303, sent.text
    page = browser.get(url).text
    photo_id = re.search(r"/photos/([A-Za-z0-9_-]+)/thumb\.webp", page)
    assert photo_id is not None and 'alt="Photo 1 : Tapis Beni Ouarain"' in page
    thumb = client.get(f"/photos/{photo_id.group(1)}/thumb.webp")
    assert thumb.status_code == 200 and b"WorkshopCam" not in thumb.content
    not_a_photo = browser.post(
        url + "/photos",
        data={"csrf_token": csrf},
        files={"photo": ("a.jpg", b"%PDF", "image/jpeg")},
    )
    assert not_a_photo.status_code == 422
    assert "n'est pas une photo JPEG, PNG ou WebP" in unescape(not_a_photo.text)
    removed = browser.post(f"{url}/photos/{photo_id.group(1)}/remove", data={"csrf_token": csrf})
    assert removed.status_code == 303
    assert session.execute(text("SELECT count(*) FROM item_photo")).scalar_one() == 0
    session.rollback()


def test_another_body_s_line_is_not_found(
    client: TestClient, other_admin: Actor, sessions: SessionMint, line_id: int
) -> None:
    browser = Browser(client, sessions(other_admin))
    assert browser.get(f"/workspace/product-lines/{line_id}").status_code == 404
    csrf = browser.csrf()
    refused = browser.post(
        f"/workspace/product-lines/{line_id}/description",
        data={"csrf_token": csrf, "name": "Copie"},
    )
    assert refused.status_code == 404
