"""Steps of admin_withdraws_certificate.feature: a body administrator withdraws a
certificate through the workspace's forms only (no JavaScript), as a browser sends them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef, make_certificate
from tests.workspace.support import Browser, SessionMint, csrf_of, problem_of

scenarios("admin_withdraws_certificate.feature")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


@dataclass
class Story:
    browser: Browser
    admin: Actor
    certificate: CertificateRef | None = None
    code: str = ""
    page: Any = None
    others: dict[str, Browser] = field(default_factory=dict)

    @property
    def url(self) -> str:
        assert self.certificate is not None
        return f"/workspace/certificates/{self.certificate.id}"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def second_browser(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


## Given


@given(
    "Lahcen, the administrator of the Drâa-Tafilalet chambre, is signed in",
    target_fixture="story",
)
def lahcen(client: TestClient, admin: Actor, sessions: SessionMint) -> Story:
    return Story(browser=Browser(client, sessions(admin)), admin=admin)


@given("the weaving cooperative of Taznakht holds an active carpet certificate")
def cooperative_certificate(
    story: Story, session: Session, inspector: Actor, artisan: Actor
) -> None:
    story.certificate = make_certificate(session, inspector=inspector, workshop=artisan)
    page = story.browser.get(story.url)
    assert page.status_code == 200, page.text[:500]
    match = re.search(r"C-[0-9A-Z]{7}", page.text)
    assert match
    story.code = match.group(0)


@given("Youssef, the administrator of the Marrakech-Safi chambre, is signed in")
def youssef(
    story: Story, second_browser: TestClient, other_admin: Actor, sessions: SessionMint
) -> None:
    story.others["youssef"] = Browser(second_browser, sessions(other_admin))


## When


@when("he looks for the active certificates of the weavers of Drâa-Tafilalet")
def filters(story: Story) -> None:
    story.page = story.browser.get("/workspace/certificates?status=active&region=MA-08&craft=F01")
    assert story.page.status_code == 200


@when("he asks to withdraw it")
def ask_to_withdraw(story: Story) -> None:
    certificate_page = story.browser.get(story.url).text
    assert f'href="{story.url}/withdraw"' in certificate_page
    story.page = story.browser.get(f"{story.url}/withdraw")
    assert story.page.status_code == 200


@when(parsers.parse('he confirms with the reason "{reason}" and the note "{note}"'))
def confirms(story: Story, reason: str, note: str) -> None:
    response = story.browser.post(
        f"{story.url}/withdraw",
        data={"csrf_token": csrf_of(story.page.text), "reason_code": reason, "reason_text": note},
    )
    assert response.status_code == 303, response.text[:800]
    story.page = story.browser.get(response.headers["location"])
    assert story.page.status_code == 200


@when("he goes back to the certificate without confirming")
def goes_back(story: Story) -> None:
    back = re.search(r'class="button-link secondary" href="([^"]+)">Annuler<', story.page.text)
    assert back and back.group(1) == story.url
    story.page = story.browser.get(back.group(1))


@when("he confirms without choosing a reason")
def confirms_without_reason(story: Story) -> None:
    story.page = story.browser.post(
        f"{story.url}/withdraw", data={"csrf_token": csrf_of(story.page.text), "reason_code": ""}
    )


@when("Youssef sends a withdrawal of the certificate")
def youssef_withdraws(story: Story) -> None:
    other = story.others["youssef"]
    story.page = other.post(
        f"{story.url}/withdraw", data={"csrf_token": other.csrf(), "reason_code": "fraud"}
    )


## Then


@then("he finds the cooperative's certificate in the list")
def in_the_list(story: Story) -> None:
    assert f'href="{story.url}"' in story.page.text
    assert story.code in story.page.text


@then("the confirmation page says that the withdrawal is final")
def says_final(story: Story) -> None:
    text = _text(story.page.text)
    assert f"Retirer le certificat {story.code}" in text
    assert "Le retrait est définitif" in text


@then("the certificate is still active")
def still_active(story: Story) -> None:
    page = story.browser.get(story.url).text
    assert 'class="badge active"' in page
    assert "Retiré" not in _text(page)


@then(parsers.parse('the certificate page says "{words}"'))
def page_says(story: Story, words: str) -> None:
    assert words in _text(story.page.text)
    assert 'class="badge withdrawn"' in story.page.text


@then("its history shows the withdrawal by Lahcen, for fraud, with the note")
def history(story: Story) -> None:
    text = _text(story.page.text)
    name = story.admin.email.split("@")[0].replace(".", " ").title()
    assert "Retiré" in text and f"par {name}" in text
    assert "Fraude (preuves falsifiées, étiquettes contrefaites)" in text
    assert "Étiquettes copiées, visite du 3 mars" in text


@then("the public page of the certificate says it is withdrawn")
def public_page(story: Story, client: TestClient) -> None:
    public = client.get(f"/certificates/{story.code}?lang=fr")
    assert public.status_code == 200
    assert "retiré définitivement" in _text(public.text)
    assert "visite du 3 mars" not in public.text  # the note stays private


@then("no decision is offered any more")
def no_decision(story: Story) -> None:
    assert "aucune décision n'est plus possible" in _text(story.page.text)
    for decision in ("suspend", "reinstate", "withdraw"):
        assert f'href="{story.url}/{decision}"' not in story.page.text


@then(parsers.parse('the form says beside the reason "{message}"'))
def beside_reason(story: Story, message: str) -> None:
    assert story.page.status_code == 422
    error = re.search(r'id="e-reason_code">(.*?)</p>', story.page.text, re.S)
    assert error and message in _text(error.group(1))


@then("Youssef is told that the certificate is not found")
def not_found(story: Story) -> None:
    assert story.page.status_code == 404
    assert problem_of(story.page.text) == "certificate-not-found"
    assert "n'est pas de votre organisme" in _text(story.page.text)
