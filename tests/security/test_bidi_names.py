"""Names travel to public pages, labels, badges and the verdict JSON that retailers' systems
print: a bidi override (U+202E makes ``Coop gnp.exe`` read ``Coop exe.png``) is refused at the
door, with a message that says why, and nothing is stored."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from schemas.registry import Artisan, ProductLine
from schemas.text import WITHOUT_BIDI_CONTROLS, refuse_bidi_controls
from tests.fixtures.actors import Actor
from tests.registry.forms import artisan_form, count_rows, product_form

CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name_latin", "Coop \u202egnp.exe"),
        ("display_name_arabic", "تعاونية \u2067تيغزا\u2069"),
        ("city", "Taznakht\u202d"),
        ("metier", "\u202aTapis noué main"),
    ],
)
def test_an_artisan_name_with_a_bidi_control_is_refused(
    client: TestClient, inspector: Actor, session: Session, field: str, value: str
) -> None:
    before = count_rows(session, Artisan)
    response = client.post(
        "/api/v1/artisans", json=artisan_form(**{field: value}), headers=inspector.headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "bidirectional control character" in response.text
    assert count_rows(session, Artisan) == before


def test_a_renamed_artisan_cannot_take_a_bidi_control(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    response = client.patch(
        f"/api/v1/artisans/{artisan.artisan_id}",
        json={"display_name_latin": "Maâlem \u202eiddirD"},
        headers=inspector.headers,
    )
    assert response.status_code == 422, response.text
    shown = client.get(f"/api/v1/artisans/{artisan.artisan_id}", headers=inspector.headers).json()
    assert "\u202e" not in shown["display_name_latin"]


def test_a_product_line_name_with_a_bidi_control_is_refused(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session
) -> None:
    before = count_rows(session, ProductLine)
    response = client.post(
        f"/api/v1/artisans/{artisan.artisan_id}/product-lines",
        json=product_form(name="Tapis \u202eatiugzuO"),
        headers=inspector.headers,
    )
    assert response.status_code == 422, response.text
    assert count_rows(session, ProductLine) == before


def test_direction_marks_stay_allowed(client: TestClient, inspector: Actor) -> None:
    """LRM, RLM and ALM only settle neutral characters beside them: Arabic names use them."""
    form = artisan_form(display_name_arabic="تعاونية تيغزا\u200f (2)", city="Taznakht\u200e")
    response = client.post("/api/v1/artisans", json=form, headers=inspector.headers)
    assert response.status_code == 201, response.text


@given(st.text(max_size=40))
def test_a_name_passes_exactly_when_nothing_would_be_stripped(text: str) -> None:
    clean = text.translate(WITHOUT_BIDI_CONTROLS)
    if clean == text:
        assert refuse_bidi_controls(text) == text
    else:
        assert any(control in text for control in CONTROLS)
        with pytest.raises(ValueError, match="bidirectional control"):
            refuse_bidi_controls(text)
