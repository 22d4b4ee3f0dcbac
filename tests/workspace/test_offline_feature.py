"""Steps of offline_audit.feature: what the registry sees of an audit saved without signal.

The phone (``templates/offline.js``) sends the audit form as a browser would post it, with
the idempotency key it made for the audit when the form opened and the CSRF token of the
page it sends from (the session open at that moment). The browser side — IndexedDB, the
service worker, the lost answer — is ``test_offline_browser.py``; here, the registry's side,
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session

from labeling.accounts.router import next_page
from schemas.types import utcnow
from tests.audits.helpers import count
from tests.fixtures.actors import Actor, _artisan
from tests.workspace.support import Browser, SessionMint, csrf_of, problem_of

scenarios("offline_audit.feature")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


@dataclass
class Phone:
    browser: Browser
    artisan_id: int = 0
    kept_form: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    answers: list[Any] = field(default_factory=list)


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def _action(html: str) -> str:
    match = re.search(r'<form method="post" action="([^"]+)" enctype="multipart/form-data"', html)
    assert match, "no audit form"
    return match.group(1)


def _token_now(phone: Phone) -> str:
    """The CSRF token the phone sends: the one of the page it sends from, if a session is
    open; else the one kept with the form (which the registry will not take)."""
    page = phone.browser.get("/workspace")
    return csrf_of(page.text) if page.status_code == 200 else csrf_of(phone.kept_form)


def _send(phone: Phone) -> Any:
    phone.fields["csrf_token"] = _token_now(phone)
    answer = phone.browser.post(_action(phone.kept_form), data=phone.fields)
    phone.answers.append(answer)
    return answer


## Given


@given(
    "Nadia, an inspector of the Marrakech-Safi chambre authorised for Madmoun, is signed in",
    target_fixture="phone",
)
def signed_in(client: TestClient, madmoun_inspector: Actor, sessions: SessionMint) -> Phone:
    return Phone(browser=Browser(client, sessions(madmoun_inspector)))


@given("a potter of her chambre with a tajine line")
def a_potter(phone: Phone, session: Session, other_chambre: Any) -> None:
    row, _ = _artisan(
        session,
        body=other_chambre,
        nia="NIA-07-000998",
        public_id="SAFIPOT8ER",
        kind="artisan",
        latin="Atelier Ouhmad",
        arabic="ورشة أوحماد",
        region="MA-07",
        filiere="F04",
        metier="Potier",
        city="Safi",
        product=("poterie", "Tajine émaillé", ["argile"], None),
    )
    assert row.id is not None
    phone.artisan_id = row.id


@given(parsers.parse('her phone kept the "{scheme}" audit form of the potter'))
def kept_form(phone: Phone, scheme: str) -> None:
    page = phone.browser.get(f"/workspace/artisans/{phone.artisan_id}/audits/new?scheme={scheme}")
    assert page.status_code == 200, page.text[:500]
    assert "data-outbox" in page.text  # the phone keeps what this form saves
    phone.kept_form = page.text


@given("her session ended while she was away")
def session_ended(
    phone: Phone, client: TestClient, madmoun_inspector: Actor, sessions: SessionMint
) -> None:
    idle = utcnow() - timedelta(hours=3)
    phone.browser = Browser(client, sessions(madmoun_inspector, last_used=idle))
    assert phone.browser.get("/workspace").status_code == 303


## When


@when(
    parsers.parse(
        'her phone sends the audit with "{lead}" of lead, "{cadmium}" of cadmium and a food '
        "contact declaration"
    )
)
def sends(phone: Phone, lead: str, cadmium: str) -> None:
    html = phone.kept_form
    phone.fields = {
        # The id the phone gave the audit when the form opened (a kept form opens many times).
        "idempotency_key": str(uuid.uuid4()),
        "scheme": _hidden(html, "scheme"),
        "audit_date": re.search(r'name="audit_date" type="date" value="([^"]*)"', html).group(1),  # type: ignore[union-attr]
        "product_line_ids": re.findall(r'name="product_line_ids" value="(\d+)" checked', html),
        "c-lead_release": lead,
        "c-cadmium_release": cadmium,
        "c-food_contact_declaration": "yes",
    }
    _send(phone)


@when("the answer is lost, and her phone sends the same audit again")
def sends_again(phone: Phone) -> None:
    _send(phone)


@when("her phone sends another audit from the same kept form, under a new id")
def sends_another(phone: Phone) -> None:
    phone.fields["idempotency_key"] = str(uuid.uuid4())
    _send(phone)


@when("she signs in again")
def signs_in_again(
    phone: Phone, client: TestClient, madmoun_inspector: Actor, sessions: SessionMint
) -> None:
    phone.browser = Browser(client, sessions(madmoun_inspector))
    assert csrf_of(phone.kept_form) != _token_now(phone)  # the kept form's token is the old one


@when("the chambre's administrator withdraws her Madmoun authorisation")
def withdraws(client: TestClient, other_admin: Actor, madmoun_inspector: Actor) -> None:
    url = f"/api/v1/inspectors/{madmoun_inspector.id}/authorisations/MADMOUN"
    response = client.delete(url, headers=other_admin.headers)
    assert response.status_code in (200, 204), response.text


## Then


@then("only one audit of the potter is on record")
def one_audit(session: Session, phone: Phone) -> None:
    assert phone.answers[-1].status_code == 303, phone.answers[-1].text[:500]
    assert count(session, "audit") == 1


@then("two audits of the potter are on record")
def two_audits(session: Session, phone: Phone) -> None:
    first, second = (a.headers["location"] for a in phone.answers)
    assert first != second
    assert count(session, "audit") == 2


@then("no audit of the potter is on record")
def no_audit(session: Session) -> None:
    assert count(session, "audit") == 0


@then("both answers lead to the same audit page")
def same_answer(phone: Phone) -> None:
    first, second = phone.answers
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert re.fullmatch(r"/workspace/audits/\d+\?done=saved", first.headers["location"])
    page = phone.browser.get(first.headers["location"])
    assert page.status_code == 200 and "Audit enregistré" in page.text


@then("she is asked to sign in again")
def asked_to_sign_in(phone: Phone) -> None:
    answer = phone.answers[-1]
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert location.path == "/login"
    wanted = parse_qs(location.query)["next"][0]
    assert next_page(wanted) == wanted  # a workspace page: sign-in leads back there


@then("the registry's answer says she is not or no longer authorised for this label")
def not_authorised(phone: Phone) -> None:
    answer = phone.answers[-1]
    assert answer.status_code == 403
    assert "Vous n'êtes pas (ou plus) habilité pour ce label" in unescape(answer.text)
    assert problem_of(answer.text) is None  # her form, with the sentence on it
    assert 'id="form-error"' in answer.text  # where the phone reads what to tell her
