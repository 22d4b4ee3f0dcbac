"""Events and their delivery log are kept ``webhook_retention_days`` after their last
delivery ended, then pruned by the delivery worker's own loop; a pending or replayed
delivery keeps its event whatever its age."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core.db import new_session
from core.settings import Settings
from labeling.webhooks.delivery import DeliveryWorker, deliver_due, prune_finished
from labeling.webhooks.sender import SendResult
from schemas.types import utcnow
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import RetailerRef, issue_labels
from tests.webhooks.test_webhooks import HOOKS, receive, subscribe

URL = "http://127.0.0.1:9/hooks"


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


def _ok(*_: Any, **__: Any) -> SendResult:
    return SendResult(200, None, 1)


def _down(*_: Any, **__: Any) -> SendResult:
    return SendResult(503, "http_status", 1)


def _rows(settings: Settings, sql: str) -> list[tuple[Any, ...]]:
    with new_session(settings.resolved_database_url) as session:
        rows = [tuple(row) for row in session.execute(text(sql)).all()]
        session.rollback()
    return rows


def _counts(settings: Settings) -> tuple[int, int, int]:
    [(events, deliveries, attempts)] = _rows(
        settings,
        "SELECT (SELECT count(*) FROM webhook_event), (SELECT count(*) FROM webhook_delivery),"
        " (SELECT count(*) FROM webhook_attempt)",
    )
    return int(events), int(deliveries), int(attempts)


def _revoke(client: TestClient, admin: Actor, label: dict[str, object]) -> None:
    answer = client.post(
        f"/api/v1/labels/{label['id']}/revoke",
        json={"reason_code": "lost_or_stolen"},
        headers=admin.headers,
    )
    assert answer.status_code == 200, answer.text


def test_the_retention_has_a_documented_default() -> None:
    assert Settings().webhook_retention_days == 90


def test_finished_events_are_pruned_after_the_retention_and_pending_ones_kept(
    verify_client: TestClient,
    settings: Settings,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
) -> None:
    labels = issue_labels(verify_client, admin, certificate, 3)
    receive(verify_client, galeries, [str(label["uri"]) for label in labels])
    hook = subscribe(verify_client, galeries, URL)
    _revoke(verify_client, admin, labels[0])
    assert deliver_due(settings, owner="w", sender=_ok) == 1  # delivered: finished
    _revoke(verify_client, admin, labels[1])
    assert deliver_due(settings, owner="w", sender=_down) == 1  # retried later: pending
    [(finished,)] = _rows(
        settings, "SELECT count(*) FROM webhook_delivery WHERE finished_at IS NOT NULL"
    )
    assert finished == 1
    assert _counts(settings) == (2, 2, 2)

    now = utcnow()
    assert prune_finished(settings, now=now + timedelta(days=89)) == 0  # still kept
    assert prune_finished(settings, now=now + timedelta(days=91)) == 1
    assert _counts(settings) == (1, 1, 1)  # the pending one, with its log
    [(kind,)] = _rows(settings, "SELECT type FROM webhook_event")
    assert kind == "label.revoked"
    log = verify_client.get(f"{HOOKS}/{hook['id']}/deliveries", headers=galeries.headers)
    assert [d["status"] for d in log.json()["items"]] == ["pending"]
    # Years later, a delivery still pending keeps its event.
    assert prune_finished(settings, now=now + timedelta(days=3650)) == 0


def test_a_replayed_delivery_is_kept_until_it_ends_again(
    verify_client: TestClient,
    settings: Settings,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
) -> None:
    [label] = issue_labels(verify_client, admin, certificate, 1)
    receive(verify_client, galeries, [str(label["uri"])])
    hook = subscribe(verify_client, galeries, URL)
    _revoke(verify_client, admin, label)
    assert deliver_due(settings, owner="w", sender=_ok) == 1
    [delivery] = verify_client.get(
        f"{HOOKS}/{hook['id']}/deliveries", headers=galeries.headers
    ).json()["items"]
    replay = verify_client.post(
        f"{HOOKS}/{hook['id']}/deliveries/{delivery['id']}/replay", headers=galeries.headers
    )
    assert replay.status_code == 202
    assert prune_finished(settings, now=utcnow() + timedelta(days=400)) == 0
    assert deliver_due(settings, owner="w", sender=_ok) == 1
    assert prune_finished(settings, now=utcnow() + timedelta(days=91)) == 1
    assert _counts(settings) == (0, 0, 0)


def test_the_delivery_workers_loop_prunes(
    verify_client: TestClient,
    settings: Settings,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
    session: Session,
) -> None:
    [label] = issue_labels(verify_client, admin, certificate, 1)
    receive(verify_client, galeries, [str(label["uri"])])
    subscribe(verify_client, galeries, URL)
    _revoke(verify_client, admin, label)
    assert deliver_due(settings, owner="w", sender=_ok) == 1
    # The event and its delivery ended long ago (as if 100 days had passed).
    with new_session(settings.resolved_database_url) as writer:
        old = utcnow() - timedelta(days=100)
        writer.execute(text("UPDATE webhook_event SET created_at = :at"), {"at": old})
        writer.execute(text("UPDATE webhook_delivery SET finished_at = :at"), {"at": old})
        writer.commit()
    worker = DeliveryWorker(settings.model_copy(update={"webhook_delivery_interval_seconds": 0.01}))
    worker.start()
    try:
        deadline = time.monotonic() + 60  # patience, not a speed assertion
        while _counts(settings)[0] and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert _counts(settings) == (0, 0, 0)
