"""The inspector's pages: what each shows, and what they refuse — another body's records
(404 pages, as the API), other roles (403 pages), forms without their CSRF token."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core import calendar
from tests.audits.helpers import carpet_findings, count, issue_certificate, record_audit
from tests.fixtures.actors import Actor
from tests.workspace.support import Browser, SessionMint, csrf_of, problem_of

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def nadia(client: TestClient, madmoun_inspector: Actor, sessions: SessionMint) -> Browser:
    """The inspector of the Marrakech-Safi chambre (the potter's), signed in."""
    return Browser(client, sessions(madmoun_inspector))


@pytest.fixture
def youssef(client: TestClient, inspector: Actor, sessions: SessionMint) -> Browser:
    """The inspector of the Drâa-Tafilalet chambre (the weavers'), signed in."""
    return Browser(client, sessions(inspector))


def _madmoun_audit(client: TestClient, madmoun_inspector: Actor, potter: Actor) -> dict[str, Any]:
    findings = [
        {"criterion": "lead_release", "measured_value": 0.05, "unit": "mg/dm2"},
        {"criterion": "cadmium_release", "measured_value": 0.01, "unit": "mg/dm2"},
        {"criterion": "food_contact_declaration", "observed": True},
    ]
    return record_audit(client, madmoun_inspector, potter, scheme="MADMOUN", findings=findings)


def test_another_body_s_records_are_not_found(
    client: TestClient,
    session: Session,
    youssef: Browser,
    madmoun_inspector: Actor,
    potter: Actor,
) -> None:
    """Youssef (Drâa-Tafilalet) probes the Safi potter and its audit: 404 pages, nothing
    changed — exactly what an id that does not exist answers."""
    audit = _madmoun_audit(client, madmoun_inspector, potter)
    csrf = youssef.csrf()
    before = count(session, "audit"), count(session, "certificate"), count(session, "product_line")
    reads = [
        f"/workspace/artisans/{potter.artisan_id}",
        f"/workspace/artisans/{potter.artisan_id}/audits/new?scheme=MFM-1",
        f"/workspace/audits/{audit['id']}",
        f"/workspace/audits/{audit['id']}/correction",
        "/workspace/artisans/999999",
        "/workspace/audits/999999",
    ]
    for url in reads:
        response = youssef.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
    writes: list[tuple[str, dict[str, str]]] = [
        (f"/workspace/audits/{audit['id']}/certify", {}),
        (
            f"/workspace/artisans/{potter.artisan_id}/product-lines",
            {"family": "poterie", "name": "Plat"},
        ),
        (
            f"/workspace/artisans/{potter.artisan_id}/audits",
            {"scheme": "MFM-1", "audit_date": calendar.registry_today().isoformat()},
        ),
        (f"/workspace/audits/{audit['id']}/correction", {}),
    ]
    for url, data in writes:
        response = youssef.post(url, data={"csrf_token": csrf, **data})
        assert response.status_code == 404, (url, response.text[:300])
    after = count(session, "audit"), count(session, "certificate"), count(session, "product_line")
    assert after == before
    # and nothing of the potter shows in his lists or search
    search = unescape(youssef.get("/workspace/artisans?q=Serghini").text)
    assert "Maâlem Abdelkader" not in search and "Aucun artisan de votre organisme" in search
    assert "Maâlem Abdelkader" not in unescape(youssef.get("/workspace").text)


@SQLITE
def test_other_roles_get_a_403_page(
    client: TestClient,
    admin: Actor,
    artisan_user: Actor,
    sessions: SessionMint,
    artisan: Actor,
) -> None:
    for actor in (admin, artisan_user):
        client.cookies.clear()
        browser = Browser(client, sessions(actor))
        csrf = browser.csrf()
        for url in ("/workspace/artisans", "/workspace/artisans/new", "/workspace/audits"):
            response = browser.get(url)
            assert response.status_code == 403, (actor.role, url)
            assert problem_of(response.text) == "forbidden"
            assert "Votre compte ne permet pas cette action" in unescape(response.text)
        response = browser.post("/workspace/artisans/new", data={"csrf_token": csrf, "nia": "X"})
        assert response.status_code == 403


def test_the_audit_form_without_its_csrf_token_records_nothing(
    session: Session, youssef: Browser, artisan: Actor
) -> None:
    form = youssef.get(
        f"/workspace/artisans/{artisan.artisan_id}/audits/new?scheme=TAPIS-SUPERIEURE"
    )
    assert form.status_code == 200
    fields = {
        "scheme": "TAPIS-SUPERIEURE",
        "audit_date": calendar.registry_today().isoformat(),
        "product_line_ids": str(artisan.extra["product_line_id"]),
        "c-knot_density": "96000",
        "c-hand_knotted": "yes",
        "c-no_redhibitory_defects": "yes",
    }
    url = f"/workspace/artisans/{artisan.artisan_id}/audits"
    refused = youssef.post(url, data=fields)
    assert refused.status_code == 403 and problem_of(refused.text) == "csrf-refused"
    assert count(session, "audit") == 0
    accepted = youssef.post(url, data={**fields, "csrf_token": csrf_of(form.text)})
    assert accepted.status_code == 303, accepted.text[:500]
    assert count(session, "audit") == 1


@SQLITE
def test_the_home_page_shows_my_work(
    client: TestClient,
    session: Session,
    youssef: Browser,
    inspector: Actor,
    admin: Actor,
    artisan: Actor,
    other_artisan: Actor,
) -> None:
    # An old audit (certificate ending within 60 days) and a suspended certificate.
    today = calendar.registry_today()
    expiring = issue_certificate(client, inspector, artisan)
    session.execute(
        text("UPDATE certificate SET valid_until = :day WHERE id = :id"),
        {"day": today + timedelta(days=20), "id": expiring["id"]},
    )
    session.commit()
    suspended = issue_certificate(
        client, inspector, other_artisan, findings=carpet_findings(97_000)
    )
    response = client.post(
        f"/api/v1/certificates/{suspended['id']}/suspend",
        json={"reason_code": "artisan_request"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    html = unescape(youssef.get("/workspace").text)
    expiring_part = html[
        html.index("Certificats qui expirent") : html.index("Certificats suspendus")
    ]
    assert expiring["code"] in expiring_part and suspended["code"] not in expiring_part
    suspended_part = html[html.index("Certificats suspendus") :]
    assert suspended["code"] in suspended_part and "suspendu" in suspended_part
    recent = html[html.index("Artisans récemment") : html.index("Mes derniers audits")]
    assert recent.index("Fatima Aït Ali") < recent.index("Coopérative Akhiam")  # newest first
    audits_part = html[html.index("Mes derniers audits") : html.index("Certificats qui expirent")]
    assert len(re.findall(r'href="/workspace/audits/\d+"', audits_part)) == 2


def test_finding_an_artisan_by_name_in_either_script_nia_or_town(
    youssef: Browser, artisan: Actor, other_artisan: Actor
) -> None:
    for query, found, not_found in (
        ("akhiam", "Coopérative Akhiam", "Fatima"),
        ("فاطمة", "Fatima Aït Ali", "Akhiam"),
        ("NIA-08-000456", "Fatima Aït Ali", "Akhiam"),
        ("taznakht", "Coopérative Akhiam", "Fatima"),
    ):
        html = unescape(youssef.get("/workspace/artisans", params={"q": query}).text)
        assert found in html and not_found not in html, query
        assert f"Résultats pour « {query} »" in html
    nothing = unescape(youssef.get("/workspace/artisans", params={"q": "--"}).text)
    assert "Tapez au moins une lettre ou un chiffre" in nothing


@SQLITE
def test_a_refused_registration_keeps_the_form_and_names_the_fields(
    session: Session, youssef: Browser, artisan: Actor
) -> None:
    form = youssef.get("/workspace/artisans/new")
    response = youssef.post(
        "/workspace/artisans/new",
        data={
            "csrf_token": csrf_of(form.text),
            "nia": "NIA-08-000123",  # the cooperative's: taken
            "kind": "artisan",
            "display_name_latin": "Omar Idrissi",
            "display_name_arabic": "Omar",  # no Arabic letter
            "region_code": "MA-08",
            "filiere_code": "F01",
            "metier": "Tisserand",
            "city": "",
        },
    )
    assert response.status_code == 422
    html = unescape(response.text)
    assert 'role="alert"' in html and 'href="#f-city"' in html
    for name in ("display_name_arabic", "city"):
        tag = re.search(rf'<input id="f-{name}"[^>]*>', html).group(0)  # type: ignore[union-attr]
        assert 'aria-invalid="true"' in tag and f"e-{name}" in tag, tag
    arabic = re.search(r'<input id="f-display_name_arabic"[^>]*>', response.text).group(0)  # type: ignore[union-attr]
    assert 'lang="ar" dir="rtl"' in arabic  # typed right to left, read as Arabic
    assert 'value="Omar Idrissi"' in html  # what was typed stays
    assert count(session, "artisan") == 1
    fixed = youssef.post(
        "/workspace/artisans/new",
        data={
            "csrf_token": csrf_of(form.text),
            "nia": "NIA-08-000123",
            "kind": "artisan",
            "display_name_latin": "Omar Idrissi",
            "display_name_arabic": "عمر الإدريسي",
            "region_code": "MA-08",
            "filiere_code": "F01",
            "metier": "Tisserand",
            "city": "Zagora",
        },
    )
    assert fixed.status_code == 409
    tag = re.search(r'<input id="f-nia"[^>]*>', fixed.text).group(0)  # type: ignore[union-attr]
    assert 'aria-invalid="true"' in tag
    assert "Ce NIA est déjà enregistré" in unescape(fixed.text)


@SQLITE
def test_pages_speak_arabic(youssef: Browser, artisan: Actor) -> None:
    html = youssef.get(
        f"/workspace/artisans/{artisan.artisan_id}/audits/new?scheme=TAPIS-SUPERIEURE&lang=ar"
    ).text
    assert '<html lang="ar" dir="rtl">' in html
    assert "حفظ التدقيق" in html and "المعايير" in html
    assert "≥ 90,000 knots/m2" in html or "≥ 90,000" in html


@SQLITE
def test_a_correction_is_a_new_audit_and_the_original_stays(
    client: TestClient, session: Session, youssef: Browser, inspector: Actor, artisan: Actor
) -> None:
    original = record_audit(client, inspector, artisan, findings=carpet_findings(80_000))
    form = youssef.get(f"/workspace/audits/{original['id']}/correction")
    assert form.status_code == 200
    assert 'value="80000"' in form.text  # starts from what was recorded
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    response = youssef.post(
        f"/workspace/audits/{original['id']}/correction",
        data={
            "csrf_token": csrf_of(form.text),
            "idempotency_key": key,
            "audit_date": original["audit_date"],
            "product_line_ids": str(artisan.extra["product_line_id"]),
            "c-knot_density": "96 000",
            "c-hand_knotted": "yes",
            "c-no_redhibitory_defects": "yes",
        },
    )
    assert response.status_code == 303, response.text[:800]
    page = youssef.get(response.headers["location"])
    assert f"Corrige l&#39;audit n° {original['id']}" in page.text
    assert '<span class="badge pass">Conforme</span></h1>' in page.text
    old = youssef.get(f"/workspace/audits/{original['id']}")
    assert '<span class="badge fail">Non conforme</span></h1>' in old.text
    assert "/correction" not in old.text.split("</dl>", 1)[1]  # corrected: no second fork
    assert count(session, "audit") == 2
