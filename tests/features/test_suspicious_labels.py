"""Steps of suspicious_labels.feature: scans counted per label (never per person), receipts,
a confirmed clone, and the SUSPICIOUS verdict they lead to, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
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
from tests.workspace.support import Browser, SessionMint, csrf_of

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


@given(parsers.parse('{name} records the receipt of the carpet in shipment "{shipment}"'))
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
    _verdicts(verify_client, carpet, verdict, reason)


@then(parsers.parse('the carpet\'s label is "{verdict}"'))
def verdict_plain(verify_client: TestClient, carpet: dict[str, Any], verdict: str) -> None:
    _verdicts(verify_client, carpet, verdict, None)


def _verdicts(
    verify_client: TestClient, carpet: dict[str, Any], verdict: str, reason: str | None
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
        if reason is not None:
            assert found["reasons"][0] == reason


@then(parsers.parse('the page in {language} says "{words}"'))
def page_says(verify_client: TestClient, carpet: dict[str, Any], language: str, words: str) -> None:
    page = verify_client.get(
        _path(str(carpet["uri"])) + f"&lang={LANGS[language]}", headers={"Accept": "text/html"}
    )
    assert page.status_code == 200
    assert words in page.text, re.findall(r"<p class=\"cause\"[^<]*", page.text)


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


## Lifting a threshold mark

NOTE = "Salon de l'artisanat, Paris, 3-9 mars"


@pytest.fixture
def body_admin(labels_app: FastAPI, admin: Actor, session: Session) -> Iterator[Browser]:
    """The administrator of the body that certified the cooperative, signed in."""
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        yield Browser(client, SessionMint(session)(admin))


@when(parsers.parse('the certifying body\'s administrator lifts the mark because "{note}"'))
def lift(body_admin: Browser, carpet: dict[str, Any], note: str) -> None:
    listing = body_admin.get("/workspace/cases/marks")
    assert listing.status_code == 200
    assert f'data-marked-label="{carpet["id"]}"' in listing.text
    assert "scanned too often" in listing.text or "scannée trop souvent" in listing.text
    answer = body_admin.post(
        f"/workspace/cases/marks/{carpet['id']}/lift",
        data={"csrf_token": csrf_of(listing.text), "note": note},
    )
    assert answer.status_code == 303, answer.text[:500]
    assert answer.headers["location"] == "/workspace/cases/marks?done=lifted"
    after = body_admin.get("/workspace/cases/marks")
    assert f'data-marked-label="{carpet["id"]}"' not in after.text


@then("the short address page in English no longer says the label is suspicious")
def short_page_plain(verify_client: TestClient, carpet: dict[str, Any]) -> None:
    text = _short_page(verify_client, carpet, "English")
    assert "data-verdict" not in text and "Scanned 5 times" not in text


def _rows(session: Session, sql: str) -> list[tuple[Any, ...]]:
    rows = [tuple(row) for row in session.execute(text(sql)).all()]
    session.rollback()
    return rows


@then("Galeries Lafayette is told that the mark was lifted")
def store_told(session: Session, stores: dict[str, RetailerRef], carpet: dict[str, Any]) -> None:
    events = [
        (retailer_id, json.loads(payload))
        for retailer_id, payload in _rows(session, "SELECT retailer_id, payload FROM webhook_event")
    ]
    lifted = [(r, e) for r, e in events if e["type"] == "label.mark_lifted"]
    assert [r for r, _ in lifted] == [
        stores["Galeries Lafayette"].id
    ]  # only the one that received it
    data = lifted[0][1]["data"]
    assert data["label"] == {"gtin": carpet["gtin"], "serial": carpet["serial"]}
    assert data["reason_code"] == "scanned_too_often"
    assert data["status"] == "active"


@then("the transparency log records the lift without the administrator's note")
def lift_logged(session: Session, carpet: dict[str, Any]) -> None:
    [(payload,)] = _rows(
        session, "SELECT payload FROM log_entry WHERE event_type = 'label.mark_lifted'"
    )
    leaf = json.loads(payload)
    assert leaf["serial"] == carpet["serial"]
    assert leaf["lifted"] == ["scanned_too_often"] and leaf["still_marked"] == []
    everything = " ".join(str(p) for (p,) in _rows(session, "SELECT payload FROM log_entry"))
    assert "Salon" not in everything and not re.search("Paris", everything)


@when("the scan counts are written while the week's total is still over the limit")
def flush_old_total(settings: Settings, session: Session) -> None:
    """The scans since the lift (the checks of the steps above) are not over the limit
    alone, but the week's counters are: the flush must not mark the label again."""
    assert telemetry_for(settings).flush() > 0
    [(total,)] = _rows(session, "SELECT sum(scans) FROM scan_counter")
    assert int(total) > settings.suspicious_scan_limit


@then("the page in English counts only the scans since the lift")
def counts_since_lift(verify_client: TestClient, session: Session, carpet: dict[str, Any]) -> None:
    [(total,)] = _rows(session, "SELECT sum(scans) FROM scan_counter")
    [(baseline,)] = _rows(session, "SELECT baseline FROM label_mark_lift")
    before = sum(n for countries in json.loads(baseline).values() for n in countries.values())
    assert before >= 5 and int(total) > before
    page = verify_client.get(
        _path(str(carpet["uri"])) + "&lang=en", headers={"Accept": "text/html"}
    )
    assert f"Scanned {int(total) - before} times within 7 days" in page.text
