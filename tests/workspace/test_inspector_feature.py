"""Steps of workspace_inspector.feature: an inspector's day in the workspace, through its
forms only (no JavaScript), as a browser would send them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session

from tests.audits.helpers import JPEG_BYTES, count
from tests.fixtures.actors import Actor, _artisan
from tests.workspace.support import Browser, SessionMint, csrf_of, problem_of

scenarios("workspace_inspector.feature")

_ID = re.compile(r"/workspace/(?:artisans|audits)/(\d+)")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


@dataclass
class Story:
    browser: Browser
    artisan_id: int | None = None
    form_html: str = ""
    form_fields: dict[str, Any] = field(default_factory=dict)
    page: Any = None
    audit_id: int | None = None


def _hidden(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{re.escape(name)}" value="([^"]*)"', html)


def _follow(story: Story, response: Any) -> Any:
    assert response.status_code == 303, (response.status_code, response.text[:2000])
    story.page = story.browser.get(response.headers["location"])
    assert story.page.status_code == 200, story.page.text[:500]
    return story.page


def _audit_fields(
    html: str, lead: str, cadmium: str, *, declaration: bool = True
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "csrf_token": csrf_of(html),
        "idempotency_key": _hidden(html, "idempotency_key")[0],
        "audit_date": re.search(
            r'id="f-audit_date" name="audit_date" type="date" value="([^"]*)"', html
        ).group(1),  # type: ignore[union-attr]
        "product_line_ids": re.findall(r'name="product_line_ids" value="(\d+)" checked', html),
        "c-lead_release": lead,
        "c-cadmium_release": cadmium,
        "c-food_contact_declaration": "yes" if declaration else "no",
    }
    scheme = _hidden(html, "scheme")
    if scheme:
        fields["scheme"] = scheme[0]
    return fields


def _action(html: str) -> str:
    match = re.search(r'<form method="post" action="([^"]+)" enctype="multipart/form-data"', html)
    assert match, "no audit form"
    return match.group(1)


## Given


@given(
    "Nadia, an inspector of the Marrakech-Safi chambre authorised for Madmoun, is signed in",
    target_fixture="story",
)
def nadia_signed_in(client: TestClient, madmoun_inspector: Actor, sessions: SessionMint) -> Story:
    return Story(browser=Browser(client, sessions(madmoun_inspector)))


@given("a potter of her chambre with a tajine line")
def a_potter(story: Story, session: Session, other_chambre: Any) -> None:
    row, _ = _artisan(
        session,
        body=other_chambre,
        nia="NIA-07-000999",
        public_id="SAFIPOT9ER",
        kind="artisan",
        latin="Atelier Lahlou",
        arabic="ورشة لحلو",
        region="MA-07",
        filiere="F04",
        metier="Potier",
        city="Safi",
        product=("poterie", "Tajine émaillé", ["argile"], None),
    )
    story.artisan_id = row.id


@given(parsers.parse('she has the "{scheme}" audit form open'))
def form_open(story: Story, scheme: str) -> None:
    response = story.browser.get(
        f"/workspace/artisans/{story.artisan_id}/audits/new?scheme={scheme}"
    )
    assert response.status_code == 200, response.text[:500]
    story.form_html = response.text


## When


@when(parsers.parse('she registers the potter "{latin}", "{arabic}", NIA "{nia}", in {city}'))
def registers(story: Story, latin: str, arabic: str, nia: str, city: str) -> None:
    form = story.browser.get("/workspace/artisans/new")
    assert form.status_code == 200
    assert "selected>" in form.text  # the chambre's own region is chosen already
    response = story.browser.post(
        "/workspace/artisans/new",
        data={
            "csrf_token": csrf_of(form.text),
            "nia": nia,
            "kind": "artisan",
            "display_name_latin": latin,
            "display_name_arabic": arabic,
            "region_code": "MA-07",
            "filiere_code": "F04",
            "metier": "Potier",
            "city": city,
            "phone": "+212 600 11 22 33",
        },
    )
    page = _follow(story, response)
    assert "Artisan enregistré" in page.text
    story.artisan_id = int(_ID.search(response.headers["location"]).group(1))  # type: ignore[union-attr]


@when(parsers.parse('she adds the product line "{name}" of the family "{family}"'))
def adds_line(story: Story, name: str, family: str) -> None:
    url = f"/workspace/artisans/{story.artisan_id}"
    html = story.browser.get(url).text
    response = story.browser.post(
        f"{url}/product-lines",
        data={
            "csrf_token": csrf_of(html),
            "family": family,
            "name": name,
            "materials": "argile, émail sans plomb",
        },
    )
    page = _follow(story, response)
    assert "Ligne de produits ajoutée" in page.text and name in page.text


@when(parsers.parse('she opens the "{scheme}" audit form of the potter'))
def opens_form(story: Story, scheme: str) -> None:
    page = story.browser.get(f"/workspace/artisans/{story.artisan_id}")
    assert f'<option value="{scheme}">' in page.text  # offered: she is authorised for it
    form_open(story, scheme)


@when(
    parsers.parse(
        'she records "{lead}" of lead, "{cadmium}" of cadmium and a food contact declaration, '
        "with a photo"
    )
)
def records_with_photo(story: Story, lead: str, cadmium: str) -> None:
    story.form_fields = _audit_fields(story.form_html, lead, cadmium)
    response = story.browser.post(
        _action(story.form_html),
        data=story.form_fields,
        files=[("photos", ("four.jpg", JPEG_BYTES, "image/jpeg"))],
    )
    _follow(story, response)
    story.audit_id = int(_ID.search(response.headers["location"]).group(1))  # type: ignore[union-attr]


@when(
    parsers.parse(
        'she records "{lead}" of lead, "{cadmium}" of cadmium and a food contact declaration'
    )
)
def records(story: Story, lead: str, cadmium: str) -> None:
    form_open(story, "MADMOUN")
    story.form_fields = _audit_fields(story.form_html, lead, cadmium)
    response = story.browser.post(
        _action(story.form_html),
        data=story.form_fields,
        files=[("photos", ("", b"", "application/octet-stream"))],  # no photo chosen
    )
    if response.status_code == 303:
        _follow(story, response)
        story.audit_id = int(_ID.search(response.headers["location"]).group(1))  # type: ignore[union-attr]
    else:
        story.page = response


@when(
    parsers.parse(
        'she saves the audit with "{lead}" of lead, "{cadmium}" of cadmium and a food contact '
        "declaration"
    )
)
def saves(story: Story, lead: str, cadmium: str) -> None:
    story.form_fields = _audit_fields(story.form_html, lead, cadmium)
    story.page = story.browser.post(_action(story.form_html), data=story.form_fields)


@when("she sends the same form a second time")
def sends_again(story: Story) -> None:
    response = story.browser.post(
        _action(story.form_html),
        data=story.form_fields,
        files=[("photos", ("four.jpg", JPEG_BYTES, "image/jpeg"))],
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/workspace/audits/{story.audit_id}?")


@when("she certifies the potter from the audit")
def certifies(story: Story) -> None:
    html = story.browser.get(f"/workspace/audits/{story.audit_id}").text
    response = story.browser.post(
        f"/workspace/audits/{story.audit_id}/certify", data={"csrf_token": csrf_of(html)}
    )
    _follow(story, response)


@when("the chambre's administrator withdraws her Madmoun authorisation")
def withdraws(client: TestClient, other_admin: Actor, madmoun_inspector: Actor) -> None:
    url = f"/api/v1/inspectors/{madmoun_inspector.id}/authorisations/MADMOUN"
    response = client.delete(url, headers=other_admin.headers)
    assert response.status_code in (200, 204), response.text


## Then


@then(parsers.parse('the form shows the criterion "{name}" with the limit "{limit}"'))
def shows_criterion(story: Story, name: str, limit: str) -> None:
    html = story.form_html
    assert name in html
    block = html[html.index(name) :]
    block = block[: block.index("</fieldset>")]
    assert limit in block
    assert "mg/dm2" in block and "Méthode" in block
    assert 'inputmode="decimal"' in block


@then("the form shows a camera field for photos")
def camera_field(story: Story) -> None:
    assert 'type="file" accept="image/*" capture="environment"' in story.form_html
    assert 'enctype="multipart/form-data"' in story.form_html


@then("the audit page says the audit passed")
def passed(story: Story) -> None:
    assert "Audit enregistré" in story.page.text
    assert '<span class="badge pass">Conforme</span></h1>' in story.page.text


@then("the audit page says the audit failed")
def failed(story: Story) -> None:
    assert '<span class="badge fail">Non conforme</span></h1>' in story.page.text


@then("the page offers no certification")
def no_certify(story: Story) -> None:
    assert "/certify" not in story.page.text


@then("the photo is attached to the audit")
def photo_attached(story: Story) -> None:
    assert "four.jpg" in story.page.text
    assert re.search(r'href="/api/v1/evidence/[0-9a-f]{64}"', story.page.text)


@then("only one audit of the potter is on record")
def one_audit(session: Session) -> None:
    assert count(session, "audit") == 1


@then("no audit of the potter is on record")
def no_audit(session: Session) -> None:
    assert count(session, "audit") == 0


@then(parsers.parse('the page shows a certificate code "{prefix}" and its validity'))
def certificate_shown(story: Story, prefix: str) -> None:
    text = unescape(story.page.text)
    assert re.search(rf"Certificat {prefix}[0-9A-Z]{{7}} délivré, valable jusqu'au", text)
    assert 'href="/certificates/C-' in story.page.text


@then(parsers.parse('the form says "{words}" beside the lead field'))
def says_beside(story: Story, words: str) -> None:
    html = story.page.text
    assert story.page.status_code == 422
    error = re.search(r'<p class="field-error" id="e-c-lead_release">(.*?)</p>', html, re.S)
    assert error and words in error.group(1)
    field_html = re.search(r'<input id="f-c-lead_release"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert 'aria-invalid="true"' in field_html
    assert "e-c-lead_release" in field_html  # aria-describedby names the error


@then(parsers.parse('the form keeps "{value}" in the lead field'))
def keeps(story: Story, value: str) -> None:
    field_html = re.search(r'<input id="f-c-lead_release"[^>]*>', story.page.text).group(0)  # type: ignore[union-attr]
    assert f'value="{value}"' in field_html


@then("the form says she is not or no longer authorised for this label")
def not_authorised(story: Story) -> None:
    assert story.page.status_code == 403
    assert "Vous n'êtes pas (ou plus) habilité pour ce label" in unescape(story.page.text)
    assert problem_of(story.page.text) is None  # on her form, not an error page
