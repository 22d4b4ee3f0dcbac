"""Steps of retailer_webhooks.feature (state passes through ``target_fixture``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import text

from core.db import new_session
from core.settings import Settings
from labeling.webhooks.delivery import deliver_due
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import RetailerRef, issue_labels, make_retailer
from tests.webhooks.receiver import Receiver, receiver

scenarios("retailer_webhooks.feature")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Run every scenario on SQLite and on PostgreSQL."""
    return db_url


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """The registry of these scenarios: the store's test system listens on 127.0.0.1, and
    the scenarios run the delivery rounds themselves."""
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        webhook_allow_private=True,
        webhook_delivery_interval_seconds=0,
        webhook_retry_base_seconds=0.01,
    )


@pytest.fixture
def store_system() -> Iterator[Receiver]:
    """Galeries Lafayette's system: it checks each signature with the standardwebhooks
    library, as the registry's docs tell stores to."""
    with receiver() as system:
        yield system


## Given


@given("a weaving cooperative in Taznakht certified for its carpets", target_fixture="cert")
def a_certified_cooperative(certificate: CertificateRef) -> CertificateRef:
    return certificate


@given(parsers.parse("the cooperative's labels for {count:d} carpets"), target_fixture="carpets")
def carpets(
    verify_client: TestClient, admin: Actor, cert: CertificateRef, count: int
) -> list[dict[str, Any]]:
    return issue_labels(verify_client, admin, cert, count)


@given(
    "Galeries Lafayette received the 2 carpets and listens for status changes",
    target_fixture="galeries",
)
def galeries_listens(
    db_url: str,
    verify_client: TestClient,
    carpets: list[dict[str, Any]],
    store_system: Receiver,
) -> RetailerRef:
    store = make_retailer(db_url, "Galeries Lafayette", "FR")
    received = verify_client.post(
        "/api/v1/receipts",
        json={"shipment_ref": "DESADV-0412", "labels": [str(c["uri"]) for c in carpets]},
        headers=store.headers,
    )
    assert received.json()["recorded"] == 2
    made = verify_client.post(
        "/api/v1/webhooks", json={"url": store_system.url}, headers=store.headers
    )
    assert made.status_code == 201, made.text
    store_system.secret = made.json()["secret"]
    return store


@given(parsers.parse("Galeries Lafayette's system answers the next call with an error {code:d}"))
def system_down(store_system: Receiver, code: int) -> None:
    store_system.statuses.append(code)


## When


@when(parsers.parse('the chambre revokes the first carpet\'s label because it was "{reason}"'))
def revoke_first(
    verify_client: TestClient, admin: Actor, carpets: list[dict[str, Any]], reason: str
) -> None:
    response = verify_client.post(
        f"/api/v1/labels/{carpets[0]['id']}/revoke",
        json={"reason_code": reason},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text


@when("the registry delivers its webhooks")
def deliver(settings: Settings) -> None:
    """Delivery rounds as the background worker runs them, until none is pending (retries
    come milliseconds apart here; the deadline bounds the wait, it asserts no speed)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        deliver_due(settings, owner="scenario")
        with new_session(settings.resolved_database_url) as session:
            pending = session.exec(  # type: ignore[call-overload]
                text("SELECT count(*) FROM webhook_delivery WHERE status = 'pending'")
            ).one()[0]
        if not pending:
            break
        time.sleep(0.01)


## Then


@then(
    parsers.parse(
        'Galeries Lafayette\'s system gets one signed "{event_type}" event for the first carpet'
    ),
    target_fixture="event",
)
def one_event(
    store_system: Receiver, carpets: list[dict[str, Any]], event_type: str
) -> dict[str, Any]:
    delivered = [d for d in store_system.received if d.verified is not None]
    assert delivered, "no delivery carried a valid Standard Webhooks signature"
    assert len({d.headers["webhook-id"] for d in store_system.received}) == 1
    event = delivered[-1].verified
    assert event is not None and event["type"] == event_type
    assert event["data"]["label"]["serial"] == carpets[0]["serial"]
    return dict(event)


@then(parsers.parse('the event says the reason was "{reason}"'))
def the_reason(event: dict[str, Any], reason: str) -> None:
    assert event["data"]["reason_code"] == reason
    assert event["data"]["status"] == "revoked"


@then("Galeries Lafayette's delivery log shows the failed attempt and then the delivery")
def the_log(verify_client: TestClient, galeries: RetailerRef) -> None:
    [webhook] = verify_client.get("/api/v1/webhooks", headers=galeries.headers).json()
    log = verify_client.get(
        f"/api/v1/webhooks/{webhook['id']}/deliveries", headers=galeries.headers
    ).json()
    [delivery] = log["items"]
    assert [a["status_code"] for a in delivery["attempt_log"]] == [503, 200]
    assert delivery["status"] == "delivered"
