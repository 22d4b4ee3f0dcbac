"""Step definitions of ``typed_code.feature``: the home page's box reads what is printed on
a label (issue 13, item 8). Every scenario runs on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pytest_bdd import given, parsers, scenarios, then, when

from labeling.keycustody import KeyfileSigner
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue
from verify.label_codec import format_certificate_code, parse_label_uri

scenarios("typed_code.feature")

BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"
LANGUAGES = {"French": "fr", "English": "en", "Spanish": "es", "Arabic": "ar"}
ACCEPT_LANGUAGE = {"fr": "fr-FR,fr;q=0.9", "en": "en-GB", "es": "es-ES,es;q=0.9", "ar": "ar-MA"}
EN_BROWSER = {"Accept": BROWSER, "Accept-Language": ACCEPT_LANGUAGE["en"]}
ONLY_THE_QR = {
    "fr": "Seul le QR code porte la signature du registre",
    "en": "Only the QR code carries the registry's signature",
    "es": "Solo el código QR lleva la firma del registro",
    "ar": "رمز QR وحده يحمل توقيع السجل",
}
WHAT_TO_TYPE = {
    "fr": "Vous pouvez taper ce qui est imprimé à côté du QR code",
    "en": "You can type what is printed beside the QR code",
    "es": "Puede escribir lo que está impreso junto al código QR",
    "ar": "يمكنك كتابة ما هو مطبوع بجانب رمز QR",
}
#: What a page must never say of a typed code, in any language.
FORGED = ("forg", "falsif", "INVALID", "Invalid", "Non valide", "No válido", "غير صالح", "مزور")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


def _type(client: TestClient, text: str, lang: str = "en", *, follow: bool = False) -> Response:
    return client.get(
        "/verify",
        params={"url": text},
        headers={"Accept": BROWSER, "Accept-Language": ACCEPT_LANGUAGE[lang]},
        follow_redirects=follow,
    )


def _text(page: Response) -> str:
    """The page's text as a person reads it (entities decoded, no stylesheet)."""
    return html.unescape(re.sub(r"<style>.*?</style>", "", page.text, flags=re.S))


## Given


@given("a carpet of the cooperative carries a Khatem label", target_fixture="label")
def one_label(
    verify_client: TestClient, inspector: Actor, cert: CertificateRef, signer: KeyfileSigner
) -> str:
    [uri] = issue(verify_client, inspector, cert, 1)
    return uri


## When


@when(
    "a buyer types the certificate code in lower case and without its dash on the home page",
    target_fixture="answer",
)
def types_certificate(verify_client: TestClient, cert: CertificateRef) -> Response:
    typed = format_certificate_code(cert.code).replace("-", "").lower()
    return _type(verify_client, typed)


@when("a buyer types the label's GTIN and serial on the home page", target_fixture="page")
def types_gtin_and_serial(verify_client: TestClient, label: str) -> Response:
    token = parse_label_uri(label)
    answer = _type(verify_client, f"{token.gtin.lstrip('0')} {token.serial}")
    assert answer.status_code == 303, answer.text
    return verify_client.get(answer.headers["location"], headers={"Accept": BROWSER})


@when(
    "a buyer whose phone speaks Spanish opens the short address printed on the label, "
    "in lower case",
    target_fixture="answer",
)
def opens_short_address(verify_client: TestClient, label: str) -> Response:
    serial = parse_label_uri(label).serial
    return verify_client.get(
        f"/v/{serial.lower()}",
        headers={"Accept": BROWSER, "Accept-Language": ACCEPT_LANGUAGE["es"]},
        follow_redirects=False,
    )


def _unsigned_path(label: str) -> str:
    """The label's path without its query (``?S=…``): what a person types from the print."""
    return "/" + label.split("/", 3)[3].split("?", 1)[0]


@when(
    'a buyer opens the label\'s address in a browser without the signature after "?S="',
    target_fixture="answer",
)
def opens_unsigned_address(verify_client: TestClient, label: str) -> Response:
    return verify_client.get(_unsigned_path(label), headers=EN_BROWSER, follow_redirects=False)


