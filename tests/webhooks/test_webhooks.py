"""Subscriptions, the outbox, signed deliveries, retries, the delivery log and replays."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

import main
from core.auth import Principal
from core.db import new_session
from core.settings import Settings
from labeling.labels.lifecycle import LabelCommand, change_label
from labeling.webhooks import outbox
from labeling.webhooks.delivery import deliver_due
from labeling.webhooks.sender import SendResult
from schemas.labels_api import LabelReasonCode
from schemas.types import Role
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import RetailerRef, issue_labels
from tests.webhooks.receiver import receiver

HOOKS = "/api/v1/webhooks"


def _count(session: Session, sql: str) -> int:
    value = int(session.exec(text(sql)).one()[0])  # type: ignore[call-overload]
    session.rollback()
    return value


def subscribe(client: TestClient, retailer: RetailerRef, url: str, **kw: Any) -> dict[str, Any]:
    response = client.post(HOOKS, json={"url": url, **kw}, headers=retailer.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def receive(client: TestClient, retailer: RetailerRef, uris: list[str]) -> None:
    response = client.post(
        "/api/v1/receipts", json={"shipment_ref": "S-1", "labels": uris}, headers=retailer.headers
    )
    assert response.status_code == 200 and response.json()["refused"] == 0, response.text


def deliver_all(settings: Settings, patience: float = 30.0, **kw: Any) -> int:
    """Run delivery rounds, as the worker does, until no delivery is pending (retries come
    a few milliseconds apart here); how many attempts were made. ``patience`` bounds the
    wait, it is not an assertion on speed."""
    made = 0
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        made += deliver_due(settings, owner="test-worker", **kw)
        if _pending_due(settings) == 0:
            break
        time.sleep(0.01)
    return made


def _pending_due(settings: Settings) -> int:
    with new_session(settings.resolved_database_url) as session:
        return _count(session, "SELECT count(*) FROM webhook_delivery WHERE status = 'pending'")


def test_a_retailer_manages_its_own_webhooks(
    client: TestClient, galeries: RetailerRef, corte: RetailerRef
) -> None:
    made = subscribe(client, galeries, "http://127.0.0.1:9/hooks", event_types=["label.revoked"])
    assert made["secret"].startswith("whsec_") and made["event_types"] == ["label.revoked"]
    one = f"{HOOKS}/{made['id']}"
    shown = client.get(one, headers=galeries.headers).json()
    assert "secret" not in shown and shown["url"] == "http://127.0.0.1:9/hooks"
    assert client.get(one, headers=corte.headers).status_code == 404  # not theirs
    assert client.get(HOOKS, headers=corte.headers).json() == []
    paused = client.patch(one, json={"is_active": False}, headers=galeries.headers).json()
    assert paused["is_active"] is False
    assert client.delete(one, headers=corte.headers).status_code == 404
    assert client.delete(one, headers=galeries.headers).status_code == 204
    assert client.get(one, headers=galeries.headers).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.8/hooks",
        "https://[::1]/hooks",
        "https://[fc00::1]/hooks",
        "https://intranet.galeries.example/hooks",
        "http://hooks.galeries.example/hooks",
    ],
)
def test_subscribing_an_internal_address_is_refused(
    settings: Settings, galeries: RetailerRef, url: str
) -> None:
    app = main.create_app(settings.model_copy(update={"webhook_allow_private": False}))
    app.state.webhook_resolver = lambda host, port: {
        "intranet.galeries.example": ["10.0.0.7"],
        "hooks.galeries.example": ["93.184.215.14"],
    }[host]
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(HOOKS, json={"url": url}, headers=galeries.headers)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/webhook-url-refused")
        assert client.get(HOOKS, headers=galeries.headers).json() == []


def test_a_revocation_is_delivered_signed_retried_logged_and_replayed(
    verify_client: TestClient,
    settings: Settings,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
    corte: RetailerRef,
) -> None:
    labels = issue_labels(verify_client, admin, certificate, 2)
    receive(verify_client, galeries, [str(labels[0]["uri"])])
    with receiver(statuses=[500]) as hook:
        made = subscribe(verify_client, galeries, hook.url)
        hook.secret = made["secret"]
        subscribe(verify_client, corte, hook.url)  # corte received nothing: hears nothing
        revoked = verify_client.post(
            f"/api/v1/labels/{labels[0]['id']}/revoke",
            json={"reason_code": "lost_or_stolen"},
            headers=admin.headers,
        )
        assert revoked.status_code == 200, revoked.text
        assert deliver_all(settings) == 2  # a 500, then the retry
        assert len(hook.received) == 2
        first, second = hook.received
        assert first.headers["webhook-id"] == second.headers["webhook-id"]
        assert second.verified is not None  # standardwebhooks' Webhook.verify accepted it
        event = second.verified
        assert event["type"] == "label.revoked"
        assert event["data"]["label"] == {"gtin": labels[0]["gtin"], "serial": labels[0]["serial"]}
        assert event["data"]["status"] == "revoked"
        assert event["data"]["reason_code"] == "lost_or_stolen"
        log = verify_client.get(f"{HOOKS}/{made['id']}/deliveries", headers=galeries.headers).json()
        [delivery] = log["items"]
        assert delivery["status"] == "delivered" and delivery["attempts"] == 2
        assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 200]
        assert delivery["message_id"] == first.headers["webhook-id"]
        replay = verify_client.post(
            f"{HOOKS}/{made['id']}/deliveries/{delivery['id']}/replay", headers=galeries.headers
        )
        assert replay.status_code == 202 and replay.json()["status"] == "pending"
        foreign = verify_client.post(
            f"{HOOKS}/{made['id']}/deliveries/{delivery['id']}/replay", headers=corte.headers
        )
        assert foreign.status_code == 404
        assert deliver_all(settings) == 1
        assert hook.ids() == [delivery["message_id"]] * 3


def test_a_certificate_withdrawal_reaches_the_stores_with_labels_under_it(
    verify_client: TestClient,
    settings: Settings,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
) -> None:
    labels = issue_labels(verify_client, admin, certificate, 3)
    receive(verify_client, galeries, [str(label["uri"]) for label in labels[:2]])
    with receiver() as hook:
        hook.secret = subscribe(verify_client, galeries, hook.url)["secret"]
        withdrawn = verify_client.post(
            f"/api/v1/certificates/{certificate.id}/withdraw",
            json={"reason_code": "fraud"},
            headers=admin.headers,
        )
        assert withdrawn.status_code == 200, withdrawn.text
        deliver_all(settings)
        [delivery] = hook.received
        assert delivery.verified is not None
        data = delivery.verified["data"]
        assert delivery.verified["type"] == "certificate.withdrawn"
        assert data["status"] == "withdrawn" and data["received_labels_total"] == 2
        assert {label["serial"] for label in data["received_labels"]} == {
            str(label["serial"]) for label in labels[:2]
        }


def test_the_event_is_written_in_the_change_s_transaction(
    verify_client: TestClient,
    session: Session,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [label] = issue_labels(verify_client, admin, certificate, 1)
    receive(verify_client, galeries, [str(label["uri"])])
    subscribe(verify_client, galeries, "http://127.0.0.1:9/hooks")
    principal = Principal(
        user_id=admin.id, role=Role.ADMIN, body_id=admin.body_id, artisan_id=None, token_id=0
    )
    original = outbox.labels_changed

    def written_then_crash(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)
        assert _count_in(args[0], "SELECT count(*) FROM webhook_event") == 1  # written …
        raise RuntimeError("the process dies before the commit")

    monkeypatch.setattr(outbox, "labels_changed", written_then_crash)
    with pytest.raises(RuntimeError):
        change_label(
            session=session,
            principal=principal,
            label_id=int(str(label["id"])),
            command=LabelCommand.SUSPEND,
            reason=LabelReasonCode("inspection_hold"),
        )
    session.rollback()
    # … and gone with the change it reported.
    assert _count(session, "SELECT count(*) FROM webhook_event") == 0
    assert _count(session, "SELECT count(*) FROM webhook_delivery") == 0
    assert _count(session, "SELECT count(*) FROM label WHERE status = 'suspended'") == 0
    monkeypatch.setattr(outbox, "labels_changed", original)
    change_label(
        session=session,
        principal=principal,
        label_id=int(str(label["id"])),
        command=LabelCommand.SUSPEND,
        reason=LabelReasonCode("inspection_hold"),
    )
    assert _count(session, "SELECT count(*) FROM webhook_event") == 1
    assert _count(session, "SELECT count(*) FROM webhook_delivery") == 1


def _count_in(session: Session, sql: str) -> int:
    return int(session.exec(text(sql)).one()[0])  # type: ignore[call-overload]


def test_each_delivery_checks_the_address_again_and_follows_no_redirect(
    verify_client: TestClient,
    labels_app: FastAPI,
    settings: Settings,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
) -> None:
    [label] = issue_labels(verify_client, admin, certificate, 1)
    receive(verify_client, galeries, [str(label["uri"])])
    strict = settings.model_copy(update={"webhook_allow_private": False})
    labels_app.state.webhook_resolver = lambda host, port: ["93.184.215.14"]  # public
    made = subscribe(verify_client, galeries, "https://hooks.galeries.example/in")
    verify_client.post(
        f"/api/v1/labels/{label['id']}/suspend",
        json={"reason_code": "inspection_hold"},
        headers=admin.headers,
    )
    sent: list[Any] = []

    def spy(*args: Any, **kwargs: Any) -> SendResult:
        sent.append(args)
        return SendResult(200, None, 1)

    # The name now resolves inside the registry's network: refused, nothing sent.
    assert deliver_due(strict, owner="w", resolver=lambda h, p: ["169.254.169.254"], sender=spy)
    assert sent == []
    log = verify_client.get(f"{HOOKS}/{made['id']}/deliveries", headers=galeries.headers).json()
    assert log["items"][0]["attempt_log"][0]["error"] == "address_not_public"
    assert log["items"][0]["status"] == "pending"  # retried later: DNS may change back

    # A receiver that redirects to the metadata address gets one request, not two.
    with receiver(default_status=302, location="http://169.254.169.254/latest/") as hook:
        verify_client.patch(
            f"{HOOKS}/{made['id']}", json={"url": hook.url}, headers=galeries.headers
        )
        with new_session(settings.resolved_database_url) as session:
            session.exec(text("UPDATE webhook_delivery SET next_attempt_at = created_at"))  # type: ignore[call-overload]
            session.commit()
        assert deliver_due(settings, owner="w") == 1
        assert len(hook.received) == 1
    log = verify_client.get(f"{HOOKS}/{made['id']}/deliveries", headers=galeries.headers).json()
    last = log["items"][0]["attempt_log"][-1]
    assert (last["status_code"], last["error"]) == (302, "redirect_not_followed")
    assert log["items"][0]["status"] == "pending"


def test_payloads_carry_no_personal_data(
    verify_client: TestClient,
    settings: Settings,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
) -> None:
    [label] = issue_labels(verify_client, admin, certificate, 1)
    receive(verify_client, galeries, [str(label["uri"])])
    subscribe(verify_client, galeries, "http://127.0.0.1:9/hooks")
    verify_client.post(
        f"/api/v1/labels/{label['id']}/revoke",
        json={"reason_code": "lost_or_stolen"},
        headers=admin.headers,
    )
    with new_session(settings.resolved_database_url) as session:
        [payload] = session.exec(text("SELECT payload FROM webhook_event")).all()  # type: ignore[call-overload]
    body = json.loads(payload[0])
    assert set(body) == {"type", "timestamp", "id", "data"}
    assert set(body["data"]) == {
        "label",
        "status",
        "previous_status",
        "reason_code",
        "changed_at",
        "receipt",
    }
    assert "admin" not in payload[0] and "@" not in payload[0]
