"""Two transactions that mark one label at once mark it once, with one ``label.suspicious``
event. PostgreSQL only: there two transactions run at once (SQLite serialises writers
from their first statement), and nothing in the schema refuses a second mark of no
retailer (``uq_label_mark`` includes the NULL ``retailer_id``).

The first two hold the first marker's transaction open after its mark, start the second
marker in a thread, show that it waits for the first one's lock, then commit the first:
the second then finds the mark standing and adds none. Without the lock the second finds
no committed mark and adds its own at once. The third shows why a flush locks its labels
``FOR NO KEY UPDATE`` and ``mark_label`` ``FOR UPDATE``: either the same way deadlocks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core.db import engine_for, new_session
from core.settings import Settings
from labeling.verification.suspicion import mark_label
from labeling.verification.telemetry import _add_counts, _mark_crossings
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import issue_labels, make_retailer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]

TODAY = date(2026, 12, 7)
NOON = datetime(2026, 12, 7, 12, tzinfo=UTC)
WAIT = 30.0  # bound on anything that should take milliseconds


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
        scan_flush_seconds=3600,
        webhook_allow_private=True,
        suspicious_scan_limit=3,
    )


def _received_label(
    client: TestClient, admin: Actor, certificate: CertificateRef, db_url: str
) -> int:
    """A label one retailer received and listens for events of."""
    [label] = issue_labels(client, admin, certificate, 1)
    store = make_retailer(db_url, "Galeries Lafayette", "FR")
    made = client.post(
        "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/events"}, headers=store.headers
    )
    assert made.status_code == 201, made.text
    received = client.post(
        "/api/v1/receipts",
        json={"shipment_ref": "S-1", "labels": [label["uri"]]},
        headers=store.headers,
    )
    assert received.status_code == 200, received.text
    return int(label["id"])


def _session(db_url: str) -> tuple[Session, int]:
    """A write session whose transaction has begun (a lock wait ends it after a bound, so
    a mistake fails the test instead of hanging it), and its backend's pid."""
    session = new_session(db_url)
    session.execute(text("SET LOCAL lock_timeout = '10s'"))
    return session, int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _then_commit(session: Session, mark: Callable[[], bool]) -> bool:
    marked = mark()
    session.commit()
    return marked


def _waits_for_a_lock(db_url: str, pid: int, later: Future[Any]) -> bool:
    """Whether the backend ``pid`` comes to wait for a lock before ``later`` is done."""
    deadline = time.monotonic() + WAIT
    with engine_for(db_url).connect() as connection:
        while not later.done() and time.monotonic() < deadline:
            waiting = connection.execute(
                text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": pid},
            ).scalar_one_or_none()
            if waiting == "Lock":
                return True
            time.sleep(0.01)
    return False


def _race(db_url: str, first: Session, second: Session, pid: int, mark: Callable[[], bool]) -> bool:
    """``second`` marks in a thread while ``first`` holds its mark uncommitted: it must
    wait; ``first`` commits; what ``second`` answers."""
    with ThreadPoolExecutor(1) as pool:
        later = pool.submit(_then_commit, second, mark)
        try:
            assert _waits_for_a_lock(db_url, pid, later), "the second marker did not wait"
        finally:
            first.commit()
        return bool(later.result(timeout=WAIT))


def _outcome(db_url: str, label_id: int) -> tuple[list[str], list[str]]:
    """The label's marks (reasons) and its ``label.suspicious`` events (message ids)."""
    with engine_for(db_url).connect() as connection:
        marks = connection.execute(
            text("SELECT reason FROM label_mark WHERE label_id = :id"), {"id": label_id}
        )
        events = connection.execute(
            text("SELECT message_id FROM webhook_event WHERE type = 'label.suspicious'")
        )
        return [str(r) for r in marks.scalars()], [str(e) for e in events.scalars()]


def test_two_flushes_crossing_one_threshold_mark_the_label_once(
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    settings: Settings,
    db_url: str,
) -> None:
    """Two workers' flushes counted the label from different countries (each adds a
    counter row, so each holds the key-share lock a new row takes on the label), and each
    batch alone crosses the scan limit (3)."""
    label_id = _received_label(verify_client, admin, certificate, db_url)
    one_batch = {(label_id, TODAY, "FR"): 4}
    two_batch = {(label_id, TODAY, "DE"): 4}
    one, _ = _session(db_url)
    two, pid = _session(db_url)
    with one, two:
        _add_counts(one, one_batch)
        _add_counts(two, two_batch)
        # The first marks without waiting for the second's key-share lock on the label.
        assert _mark_crossings(one, one_batch, settings, NOON)
        second = _race(
            db_url, one, two, pid, lambda: _mark_crossings(two, two_batch, settings, NOON)
        )
    assert second is False
    marks, events = _outcome(db_url, label_id)
    assert marks == ["scanned_too_often"]
    assert len(events) == 1
    with engine_for(db_url).connect() as connection:
        counted = connection.execute(
            text("SELECT SUM(scans) FROM scan_counter WHERE label_id = :id"), {"id": label_id}
        ).scalar_one()
    assert counted == 8  # both flushes' counts are written


def test_two_confirmations_of_one_clone_mark_the_label_once(
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    db_url: str,
) -> None:
    """``mark_label`` (receipts, a confirmed clone): two ``confirmed_clone`` marks at once,
    both of no retailer."""
    label_id = _received_label(verify_client, admin, certificate, db_url)
    one, _ = _session(db_url)
    two, pid = _session(db_url)
    with one, two:
        assert mark_label(one, label_id=label_id, reason="confirmed_clone")
        second = _race(
            db_url,
            one,
            two,
            pid,
            lambda: mark_label(two, label_id=label_id, reason="confirmed_clone"),
        )
    assert second is False
    marks, events = _outcome(db_url, label_id)
    assert marks == ["confirmed_clone"]
    assert len(events) == 1


def test_a_clone_confirmed_and_revoked_during_a_flush_that_marks_it_waits_its_turn(
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    settings: Settings,
    db_url: str,
) -> None:
    """A flush has added a counter row of the label (a key-share lock on it) when the body
    confirms a clone and revokes the label (the lifecycle locks it ``FOR UPDATE``): the
    confirmation waits for the flush before it holds anything of the label, so the flush's
    own mark does not wait for the confirmation in return (a deadlock, one of the two
    rolled back)."""
    label_id = _received_label(verify_client, admin, certificate, db_url)
    batch = {(label_id, TODAY, "DE"): 4}
    flush, _ = _session(db_url)
    body, pid = _session(db_url)

    def confirm_and_revoke() -> bool:
        marked = mark_label(body, label_id=label_id, reason="confirmed_clone")
        body.execute(text("SELECT id FROM label WHERE id = :id FOR UPDATE"), {"id": label_id})
        body.commit()
        return marked

    with flush, body, ThreadPoolExecutor(1) as pool:
        _add_counts(flush, batch)
        later = pool.submit(confirm_and_revoke)
        assert _waits_for_a_lock(db_url, pid, later)
        assert _mark_crossings(flush, batch, settings, NOON)
        flush.commit()
        assert later.result(timeout=WAIT)
    marks, events = _outcome(db_url, label_id)
    assert sorted(marks) == ["confirmed_clone", "scanned_too_often"]
    assert len(events) == 2
