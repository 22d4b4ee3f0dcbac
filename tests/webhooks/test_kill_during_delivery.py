"""SIGKILL a real delivery worker while it is sending a webhook: no event is lost.

The worker is a separate Python process (``DeliveryWorker``, as every server runs it) over
the test's database. The receiver holds the first request it gets; while it is held, the
worker is killed with SIGKILL — it has sent the event but not recorded the answer. A second
worker takes the delivery over once the dead one's lease expires, and every event reaches
the receiver at least once; the one in flight twice, with the same ``webhook-id``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from core.db import new_session
from core.settings import Settings
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import RetailerRef, issue_labels
from tests.webhooks.receiver import receiver

pytestmark = pytest.mark.processes

REPO = Path(__file__).resolve().parents[2]
PATIENCE = 60.0  # a bound on waiting (not an assertion on speed): loaded CI machines
WORKER = (
    "import time\n"
    "from core.settings import get_settings\n"
    "from labeling.webhooks.delivery import DeliveryWorker\n"
    "DeliveryWorker(get_settings()).start()\n"
    "time.sleep(3600)\n"
)


@contextmanager
def _worker(settings: Settings, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "KHATEM_ENVIRONMENT": "test",
        "KHATEM_DATABASE_URL": settings.resolved_database_url,
        "KHATEM_DATA_DIR": str(settings.data_dir),
        "KHATEM_WEBHOOK_ALLOW_PRIVATE": "true",
        "KHATEM_WEBHOOK_DELIVERY_INTERVAL_SECONDS": "0.05",
        "KHATEM_WEBHOOK_LEASE_SECONDS": "1",
        "KHATEM_WEBHOOK_RETRY_BASE_SECONDS": "0.05",
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", WORKER], cwd=REPO, env=env, stdout=out, stderr=out
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)


def _until(condition: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {PATIENCE} s for {what}; worker log:\n{log.read_text()}")
        time.sleep(0.05)


def _rows(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    with new_session(settings.resolved_database_url) as session:
        return [tuple(r) for r in session.exec(text(sql)).all()]  # type: ignore[call-overload]


def test_a_killed_worker_loses_no_event(
    verify_client: TestClient,
    settings: Settings,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
    tmp_path: Path,
) -> None:
    labels = issue_labels(verify_client, admin, certificate, 5)
    response = verify_client.post(
        "/api/v1/receipts",
        json={"shipment_ref": "S-1", "labels": [str(label["uri"]) for label in labels]},
        headers=galeries.headers,
    )
    assert response.json()["recorded"] == 5
    arrived, release = threading.Event(), threading.Event()

    def hold_the_first() -> None:
        if not arrived.is_set():
            arrived.set()
            release.wait(PATIENCE)

    log = tmp_path / "worker.log"
    with receiver(on_request=hold_the_first) as hook:
        made = verify_client.post(
            "/api/v1/webhooks", json={"url": hook.url}, headers=galeries.headers
        )
        assert made.status_code == 201
        hook.secret = made.json()["secret"]
        for label in labels:
            revoked = verify_client.post(
                f"/api/v1/labels/{label['id']}/revoke",
                json={"reason_code": "lost_or_stolen"},
                headers=admin.headers,
            )
            assert revoked.status_code == 200
        events = {str(row[0]) for row in _rows(settings, "SELECT message_id FROM webhook_event")}
        assert len(events) == 5

        with _worker(settings, log) as first:
            _until(arrived.is_set, "the first delivery to arrive", log)
            first.send_signal(signal.SIGKILL)  # sent, not yet recorded
            first.wait(timeout=30)
        release.set()
        in_flight = hook.ids()[0]
        # Nothing is lost: the event in flight is still pending, under a dead lease.
        pending = _rows(settings, "SELECT status FROM webhook_delivery")
        assert len(pending) == 5 and all(row[0] == "pending" for row in pending)

        with _worker(settings, log):
            _until(
                lambda: (
                    _rows(
                        settings, "SELECT count(*) FROM webhook_delivery WHERE status = 'delivered'"
                    )
                    == [(5,)]
                ),
                "every delivery to be recorded",
                log,
            )
        received = hook.ids()
        assert set(received) == events  # every event at least once …
        assert received.count(in_flight) >= 2  # … the one in flight again, same webhook-id
        assert all(delivery.verified is not None for delivery in hook.received)
