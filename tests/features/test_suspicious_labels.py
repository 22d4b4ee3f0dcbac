"""Steps of suspicious_labels.feature: scans counted per label (never per person), receipts,
a confirmed clone, and the SUSPICIOUS verdict they lead to, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import text
from sqlmodel import Session

from core.db import new_session
from core.settings import Settings
from labeling.verification.suspicion import mark_label
from labeling.verification.telemetry import telemetry_for
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import RetailerRef, issue_labels, make_retailer

scenarios("suspicious_labels.feature")

COUNTRY_HEADER = "CF-IPCountry"
COUNTRIES = {"Morocco": "MA", "France": "FR", "Germany": "DE", "Spain": "ES"}
LANGS = {"English": "en", "French": "fr", "Spanish": "es", "Arabic": "ar"}


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Run every scenario on SQLite and on PostgreSQL."""
    return db_url


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """A registry behind a proxy that names the scanner's country, with low thresholds (the
    Given steps say them), whose webhooks may go to this machine, and whose counts the steps
    write (no timer in the way)."""
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
        scan_country_header=COUNTRY_HEADER,
        scan_flush_seconds=3600,
        webhook_allow_private=True,
        webhook_delivery_interval_seconds=0,
        suspicious_country_limit=2,
        suspicious_scan_limit=4,
    )


def _path(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.path}?{parts.query}"


## Given


@given("the cooperative's label for one carpet", target_fixture="carpet")
def carpet(verify_client: TestClient, admin: Actor, cert: CertificateRef) -> dict[str, Any]:
    return issue_labels(verify_client, admin, cert, 1)[0]


@given(
    parsers.parse(
        "the registry treats more than {limit:d} countries in a week as more than one "
        "carpet can travel"
    )
)
def country_limit(settings: Settings, limit: int) -> None:
    assert settings.suspicious_country_limit == limit
    assert settings.suspicious_country_window_days == 7


@given(
    parsers.parse(
        "the registry treats more than {limit:d} scans in a week as more than one carpet gets"
    )
)
def scan_limit(settings: Settings, limit: int) -> None:
    assert settings.suspicious_scan_limit == limit
    assert settings.suspicious_scan_window_days == 7


@given(
    "Galeries Lafayette in France and El Corte Inglés in Spain have retailer accounts",
    target_fixture="stores",
)
def stores(db_url: str) -> dict[str, RetailerRef]:
    return {
        "Galeries Lafayette": make_retailer(db_url, "Galeries Lafayette", "FR"),
        "El Corte Inglés": make_retailer(db_url, "El Corte Inglés", "ES"),
    }


@given("Galeries Lafayette and El Corte Inglés listen for label events")
def listening(verify_client: TestClient, stores: dict[str, RetailerRef]) -> None:
    for store in stores.values():
        made = verify_client.post(
            "/api/v1/webhooks",
            json={"url": "http://127.0.0.1:9/khatem-events"},
            headers=store.headers,
        )
        assert made.status_code == 201, made.text


## When


@when(parsers.parse("buyers scan the carpet's label in {places}"))
def scan_in(verify_client: TestClient, carpet: dict[str, Any], places: str) -> None:
    for place in places.replace(" and ", ", ").split(", "):
        answer = verify_client.get(
            _path(str(carpet["uri"])),
            headers={"Accept": "application/json", COUNTRY_HEADER: COUNTRIES[place]},
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["verdict"] == "AUTHENTIC"  # nothing is known yet


@when(parsers.parse("buyers scan the carpet's label {count:d} times"))
def scan_times(verify_client: TestClient, carpet: dict[str, Any], count: int) -> None:
    for _ in range(count):
        answer = verify_client.get(_path(str(carpet["uri"])), headers={"Accept": "text/html"})
        assert answer.status_code == 200


@when("the scan counts are written")
def flush(settings: Settings) -> None:
    assert telemetry_for(settings).flush() > 0


@when(parsers.parse('{name} records the receipt of the carpet in shipment "{shipment}"'))
def receive(
    verify_client: TestClient,
    stores: dict[str, RetailerRef],
    carpet: dict[str, Any],
    name: str,
    shipment: str,
) -> None:
    answer = verify_client.post(
        "/api/v1/receipts",
        json={"shipment_ref": shipment, "labels": [carpet["uri"]]},
        headers=stores[name].headers,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["recorded"] == 1


@when("the certifying body confirms that the carpet's label was cloned")
def confirmed(db_url: str, carpet: dict[str, Any]) -> None:
    """As the buyer-report case's "confirm a clone" decision records it."""
    with new_session(db_url) as session:
        assert mark_label(session, label_id=int(carpet["id"]), reason="confirmed_clone")
        session.commit()


@when("the registry revokes the carpet's label")
def revoke(verify_client: TestClient, admin: Actor, carpet: dict[str, Any]) -> None:
    answer = verify_client.post(
        f"/api/v1/labels/{carpet['id']}/revoke",
        json={"reason_code": "lost_or_stolen"},
        headers=admin.headers,
    )
    assert answer.status_code == 200, answer.text


## Then


@then(parsers.parse('the carpet\'s label is "{verdict}" because "{reason}"'))
def verdict_is(
    verify_client: TestClient, carpet: dict[str, Any], verdict: str, reason: str
) -> None:
    for answer in (
        verify_client.get(_path(str(carpet["uri"])), headers={"Accept": "application/json"}),
        verify_client.get("/api/v1/verify", params={"label": carpet["uri"]}),
        verify_client.post("/api/v1/verify", json={"labels": [carpet["uri"]]}),
    ):
        assert answer.status_code == 200, answer.text
        body = answer.json()
        found = body["verdicts"][0] if "verdicts" in body else body
        assert found["verdict"] == verdict
        assert found["reasons"][0] == reason


@then(parsers.parse('the page in {language} says "{words}"'))
def page_says(verify_client: TestClient, carpet: dict[str, Any], language: str, words: str) -> None:
    page = verify_client.get(
        _path(str(carpet["uri"])) + f"&lang={LANGS[language]}", headers={"Accept": "text/html"}
    )
    assert page.status_code == 200
    assert words in page.text, page.text[:2000]


@then("each store is told once that the label is suspicious")
def told_once(session: Session, stores: dict[str, RetailerRef], carpet: dict[str, Any]) -> None:
    rows = session.exec(  # type: ignore[call-overload]
        text("SELECT retailer_id, payload FROM webhook_event WHERE type = 'label.suspicious'")
    ).all()
    session.rollback()
    assert sorted(int(row[0]) for row in rows) == sorted(s.id for s in stores.values())
    for _, payload in rows:
        assert '"reason_code":"received_by_two_retailers"' in payload
        assert str(carpet["serial"]) in payload


def _short_page(verify_client: TestClient, carpet: dict[str, Any], language: str) -> str:
    page = verify_client.get(
        f"/v/{carpet['serial']}",
        params={"lang": LANGS[language]},
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 200, page.text
    return page.text


@then(parsers.parse('the short address page in {language} says the label is "{word}"'))
def short_page_verdict(
    verify_client: TestClient, carpet: dict[str, Any], language: str, word: str
) -> None:
    """The label page's verdict box (one partial), on the page of the typed serial."""
    text = _short_page(verify_client, carpet, language)
    assert 'data-verdict="SUSPICIOUS"' in text
    assert f'id="verdict-word-1">{word}</strong>' in text


@then(parsers.parse('the short address page in {language} says "{words}"'))
def short_page_says(
    verify_client: TestClient, carpet: dict[str, Any], language: str, words: str
) -> None:
    text = _short_page(verify_client, carpet, language)
    assert words in text, text[:3000]
