"""The independent monitor catches every lie: rollback, fork, bad signature, bad entries.

The honest registry is the real app (``TestClient`` is an ``httpx.Client``); lying
registries are ``httpx.MockTransport`` proxies in front of it that tamper with answers, or
the real app after a rogue administrator rewrote its tables and re-signed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from typer.testing import CliRunner

from core.settings import Settings
from labeling.keycustody import ephemeral_signer
from labeling.keyrecords import repository, root_signer
from labeling.translog.checkpointer import checkpoint_now
from schemas.keys import KeyPurpose
from tests.translog.helpers import drop_append_only_triggers, seed_events
from verify.checkpoint import build_checkpoint, encode_vkey, parse_checkpoint
from verify.monitor import MonitorAlarm, MonitorError, MonitorState, audit_log

Tamper = Callable[[httpx.Request, httpx.Response], httpx.Response]


def _vkey(session: Session, settings: Settings) -> str:
    root = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    assert root is not None
    vkey = encode_vkey(settings.log_origin, root.public_key)
    session.rollback()  # SQLite transactions begin IMMEDIATE: never hold one open
    return vkey


def _lying(registry: TestClient, tamper: Tamper) -> httpx.Client:
    """A registry that answers like ``registry`` after ``tamper`` rewrote the answer."""

    def handle(request: httpx.Request) -> httpx.Response:
        real = registry.get(request.url.path, params=request.url.params)
        answer = httpx.Response(
            real.status_code,
            content=real.content,
            headers={"content-type": real.headers.get("content-type", "text/plain")},
        )
        return tamper(request, answer)

    return httpx.Client(transport=httpx.MockTransport(handle), base_url="http://registry.test")


def _serve_note(note: str) -> Tamper:
    def tamper(request: httpx.Request, answer: httpx.Response) -> httpx.Response:
        if request.url.path == "/log/checkpoint":
            return httpx.Response(200, text=note)
        return answer

    return tamper


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "monitor" / "state.json"


@pytest.fixture
def trusted(log_client: TestClient, session: Session, settings: Settings, state_path: Path) -> str:
    """A monitor that trusted the registry at 12 entries; returns the pinned vkey."""
    seed_events(session, 10)
    checkpoint_now(settings)
    vkey = _vkey(session, settings)
    report = audit_log(log_client, state_path=state_path, root_vkey=vkey, check_entries=True)
    assert report.previous_size is None and report.tree_size == 12
    assert report.entries_checked == 12
    return vkey


def test_first_run_needs_a_pinned_root_key(log_client: TestClient, state_path: Path) -> None:
    with pytest.raises(MonitorError, match="pin"):
        audit_log(log_client, state_path=state_path)


def test_an_honest_registry_passes_round_after_round(
    trusted: str, log_client: TestClient, session: Session, settings: Settings, state_path: Path
) -> None:
    assert audit_log(log_client, state_path=state_path).summary() == "unchanged at tree size 12"
    seed_events(session, 30)
    checkpoint_now(settings)
    report = audit_log(log_client, state_path=state_path, check_entries=True)
    assert (report.previous_size, report.tree_size, report.entries_checked) == (12, 42, 30)
    seed_events(session, 5)
    checkpoint_now(settings)
    report = audit_log(log_client, state_path=state_path)  # proofs only
    assert "grew from 42 to 47" in report.summary()
    state = MonitorState.load(state_path)
    assert state is not None and state.tree_size == 47 and state.edge is None
    report = audit_log(log_client, state_path=state_path, check_entries=True)
    assert report.entries_checked == 47  # no edge kept: recomputed from the start


def test_a_rollback_is_caught(
    trusted: str, log_client: TestClient, session: Session, settings: Settings, state_path: Path
) -> None:
    old_note = log_client.get("/log/checkpoint").text
    seed_events(session, 3)
    checkpoint_now(settings)
    audit_log(log_client, state_path=state_path)
    before = state_path.read_text()
    with pytest.raises(MonitorAlarm) as caught, _lying(log_client, _serve_note(old_note)) as liar:
        audit_log(liar, state_path=state_path)
    assert caught.value.kind == "rollback"
    assert state_path.read_text() == before  # the trusted state is kept
    evidence = json.loads(Path(f"{state_path}.evidence.json").read_text())
    assert evidence["alarm"] == "rollback" and evidence["served"] == old_note


def test_a_fork_at_the_same_size_is_caught(
    trusted: str, log_client: TestClient, session: Session, settings: Settings, state_path: Path
) -> None:
    signer = root_signer(session, settings)
    session.rollback()
    forged = build_checkpoint(
        origin=settings.log_origin,
        tree_size=12,
        root_hash=bytes(32),
        sign=signer.sign,
        key_name=settings.log_origin,
        public_key=signer.public_key_raw,
    )
    with pytest.raises(MonitorAlarm) as caught, _lying(log_client, _serve_note(forged)) as liar:
        audit_log(liar, state_path=state_path)
    assert caught.value.kind == "fork"


def test_a_rewritten_history_is_caught_by_the_consistency_proof(
    trusted: str, log_client: TestClient, session: Session, settings: Settings, state_path: Path
) -> None:
    # A rogue administrator drops the triggers, rewrites every table and re-signs.
    session.rollback()
    connection = session.connection()
    drop_append_only_triggers(connection)
    for table in ("log_checkpoint", "log_node", "log_entry"):
        connection.exec_driver_sql(f"DELETE FROM {table}")
    session.commit()
    seed_events(session, 20, kind="test.rewritten")
    checkpoint_now(settings)
    assert parse_checkpoint(log_client.get("/log/checkpoint").text).tree_size == 20
    with pytest.raises(MonitorAlarm) as caught:
        audit_log(log_client, state_path=state_path)
    assert caught.value.kind == "fork"


def test_a_bad_signature_is_caught(
    trusted: str, log_client: TestClient, session: Session, settings: Settings, state_path: Path
) -> None:
    seed_events(session, 1)
    checkpoint_now(settings)
    genuine = log_client.get("/log/checkpoint").text
    tampered = genuine.replace("\n13\n", "\n14\n", 1)
    with ephemeral_signer() as impostor:
        other_key = build_checkpoint(
            origin=settings.log_origin,
            tree_size=13,
            root_hash=parse_checkpoint(genuine).root_hash,
            sign=impostor.sign,
            key_name=settings.log_origin,
            public_key=impostor.public_key_raw,
        )
    for note in (tampered, other_key):
        with pytest.raises(MonitorAlarm) as caught, _lying(log_client, _serve_note(note)) as liar:
            audit_log(liar, state_path=state_path)
        assert caught.value.kind == "bad-signature"
    assert audit_log(log_client, state_path=state_path).tree_size == 13


def test_entries_that_do_not_match_their_leaves_are_caught(
    trusted: str, log_client: TestClient, session: Session, settings: Settings, state_path: Path
) -> None:
    seed_events(session, 4)
    checkpoint_now(settings)

    def rewrite_an_entry(request: httpx.Request, answer: httpx.Response) -> httpx.Response:
        if request.url.path != "/log/entries":
            return answer
        page = answer.json()
        page["entries"][0]["data"] = page["entries"][0]["data"].replace('"n":', '"m":')
        return httpx.Response(200, json=page)

    with pytest.raises(MonitorAlarm) as caught, _lying(log_client, rewrite_an_entry) as liar:
        audit_log(liar, state_path=state_path, check_entries=True)
    assert caught.value.kind == "bad-entries"


def test_an_unreachable_registry_is_an_error_not_an_alarm(trusted: str, state_path: Path) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with httpx.Client(transport=httpx.MockTransport(down), base_url="http://x") as client:
        with pytest.raises(MonitorError, match="failed"):
            audit_log(client, state_path=state_path)


def test_the_command_line_exits_non_zero_on_an_alarm(
    trusted: str,
    log_client: TestClient,
    state_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from labeling.cli_keys import log_app

    old_note = log_client.get("/log/checkpoint").text
    monkeypatch.setattr(httpx, "Client", lambda **_: log_client)
    runner = CliRunner()
    ok = runner.invoke(log_app, ["audit", "http://registry.test", "--state", str(state_path)])
    assert ok.exit_code == 0 and "unchanged at tree size 12" in ok.output
    state = MonitorState.load(state_path)
    assert state is not None
    state.tree_size, state.checkpoint = 13, old_note
    state_path.write_text(state.to_json())
    os.sync()
    alarm = runner.invoke(log_app, ["audit", "http://registry.test", "--state", str(state_path)])
    assert alarm.exit_code == 2
    assert "ALARM" in alarm.output and "rollback" in alarm.output
