"""Several servers behind one load balancer serve the same signed snapshots, and one server at
a time builds the next: the snapshot is kept in the database, not per process."""

from __future__ import annotations

import threading
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.db import read_session
from core.settings import Settings
from labeling.snapshots import publication
from labeling.snapshots.publication import (
    REISSUE_AFTER,
    current_label_snapshot,
    forget_snapshots,
)
from schemas.types import utcnow
from tests.offline.fixtures import TajineWorkshop
from tests.verification.fixtures import issue

LABELS = "/.well-known/khatem/status/labels.json"


@pytest.fixture
def signatures(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every snapshot this process signs, counted."""
    signed: list[bytes] = []
    real = publication.sign_snapshot

    def counting(*args: Any, **kwargs: Any) -> bytes:
        body = real(*args, **kwargs)
        signed.append(body)
        return body

    monkeypatch.setattr(publication, "sign_snapshot", counting)
    return signed


def test_a_second_server_serves_the_bytes_the_first_signed(
    verify_client: TestClient, tajine_workshop: TajineWorkshop, signatures: list[bytes]
) -> None:
    issue(verify_client, tajine_workshop.inspector, tajine_workshop.certificate, 2)
    first = verify_client.get(LABELS)
    assert first.status_code == 200 and len(signatures) == 1
    forget_snapshots()  # another server: nothing in its memory
    second = verify_client.get(LABELS)
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert len(signatures) == 1


def test_servers_racing_for_a_new_snapshot_build_it_once(
    verify_client: TestClient,
    tajine_workshop: TajineWorkshop,
    settings: Settings,
    signatures: list[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issue(verify_client, tajine_workshop.inspector, tajine_workshop.certificate, 3)
    # Each thread plays a server of its own: no shared memory, no process-local lock.
    monkeypatch.setattr(publication, "_build_lock", nullcontext())
    servers = 4
    start = threading.Barrier(servers)
    bodies: list[bytes] = []

    def server() -> None:
        with read_session(settings.resolved_database_url) as session:
            session.rollback()
            start.wait(timeout=30)
            forget_snapshots()
            bodies.append(current_label_snapshot(session, settings).body)

    threads = [threading.Thread(target=server) for _ in range(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(bodies) == servers
    assert len(set(bodies)) == 1
    assert len(signatures) == 1


def test_an_aged_snapshot_is_reissued_once_and_adopted_by_the_other_servers(
    verify_client: TestClient,
    tajine_workshop: TajineWorkshop,
    settings: Settings,
    signatures: list[bytes],
) -> None:
    issue(verify_client, tajine_workshop.inspector, tajine_workshop.certificate, 1)
    start = utcnow().replace(microsecond=0)
    later = start + REISSUE_AFTER + timedelta(minutes=1)
    with read_session(settings.resolved_database_url) as session:
        first = current_label_snapshot(session, settings, now=start)
        reissued = current_label_snapshot(session, settings, now=later)
        forget_snapshots()  # another server, a second later
        adopted = current_label_snapshot(session, settings, now=later + timedelta(seconds=1))
    assert reissued.issued_at == later > first.issued_at
    assert adopted.body == reissued.body
    assert len(signatures) == 2
