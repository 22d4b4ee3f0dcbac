"""The body administrator's pages: what each shows and does through its forms alone (no
JavaScript), and what they refuse — another body's records (404 pages, as the API), other
roles (403 pages), forms without their CSRF token (403, nothing changed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.audits.helpers import count
from tests.fixtures.actors import Actor
from tests.labels.fixtures import *  # noqa: F403  (the label fixtures)
from tests.labels.fixtures import CertificateRef, queued_batch
from tests.workspace.support import Browser, SessionMint, csrf_of, problem_of

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def lahcen(labels_client: TestClient, admin: Actor, sessions: SessionMint) -> Browser:
    """The administrator of the Drâa-Tafilalet chambre, signed in."""
    return Browser(labels_client, sessions(admin))


@pytest.fixture
def youssef_admin(
    labels_app: FastAPI, other_admin: Actor, sessions: SessionMint
) -> Iterator[Browser]:
    """The administrator of the Marrakech-Safi chambre (another body), signed in, in a
    browser of his own."""
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        yield Browser(client, sessions(other_admin))


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _follow(browser: Browser, response: object) -> str:
    assert response.status_code == 303, (response.status_code, response.text[:1500])  # type: ignore[attr-defined]
    page = browser.get(response.headers["location"])  # type: ignore[attr-defined]
    assert page.status_code == 200, page.text[:800]
    return str(page.text)


def _issue(browser: Browser, cert: CertificateRef, quantity: int) -> int:
    form = browser.get(f"/workspace/certificates/{cert.id}/batches/new")
    assert form.status_code == 200, form.text[:800]
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form.text)
    assert key
    response = browser.post(
        f"/workspace/certificates/{cert.id}/batches/new",
        data={
            "csrf_token": csrf_of(form.text),
            "idempotency_key": key.group(1),
            "product_line_id": str(cert.product_line_id),
            "quantity": str(quantity),
        },
    )
    assert response.status_code == 303, response.text[:1500]
    match = re.search(r"/workspace/batches/(\d+)", response.headers["location"])
    assert match
    return int(match.group(1))


@SQLITE
def test_every_admin_page_opens(
    lahcen: Browser, inspector: Actor, certificate: CertificateRef
) -> None:
    batch_id = _issue(lahcen, certificate, 3)
    pages = [
        "/workspace",
        "/workspace/inspectors",
        f"/workspace/inspectors/{inspector.id}",
        "/workspace/certificates",
        "/workspace/certificates?status=active&region=MA-08&craft=F01&expiring=400",
        f"/workspace/certificates/{certificate.id}",
        f"/workspace/certificates/{certificate.id}/suspend",
        f"/workspace/certificates/{certificate.id}/withdraw",
        f"/workspace/certificates/{certificate.id}/batches/new",
        "/workspace/batches",
        "/workspace/batches?status=completed",
        f"/workspace/batches/{batch_id}",
        f"/workspace/batches/{batch_id}/revoke",
        "/workspace/keys",
    ]
    for url in pages:
        response = lahcen.get(url)
        assert response.status_code == 200, (url, response.text[:1500])
        assert response.headers["content-type"].startswith("text/html")
    home = lahcen.get("/workspace?lang=ar").text
    assert 'dir="rtl"' in home and "المفتشون" in home  # the admin's navigation, in Arabic
    for item in ("/workspace/inspectors", "/workspace/certificates", "/workspace/batches"):
        assert f'href="{item}"' in home


def test_the_admin_suspends_reinstates_and_withdraws_after_confirming(
    lahcen: Browser, session: Session, certificate: CertificateRef
) -> None:
    url = f"/workspace/certificates/{certificate.id}"
    confirm = lahcen.get(f"{url}/suspend")
    assert "surveillance_nonconformity" in confirm.text  # the API's reason codes
    # No reason: refused beside the field, nothing changed.
    refused = lahcen.post(
        f"{url}/suspend", data={"csrf_token": csrf_of(confirm.text), "reason_code": ""}
    )
    assert refused.status_code == 422
    assert 'id="e-reason_code"' in refused.text
    # "Other" needs a note: said beside the note.
    other = lahcen.post(
        f"{url}/suspend", data={"csrf_token": csrf_of(confirm.text), "reason_code": "other"}
    )
    assert other.status_code == 422 and 'id="e-reason_text"' in other.text
    assert count(session, "certificate_event") == 0
    page = _follow(
        lahcen,
        lahcen.post(
            f"{url}/suspend",
            data={
                "csrf_token": csrf_of(confirm.text),
                "reason_code": "surveillance_nonconformity",
                "reason_text": "Teinture non conforme",
            },
        ),
    )
    assert "est suspendu" in _text(page)
    assert "Teinture non conforme" in page  # the note, in the history
    assert f'href="{url}/reinstate"' in page and f'href="{url}/suspend"' not in page
    # Suspending again is refused on the form, in words.
    again = lahcen.post(
        f"{url}/suspend",
        data={"csrf_token": csrf_of(confirm.text), "reason_code": "fraud"},
    )
    assert again.status_code == 409
    assert "Impossible maintenant : le certificat est suspendu" in _text(again.text)
    _follow(
        lahcen,
        lahcen.post(
            f"{url}/reinstate",
            data={"csrf_token": csrf_of(confirm.text), "reason_code": "corrective_action_closed"},
        ),
    )
    page = _follow(
        lahcen,
        lahcen.post(
            f"{url}/withdraw", data={"csrf_token": csrf_of(confirm.text), "reason_code": "fraud"}
        ),
    )
    assert "est retiré" in _text(page)
    assert "aucune décision n'est plus possible" in _text(page)
    assert count(session, "certificate_event") == 3


def test_a_batch_is_issued_printed_and_revoked(
    lahcen: Browser, session: Session, certificate: CertificateRef
) -> None:
    batch_id = _issue(lahcen, certificate, 60)
    page = lahcen.get(f"/workspace/batches/{batch_id}?done=issued").text
    assert "60 étiquettes signées" in _text(page)
    assert "Refresh" not in lahcen.get(f"/workspace/batches/{batch_id}").headers
    sheet = lahcen.get(f"/workspace/batches/{batch_id}/sheet.pdf")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    assert "attachment" in sheet.headers["content-disposition"]
    # 50 labels a page; the next page (keyset) has the other 10.
    ids = [int(i) for i in re.findall(r"/workspace/labels/(\d+)/artwork.svg", page)]
    assert len(ids) == 50
    following = re.search(r'href="(/workspace/batches/\d+\?after=\d+)', page)
    assert following
    rest = lahcen.get(unescape(following.group(1))).text
    assert len(re.findall(r"/workspace/labels/(\d+)/artwork.svg", rest)) == 10
    svg = lahcen.get(f"/workspace/labels/{ids[0]}/artwork.svg")
    assert svg.status_code == 200 and b"<svg" in svg.content
    png = lahcen.get(f"/workspace/labels/{ids[0]}/artwork.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    # One label, after its confirmation page.
    confirm = lahcen.get(f"/workspace/labels/{ids[0]}/revoke")
    assert confirm.status_code == 200 and "lost_or_stolen" in confirm.text
    done = _follow(
        lahcen,
        lahcen.post(
            f"/workspace/labels/{ids[0]}/revoke",
            data={"csrf_token": csrf_of(confirm.text), "reason_code": "lost_or_stolen"},
        ),
    )
    assert "1 étiquette(s) révoquée(s)" in _text(done)
    twice = lahcen.post(
        f"/workspace/labels/{ids[0]}/revoke",
        data={"csrf_token": csrf_of(confirm.text), "reason_code": "lost_or_stolen"},
    )
    assert twice.status_code == 409 and "déjà révoquée" in _text(twice.text)
    # The whole batch: the confirmation says how many, then the rest are revoked.
    bulk = lahcen.get(f"/workspace/batches/{batch_id}/revoke")
    assert "59 étiquettes de ce lot seront révoquées" in _text(bulk.text)
    done = _follow(
        lahcen,
        lahcen.post(
            f"/workspace/batches/{batch_id}/revoke",
            data={"csrf_token": csrf_of(bulk.text), "reason_code": "misprinted"},
        ),
    )
    assert "59 étiquette(s) révoquée(s)" in _text(done)
    assert count(session, "label_event") == 60


def test_a_batch_being_issued_shows_its_progress_and_refreshes_itself(
    lahcen: Browser, db_url: str, inspector: Actor, certificate: CertificateRef
) -> None:
    batch_id = queued_batch(
        db_url, certificate, inspector, 5000, status="running", issued_count=1250
    )
    response = lahcen.get(f"/workspace/batches/{batch_id}")
    assert response.status_code == 200
    assert response.headers["refresh"] == "3"  # reloads itself, no script needed
    assert 'max="5000" value="1250"' in response.text
    assert "1250 étiquettes signées sur 5000 (25 %)" in _text(response.text)
    # Its sheet is not ready yet: said in words, with what to do.
    sheet = lahcen.get(f"/workspace/batches/{batch_id}/sheet.pdf")
    assert sheet.status_code == 409 and problem_of(sheet.text) == "batch-in-progress"
    home = lahcen.get("/workspace").text
    assert f"/workspace/batches/{batch_id}" in home  # on the admin's home, while it runs


def test_an_oversized_or_unscoped_batch_is_refused_on_the_form(
    lahcen: Browser, session: Session, certificate: CertificateRef
) -> None:
    form = lahcen.get(f"/workspace/certificates/{certificate.id}/batches/new").text
    base = {"csrf_token": csrf_of(form), "product_line_id": str(certificate.product_line_id)}
    url = f"/workspace/certificates/{certificate.id}/batches/new"
    too_many = lahcen.post(url, data={**base, "quantity": "100001"})
    assert too_many.status_code == 422
    assert "Au plus 100000 étiquettes par lot" in _text(too_many.text)
    not_a_number = lahcen.post(url, data={**base, "quantity": "beaucoup"})
    assert not_a_number.status_code == 422 and 'id="e-quantity"' in not_a_number.text
    assert count(session, "label_batch") == 0


def test_inspectors_are_added_authorised_and_withdrawn(
    lahcen: Browser, session: Session, admin: Actor
) -> None:
    listing = lahcen.get("/workspace/inspectors")
    token = csrf_of(listing.text)
    short = lahcen.post(
        "/workspace/inspectors",
        data={
            "csrf_token": token,
            "display_name": "Fatima Zahra",
            "email": "fz@chambre-draa.ma",
            "password": "court",
        },
    )
    assert short.status_code == 422 and 'id="e-password"' in short.text
    assert "fz@chambre-draa.ma" in short.text  # what she typed is kept (not the password)
    page = _follow(
        lahcen,
        lahcen.post(
            "/workspace/inspectors",
            data={
                "csrf_token": token,
                "display_name": "Fatima Zahra",
                "email": "fz@chambre-draa.ma",
                "password": "un mot de passe assez long",
            },
        ),
    )
    assert "Le compte de Fatima Zahra est ouvert" in _text(page)
    inspector_url = re.search(r'action="(/workspace/inspectors/\d+)/authorisations"', page)
    assert inspector_url
    base = inspector_url.group(1)
    granted = _follow(
        lahcen,
        lahcen.post(
            f"{base}/authorisations", data={"csrf_token": token, "scheme": "TAPIS-SUPERIEURE"}
        ),
    )
    assert "Habilitation accordée pour TAPIS-SUPERIEURE" in _text(granted)
    unknown = lahcen.post(f"{base}/authorisations", data={"csrf_token": token, "scheme": "NOPE"})
    assert unknown.status_code == 404 and 'id="e-scheme"' in unknown.text
    withdrawn = _follow(
        lahcen,
        lahcen.post(f"{base}/authorisations/TAPIS-SUPERIEURE/withdraw", data={"csrf_token": token}),
    )
    assert "retirée : elle s'applique tout de suite" in _text(withdrawn)
    again = lahcen.post(
        f"{base}/authorisations/TAPIS-SUPERIEURE/withdraw", data={"csrf_token": token}
    )
    assert again.status_code == 404 and "rien à retirer" in _text(again.text)


def test_another_body_s_records_are_not_found(
    youssef_admin: Browser,
    lahcen: Browser,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
) -> None:
    """Youssef (Marrakech-Safi) probes Drâa-Tafilalet's certificate, batch, labels and
    inspector: 404 pages, exactly what an id that does not exist answers; nothing changes."""
    batch_id = _issue(lahcen, certificate, 2)
    page = lahcen.get(f"/workspace/batches/{batch_id}").text
    label_id = re.findall(r"/workspace/labels/(\d+)/artwork.svg", page)[0]
    csrf = youssef_admin.csrf()
    reads = [
        f"/workspace/certificates/{certificate.id}",
        f"/workspace/certificates/{certificate.id}/suspend",
        f"/workspace/certificates/{certificate.id}/batches/new",
        f"/workspace/batches/{batch_id}",
        f"/workspace/batches/{batch_id}/sheet.pdf",
        f"/workspace/batches/{batch_id}/revoke",
        f"/workspace/labels/{label_id}/artwork.svg",
        f"/workspace/labels/{label_id}/artwork.png",
        f"/workspace/labels/{label_id}/revoke",
        f"/workspace/inspectors/{inspector.id}",
        "/workspace/certificates/999999",
        "/workspace/batches/999999",
    ]
    for url in reads:
        response = youssef_admin.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html"), url
    writes = [
        (f"/workspace/certificates/{certificate.id}/withdraw", {"reason_code": "fraud"}),
        (
            f"/workspace/certificates/{certificate.id}/batches/new",
            {"product_line_id": str(certificate.product_line_id), "quantity": "5"},
        ),
        (f"/workspace/batches/{batch_id}/revoke", {"reason_code": "damaged"}),
        (f"/workspace/labels/{label_id}/revoke", {"reason_code": "damaged"}),
        (f"/workspace/inspectors/{inspector.id}/authorisations", {"scheme": "MADMOUN"}),
        (f"/workspace/inspectors/{inspector.id}/authorisations/TAPIS-SUPERIEURE/withdraw", {}),
    ]
    before = [count(session, t) for t in ("certificate_event", "label_batch", "label_event")]
    for url, data in writes:
        response = youssef_admin.post(url, data={"csrf_token": csrf, **data})
        assert response.status_code == 404, (url, response.status_code)
    assert [
        count(session, t) for t in ("certificate_event", "label_batch", "label_event")
    ] == before
    # His own lists do not show them.
    assert (
        f'/workspace/certificates/{certificate.id}"'
        not in youssef_admin.get("/workspace/certificates").text
    )
    assert f'/workspace/batches/{batch_id}"' not in youssef_admin.get("/workspace/batches").text


def test_forms_without_their_csrf_token_change_nothing(
    lahcen: Browser, session: Session, inspector: Actor, certificate: CertificateRef
) -> None:
    batch_id = _issue(lahcen, certificate, 2)
    writes = [
        (f"/workspace/certificates/{certificate.id}/suspend", {"reason_code": "fraud"}),
        (
            f"/workspace/certificates/{certificate.id}/batches/new",
            {"product_line_id": str(certificate.product_line_id), "quantity": "5"},
        ),
        (f"/workspace/batches/{batch_id}/revoke", {"reason_code": "damaged"}),
        (
            "/workspace/inspectors",
            {"display_name": "X", "email": "x@khatem.test", "password": "p" * 20},
        ),
        (f"/workspace/inspectors/{inspector.id}/authorisations", {"scheme": "MADMOUN"}),
        (f"/workspace/inspectors/{inspector.id}/authorisations/TAPIS-SUPERIEURE/withdraw", {}),
    ]
    tables = ("certificate_event", "label_batch", "label_event", "user_account")
    before = [count(session, t) for t in tables]
    for url, data in writes:
        for token in (None, "0" * 64):
            sent = {**data, **({"csrf_token": token} if token else {})}
            response = lahcen.post(url, data=sent)
            assert response.status_code == 403, (url, response.status_code)
            assert problem_of(response.text) == "csrf-refused"
    assert [count(session, t) for t in tables] == before


def test_an_inspector_may_not_open_the_admin_s_pages(
    labels_client: TestClient, inspector: Actor, sessions: SessionMint, certificate: CertificateRef
) -> None:
    browser = Browser(labels_client, sessions(inspector))
    for url in ("/workspace/inspectors", "/workspace/certificates", "/workspace/keys"):
        response = browser.get(url)
        assert response.status_code == 403, url
