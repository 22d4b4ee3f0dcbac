"""Steps of buyer_reports.feature (state passes through ``target_fixture``)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import inspect, text
from sqlmodel import Session

from core.db import engine_for
from core.settings import Settings
from labeling.reports.form_token import issue_token
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.reports.fixtures import ReportedLabel, jpeg_bytes
from tests.retailers.fixtures import RetailerRef, issue_labels, make_retailer
from tests.security.support import use_cheap_password_hashing
from tests.workspace.support import Browser, SessionMint, csrf_of

scenarios("buyer_reports.feature")

WORDS = ("Bazar Atlas", "Tienda Sol", "Souk Semmarine", "Madrid", "Sevilla", "buyer@")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every scenario on SQLite and on PostgreSQL."""
    use_cheap_password_hashing(monkeypatch)
    return db_url


@pytest.fixture
def settings(db_url: str, tmp_path: Any) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
        webhook_allow_private=True,  # the store's receiver is on this machine
        webhook_delivery_interval_seconds=0,
    )


def _rows(session: Session, sql: str) -> list[tuple[Any, ...]]:
    rows = [tuple(row) for row in session.execute(text(sql)).all()]
    session.rollback()
    return rows


@pytest.fixture
def chambre_admin(labels_app: FastAPI, admin: Actor, session: Session) -> Iterator[Browser]:
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        yield Browser(client, SessionMint(session)(admin))


## Given


@given("a carpet label of the cooperative", target_fixture="carpet")
def a_carpet_label(verify_client: TestClient, admin: Actor, cert: CertificateRef) -> ReportedLabel:
    row = issue_labels(verify_client, admin, cert, 1)[0]
    return ReportedLabel(int(row["id"]), str(row["gtin"]), str(row["serial"]), str(row["uri"]))


@given(
    "El Corte Inglés received that carpet and listens for status changes", target_fixture="store"
)
def store_received(db_url: str, verify_client: TestClient, carpet: ReportedLabel) -> RetailerRef:
    store = make_retailer(db_url, "El Corte Inglés", "ES")
    hook = verify_client.post(
        "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hooks"}, headers=store.headers
    )
    assert hook.status_code == 201, hook.text
    received = verify_client.post(
        "/api/v1/receipts",
        json={"shipment_ref": "ALB-77", "labels": [carpet.uri]},
        headers=store.headers,
    )
    assert received.status_code == 200, received.text
    return store


## When