@when(
    "a retailer's system asks for the label's address without its signature in JSON",
    target_fixture="answer",
)
def asks_unsigned_in_json(verify_client: TestClient, label: str) -> Response:
    return verify_client.get(_unsigned_path(label), headers={"Accept": "application/json"})


@when("a buyer pastes the label's whole address on the home page", target_fixture="answer")
def pastes_label(verify_client: TestClient, label: str) -> Response:
    return _type(verify_client, label + "\n")


@when(
    parsers.parse('a buyer whose phone speaks {language} types "{text}" on the home page'),
    target_fixture="page",
)
def types_nonsense(verify_client: TestClient, language: str, text: str) -> Response:
    return _type(verify_client, text, LANGUAGES[language], follow=True)


## Then


@then("the buyer lands on the cooperative's certificate page")
def lands_on_certificate(verify_client: TestClient, answer: Response, cert: CertificateRef) -> None:
    code = format_certificate_code(cert.code)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/certificates/{code}?lang=en"
    page = verify_client.get(answer.headers["location"], headers={"Accept": BROWSER})
    assert page.status_code == 200 and code in page.text


@then("the page says what the registry knows: the carpet line and the certificate in force")
def registry_knows(page: Response, label: str, cert: CertificateRef) -> None:
    assert page.status_code == 200
    token = parse_label_uri(label)
    assert token.serial in page.text and token.gtin in page.text
    assert format_certificate_code(cert.code) in page.text
    assert 'data-certificate-status="active"' in page.text
    assert 'data-label-status="active"' in page.text
    assert "Its certificate is in force." in page.text


@then("the page says that only the QR code proves the label authentic")
def only_the_qr(page: Response) -> None:
    assert ONLY_THE_QR["en"] in _text(page)
    assert "It does not prove that the label you hold is authentic" in _text(page)


@then("nowhere does the page call the label forged or invalid")
def never_forged(page: Response) -> None:
    body = _text(page)
    assert not any(word in body for word in FORGED)
    assert "data-verdict" not in body


@then("the address leads to the page of that serial")
def leads_to_serial(verify_client: TestClient, answer: Response, label: str) -> None:
    serial = parse_label_uri(label).serial
    assert answer.status_code == 301
    assert answer.headers["location"] == f"/v/{serial}"


@then("the buyer is sent to the short address page of that serial", target_fixture="page")
def to_short_address(verify_client: TestClient, answer: Response, label: str) -> Response:
    token = parse_label_uri(label)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/v/{token.serial}?gtin={token.gtin}"
    return verify_client.get(answer.headers["location"], headers=EN_BROWSER)


@then(parsers.parse('the answer is still the INVALID verdict "{reason}"'))
def still_invalid(answer: Response, reason: str) -> None:
    assert answer.status_code == 200, answer.text
    assert answer.json()["verdict"] == "INVALID"
    assert answer.json()["reasons"] == [reason]


@then("the page is in Spanish and says that only the QR code proves the label authentic")
def spanish_page(verify_client: TestClient, answer: Response) -> None:
    page = verify_client.get(
        answer.headers["location"],
        headers={"Accept": BROWSER, "Accept-Language": ACCEPT_LANGUAGE["es"]},
    )
    assert page.status_code == 200
    assert '<html lang="es"' in page.text and ONLY_THE_QR["es"] in _text(page)


@then("the buyer is sent to the label's own verification page")
def to_label_page(answer: Response, label: str) -> None:
    assert answer.status_code == 303
    path = "/" + label.split("/", 3)[3]
    assert answer.headers["location"].startswith(path + "&lang=")


@then(
    parsers.parse(
        "the page, in {language}, explains what can be typed, without calling anything forged"
    )
)
def explains(page: Response, language: str) -> None:
    lang = LANGUAGES[language]
    assert page.status_code == 404
    assert f'<html lang="{lang}"' in page.text
    assert WHAT_TO_TYPE[lang] in _text(page)
    never_forged(page)
