"""Checkpoints: signed by the root key, made when due, never over a corrupted store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from core.settings import Settings
from labeling.keyrecords import repository, root_signer
from labeling.translog.checkpointer import Checkpointer, checkpoint_now, checkpointing
from labeling.translog.checkpoints import LogIntegrityError, latest, make_checkpoint
from schemas.keys import KeyPurpose
from tests.translog.helpers import drop_append_only_triggers, make_log_app, seed_events
from verify.checkpoint import VerifierKey, verify_checkpoint


def _root_vkey(session: Session, settings: Settings) -> VerifierKey:
    root = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    assert root is not None
    return VerifierKey(settings.log_origin, root.public_key)


def test_start_up_signs_a_checkpoint_covering_the_key_events(
    prepared: list[str], session: Session, settings: Settings
) -> None:
    checkpoint = latest(session)
    assert checkpoint is not None and checkpoint.tree_size == 2
    parsed = verify_checkpoint(
        checkpoint.note, verifier_keys=[_root_vkey(session, settings)], origin="khatem.ma/log"
    )
    assert parsed.tree_size == 2 and parsed.root_hash == checkpoint.root_hash


def test_a_checkpoint_is_made_only_when_the_tree_grew(
    prepared: list[str], session: Session, settings: Settings
) -> None:
    first, created = checkpoint_now(settings)
    assert not created and first.tree_size == 2
    seed_events(session, 3)
    second, created = checkpoint_now(settings)
    assert created and second.tree_size == 5
    rows = session.connection().exec_driver_sql("SELECT COUNT(*) FROM log_checkpoint").one()
    assert rows[0] == 2


def test_the_interval_holds_back_a_new_checkpoint(
    prepared: list[str], session: Session, settings: Settings
) -> None:
    seed_events(session, 1)
    signer = root_signer(session, settings)
    kept, created = make_checkpoint(
        session, signer=signer, origin=settings.log_origin, interval=timedelta(hours=1)
    )
    assert not created and kept.tree_size == 2


def test_the_endpoint_signs_on_demand_once_the_interval_passed(
    prepared: list[str], session: Session, settings: Settings
) -> None:
    seed_events(session, 4)
    eager = settings.model_copy(update={"checkpoint_interval_seconds": 0})
    with TestClient(make_log_app(eager)) as client:
        note = client.get("/log/checkpoint").text
    assert note.splitlines()[1] == "6"
    with TestClient(make_log_app(settings)) as client:  # 60 s: the fresh one is served
        seed_events(session, 1)
        assert client.get("/log/checkpoint").text.splitlines()[1] == "6"


def test_no_checkpoint_and_no_root_key_is_503(settings: Settings) -> None:
    with TestClient(make_log_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/log/checkpoint")
        assert response.status_code == 503
        assert response.json()["type"].endswith("/checkpoint-unavailable")
        response = client.get("/.well-known/khatem/trust-list.json")
        assert response.status_code == 503
        assert response.json()["type"].endswith("/key-unavailable")


def test_a_corrupted_store_is_never_signed(
    prepared: list[str], session: Session, settings: Settings
) -> None:
    seed_events(session, 6)
    checkpoint_now(settings)
    # A rogue administrator rewrites history consistently: every leaf and subtree redone.
    connection = session.connection()
    drop_append_only_triggers(connection)
    connection.exec_driver_sql("DELETE FROM log_node")
    connection.exec_driver_sql("DELETE FROM log_entry")
    session.commit()
    seed_events(session, 8, kind="test.rewritten")
    seed_events(session, 1)
    with pytest.raises(LogIntegrityError, match="does not extend"):
        checkpoint_now(settings)


def test_the_background_checkpointer_signs_while_entries_arrive(
    prepared: list[str], session: Session, settings: Settings
) -> None:
    seed_events(session, 2)
    checkpointer = Checkpointer(settings)
    assert checkpointer.tick() is True
    assert checkpointer.tick() is False
    fast = settings.model_copy(update={"checkpoint_interval_seconds": 1})
    thread = Checkpointer(fast).start()
    try:
        seed_events(session, 1)
        import time

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            current = latest(session)
            session.rollback()
            if current is not None and current.tree_size == 5:
                break
            time.sleep(0.2)
        assert current is not None and current.tree_size == 5
    finally:
        thread.stop()


def test_the_checkpointer_without_a_root_key_only_warns(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    checkpointer = Checkpointer(settings)
    assert checkpointer.tick() is False
    assert checkpointer.tick() is False
    assert sum("cannot sign" in r.getMessage() for r in caplog.records) == 1


def test_the_lifespan_starts_and_stops_the_checkpointer(settings: Settings) -> None:
    app = make_log_app(settings)
    app.router.lifespan_context = checkpointing
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