def _report_by_form(
    client: TestClient,
    settings: Settings,
    carpet: ReportedLabel,
    shop: str,
    city: str,
    photo: bytes | None = None,
) -> None:
    """As a phone does it: the form from the label page's link, filled in, sent."""
    client.app.state.rate_limiters = None  # type: ignore[attr-defined]  # two buyers, two addresses
    form = client.get(f"/report/{carpet.gtin}/{carpet.serial}?lang=es")
    assert form.status_code == 200
    assert re.search(r'name="form_token" value="\d+\.[0-9a-f]{64}"', form.text)
    # The buyer takes a minute to fill it in: the token the page gave, a minute older.
    token = issue_token(settings, carpet.gtin, carpet.serial, now=time.time() - 60)
    sent = client.post(
        f"/report/{carpet.gtin}/{carpet.serial}?lang=es",
        data={
            "item": "Alfombra azul, 2 x 3 m, etiqueta Khatem",
            "shop_name": shop,
            "city": city,
            "country": "ES",
            "contact_email": "buyer@example.org",
            "form_token": token,
            "website": "",
        },
        files={"photo": ("foto.jpg", photo or b"", "image/jpeg")},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text[:800]


@when(
    parsers.parse(
        'a buyer reports that the carpet bought at "{shop}" in {city} is a fake, with a photo'
    )
)
def report_with_photo(
    verify_client: TestClient, settings: Settings, carpet: ReportedLabel, shop: str, city: str
) -> None:
    _report_by_form(verify_client, settings, carpet, shop, city, jpeg_bytes())


@when(parsers.parse('a buyer reports that the carpet bought at "{shop}" in {city} is a fake'))
def report(
    verify_client: TestClient, settings: Settings, carpet: ReportedLabel, shop: str, city: str
) -> None:
    _report_by_form(verify_client, settings, carpet, shop, city)


@when(parsers.parse('another buyer reports the same label from "{shop}" in {city}'))
def report_again(verify_client: TestClient, carpet: ReportedLabel, shop: str, city: str) -> None:
    verify_client.app.state.rate_limiters = None  # type: ignore[attr-defined]
    answer = verify_client.post(
        "/api/v1/reports",
        json={
            "gtin": carpet.gtin,
            "serial": carpet.serial,
            "item": "Alfombra azul",
            "shop_name": shop,
            "city": city,
        },
    )
    assert answer.status_code == 201, answer.text


def _decide(browser: Browser, session: Session, decision: str) -> None:
    [(case_id,)] = _rows(session, "SELECT id FROM report_case WHERE status = 'open'")
    listing = browser.get("/workspace/cases")
    assert f'href="/workspace/cases/{case_id}"' in listing.text
    page = browser.get(f"/workspace/cases/{case_id}")
    assert page.status_code == 200 and "ALB-77" in page.text  # the store's receipt
    answer = browser.post(
        f"/workspace/cases/{case_id}/decision",
        data={"csrf_token": csrf_of(page.text), "decision": decision},
    )
    assert answer.status_code == 303, answer.text[:500]


@when("the chambre's administrator confirms the clone")
def confirm(chambre_admin: Browser, session: Session) -> None:
    _decide(chambre_admin, session, "confirm")


@when("the chambre's administrator dismisses the case")
def dismiss(chambre_admin: Browser, session: Session) -> None:
    _decide(chambre_admin, session, "dismiss")


## Then


@then(parsers.parse("the chambre has one open case for the label, with {count:d} reports"))
def one_open_case(session: Session, carpet: ReportedLabel, admin: Actor, count: int) -> None:
    assert _rows(session, "SELECT label_id, body_id, status, reports_count FROM report_case") == [
        (carpet.id, admin.body_id, "open", count)
    ]


@then("another chambre's administrator cannot open that case")
def other_body_refused(labels_app: FastAPI, other_admin: Actor, session: Session) -> None:
    [(case_id,)] = _rows(session, "SELECT id FROM report_case")
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        youssef = Browser(client, SessionMint(session)(other_admin))
        assert youssef.get(f"/workspace/cases/{case_id}").status_code == 404


@then(parsers.parse('the label is marked "{reason}"'))
def marked(session: Session, carpet: ReportedLabel, reason: str) -> None:
    assert _rows(session, "SELECT label_id, reason, retailer_id FROM label_mark") == [
        (carpet.id, reason, None)
    ]


@then("the label carries no mark")
def no_mark(session: Session) -> None:
    assert _rows(session, "SELECT count(*) FROM label_mark") == [(0,)]


@then("the case is closed as dismissed")
def dismissed(session: Session) -> None:
    assert _rows(session, "SELECT status FROM report_case") == [("dismissed",)]


@then("El Corte Inglés is told that the label is suspicious")
def store_told(session: Session, store: RetailerRef, carpet: ReportedLabel) -> None:
    rows = _rows(session, "SELECT retailer_id, payload FROM webhook_event")
    events = [(r, json.loads(p)) for r, p in rows if json.loads(p)["type"] == "label.suspicious"]
    assert len(events) == 1
    retailer_id, event = events[0]
    assert retailer_id == store.id
    assert event["data"]["label"]["serial"] == carpet.serial
    assert _rows(session, "SELECT count(*) FROM webhook_delivery WHERE status = 'pending'") == [
        (1,)
    ]


@then(parsers.parse('the transparency log records "{event_type}" without the buyers\' words'))
def logged(session: Session, carpet: ReportedLabel, event_type: str) -> None:
    [(payload,)] = _rows(
        session, f"SELECT payload FROM log_entry WHERE event_type = '{event_type}'"
    )
    leaf = json.loads(payload)
    assert leaf["serial"] == carpet.serial and isinstance(leaf["case"], int)
    everything = " ".join(str(p) for (p,) in _rows(session, "SELECT payload FROM log_entry"))
    assert not [word for word in WORDS if word in everything]


## Too many reports from one address

#: The buyer's phone: an address of its own, which must be stored nowhere.
PHONE_ADDRESS = "203.0.113.77"


@pytest.fixture
def phone(labels_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(
        labels_app, raise_server_exceptions=False, client=(PHONE_ADDRESS, 50123)
    ) as client:
        yield client


def _form_data(settings: Settings, carpet: ReportedLabel) -> dict[str, str]:
    token = issue_token(settings, carpet.gtin, carpet.serial, now=time.time() - 60)
    return {"item": "سجادة زرقاء", "city": "Fès", "form_token": token, "website": ""}


@when(
    parsers.parse(
        "a buyer whose phone speaks Arabic sends the report form {count:d} times in a minute"
    ),
    target_fixture="answers",
)
def form_too_often(
    phone: TestClient, settings: Settings, carpet: ReportedLabel, count: int
) -> list[Any]:
    assert settings.rate_limit_report_burst == count - 1  # the default budget: 3 at once
    return [
        phone.post(
            f"/report/{carpet.gtin}/{carpet.serial}",
            data=_form_data(settings, carpet),
            files={"photo": ("", b"", "application/octet-stream")},
            headers={"Accept": "text/html,*/*;q=0.8", "Accept-Language": "ar-MA,ar;q=0.9"},
            follow_redirects=False,
        )
        for _ in range(count)
    ]


@then("the last answer is a page in Arabic saying to try again in a minute")
def arabic_page(answers: list[Any]) -> None:
    assert [a.status_code for a in answers] == [303, 303, 303, 429]
    last = answers[-1]
    assert last.headers["content-type"].startswith("text/html")
    assert last.headers["content-language"] == "ar"
    assert 'dir="rtl"' in last.text
    assert "حاول مجدداً بعد دقيقة؛" in last.text  # "in a minute": one, said as Arabic says it
    assert "لم يُرسَل بلاغك" in last.text  # "your report was not sent", not "error"


@then("the page says when to retry in a Retry-After header")
def retry_after(answers: list[Any]) -> None:
    seconds = int(answers[-1].headers["retry-after"])
    assert 1 <= seconds <= 60


@then("nothing stored anywhere holds the buyer's address")
def address_nowhere(db_url: str, answers: list[Any]) -> None:
    engine = engine_for(db_url)
    seen = 0
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                for value in row:
                    if value is None:
                        continue
                    raw = bytes(value) if isinstance(value, bytes | memoryview) else None
                    shown = raw.decode("latin-1") if raw is not None else str(value)
                    assert PHONE_ADDRESS not in shown, table
                    seen += 1
    assert seen > 0
    assert PHONE_ADDRESS not in answers[-1].text


@when(
    parsers.parse("a retailer's system sends {count:d} reports in a minute"),
    target_fixture="answers",
)
def api_too_often(phone: TestClient, carpet: ReportedLabel, count: int) -> list[Any]:
    body = {"gtin": carpet.gtin, "serial": carpet.serial, "item": "Alfombra azul"}
    return [phone.post("/api/v1/reports", json=body) for _ in range(count)]


@then('the last answer is application/problem+json "rate-limited" with Retry-After')
def api_problem(answers: list[Any]) -> None:
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    last = answers[-1]
    assert last.headers["content-type"].startswith("application/problem+json")
    assert last.json()["type"].endswith("/rate-limited")
    assert int(last.headers["retry-after"]) >= 1
