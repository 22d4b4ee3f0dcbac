"""Steps of transparency.feature: monitors, rotation, compromise and a private-data-free log.

The registry is the real app with the log and trust-list routes, prepared as ``khatem
serve`` prepares it (development keys). Labels are signed with ``verify.label_codec`` and
checked against the trust list the way a verifier app does. State passes between steps
through ``target_fixture``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from core.settings import Settings
from labeling.keycustody import Signer
from labeling.keyrecords import label_signer, mark_compromised, repository, rotate_label_key
from labeling.keyrecords.preparation import new_development_label_key
from labeling.startup import prepare_registry
from labeling.translog import append_event
from labeling.translog.checkpointer import checkpoint_now
from schemas.keys import KeyPurpose
from schemas.registry import Artisan
from tests.audits.helpers import issue_certificate
from tests.fixtures.actors import Actor
from tests.keyring.labels import sign_label, verdict
from tests.translog.helpers import drop_append_only_triggers, make_log_app, seed_events
from verify.checkpoint import encode_vkey, parse_vkey
from verify.label_codec import claim_bytes, parse_label_uri
from verify.monitor import MonitorAlarm, MonitorState, audit_log
from verify.trust_list import TrustList, verify_trust_list

scenarios("transparency.feature")

MINUTE = timedelta(minutes=1)


@dataclass
class Registry:
    client: TestClient
    settings: Settings
    session: Session
    root_vkey: str


@dataclass
class IssuedLabel:
    uri: str
    signer: Signer
    log_index: int


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Run every scenario on SQLite and on PostgreSQL."""
    return db_url


@pytest.fixture
def registry_client(settings: Settings) -> Iterator[TestClient]:
    prepare_registry(settings)
    with TestClient(make_log_app(settings), raise_server_exceptions=False) as client:
        yield client


## Given


@given("a running registry with development keys", target_fixture="registry")
def running_registry(registry_client: TestClient, settings: Settings, session: Session) -> Registry:
    """Prepared as ``khatem serve`` prepares it; the root vkey is what verifiers pin."""
    root = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    assert root is not None
    vkey = encode_vkey(settings.log_origin, root.public_key)
    session.rollback()
    return Registry(registry_client, settings, session, vkey)


@given(parsers.parse("the registry has recorded {count:d} events"))
def recorded_events(registry: Registry, count: int) -> None:
    seed_events(registry.session, count, kind="registry.event")
    checkpoint_now(registry.settings)


@given(
    "an independent monitor has checked the registry's log and trusts it",
    target_fixture="monitor_state",
)
def trusting_monitor(registry: Registry, tmp_path: Path) -> Path:
    state = tmp_path / "monitor-state.json"
    report = audit_log(
        registry.client, state_path=state, root_vkey=registry.root_vkey, check_entries=True
    )
    assert report.previous_size is None and report.tree_size == 12
    return state


@given(
    "an inspector issued a label for a Taznakht carpet with the current key",
    target_fixture="genuine",
)
def genuine_label(registry: Registry) -> IssuedLabel:
    """Signed and logged as issuance does: the log leaf holds the claim's hash."""
    _, signer = label_signer(registry.session, registry.settings)
    uri = sign_label(signer, issued_at=datetime.now(UTC))
    token = parse_label_uri(uri)
    claim = claim_bytes(
        gtin=token.gtin,
        serial=token.serial,
        kid=token.kid,
        issued_at=token.issued_at,
        certificate_code=token.certificate_code,
    )
    index = append_event(
        registry.session,
        event_type="label.issued",
        payload={"kid": token.kid, "claim": hashlib.sha256(claim).hexdigest()},
    )
    registry.session.commit()
    return IssuedLabel(uri, signer, index)


@given("a thief stole the key and signed a label of his own", target_fixture="forged")
def thief_label(genuine: IssuedLabel) -> str:
    # The thief may date the label as he likes; he signs it minutes after the theft.
    return sign_label(genuine.signer, issued_at=datetime.now(UTC) + 5 * MINUTE, serial="8G4M3NQ0YC")


@given("the Taznakht weaving cooperative holds an active certificate", target_fixture="certificate")
def active_certificate(registry: Registry, inspector: Actor, artisan: Actor) -> dict[str, Any]:
    return issue_certificate(registry.client, inspector, artisan, scheme="TAPIS-MOYENNE")


## When


@when("a rogue administrator rewrites the registry's history and signs it again")
def rewrite_history(registry: Registry) -> None:
    """Triggers dropped, every log table emptied and refilled, a new checkpoint signed."""
    connection = registry.session.connection()
    drop_append_only_triggers(connection)
    for table in ("log_checkpoint", "log_node", "log_entry"):
        connection.exec_driver_sql(f"DELETE FROM {table}")
    registry.session.commit()
    seed_events(registry.session, 15, kind="registry.rewritten")
    checkpoint_now(registry.settings)


@when("the monitor checks the registry again", target_fixture="alarm")
def monitor_again(registry: Registry, monitor_state: Path) -> MonitorAlarm | None:
    try:
        audit_log(registry.client, state_path=monitor_state)
    except MonitorAlarm as alarm:
        return alarm
    return None


@when("the registry rotates its label key")
def rotate(registry: Registry) -> None:
    uri, signer = new_development_label_key(registry.settings, first=False)
    rotate_label_key(
        session=registry.session,
        new_signer=signer,
        key_uri=uri,
        allow_development=True,
        at=datetime.now(UTC) + 2 * MINUTE,
    )


@when("the registry declares the key compromised since the theft")
def declare_compromise(registry: Registry, genuine: IssuedLabel) -> None:
    now = datetime.now(UTC)
    mark_compromised(
        session=registry.session,
        kid=genuine.signer.key_id,
        since=now + 2 * MINUTE,
        at=now + 10 * MINUTE,
    )


@when(
    parsers.parse("a {who} downloads the trust list"),
    target_fixture="trust_list",
)
def download_trust_list(registry: Registry, who: str) -> TrustList:
    """From the registry origin configured in the verifier, checked with the pinned key."""
    response = registry.client.get("/.well-known/khatem/trust-list.json")
    assert response.status_code == 200
    pinned = parse_vkey(registry.root_vkey).public_key
    return verify_trust_list(response.content, root_public_key=pinned, now=datetime.now(UTC))


@when(
    parsers.parse('the chambre\'s admin suspends it for "{reason}" with a note naming the artisan'),
    target_fixture="note",
)
def suspend(registry: Registry, admin: Actor, certificate: dict[str, Any], reason: str) -> str:
    note = "Fatima Aït Ali (tél. +212600000000) a signalé des nœuds manquants"
    response = registry.client.post(
        f"/api/v1/certificates/{certificate['id']}/suspend",
        json={"reason_code": reason, "reason_text": note},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    return note


## Then


@then(parsers.parse('the monitor raises a "{kind}" alarm'))
def raised(alarm: MonitorAlarm | None, kind: str) -> None:
    assert alarm is not None and alarm.kind == kind


@then("the monitor still trusts the checkpoint it had verified")
def still_trusts(monitor_state: Path) -> None:
    state = MonitorState.load(monitor_state)
    assert state is not None and state.tree_size == 12
    assert Path(f"{monitor_state}.evidence.json").exists()


@then("the inspector's label is authentic")
def label_authentic(genuine: IssuedLabel, trust_list: TrustList) -> None:
    assert verdict(genuine.uri, trust_list) == "authentic"


@then(
    parsers.parse('a label signed with the retired key after the rotation is refused as "{code}"')
)
def retired_refused(genuine: IssuedLabel, trust_list: TrustList, code: str) -> None:
    late = sign_label(genuine.signer, issued_at=datetime.now(UTC) + 5 * MINUTE, serial="9H5N4PR1ZD")
    assert verdict(late, trust_list) == code


@then(parsers.parse('the thief\'s label is refused as "{code}"'))
def thief_refused(forged: str, trust_list: TrustList, code: str) -> None:
    assert verdict(forged, trust_list) == code


@then("the inspector's label, dated by the log before the theft, is authentic")
def genuine_stands(registry: Registry, genuine: IssuedLabel, trust_list: TrustList) -> None:
    """The verifier finds the label's leaf in the log: its time is the registry's, not the
    label's word, so a thief cannot back-date into it."""
    page = registry.client.get("/log/entries", params={"start": genuine.log_index, "limit": 1})
    (entry,) = page.json()["entries"]
    assert json.loads(entry["data"])["kid"] == genuine.signer.key_id
    logged_at = datetime.fromisoformat(entry["occurred_at"].replace("Z", "+00:00"))
    assert verdict(genuine.uri, trust_list, logged_at=logged_at) == "authentic"
    assert verdict(genuine.uri, trust_list) == "key_compromised"  # offline, undated: refused


@then(
    parsers.parse('the public log holds a "{event_type}" entry with reason code "{reason}"'),
    target_fixture="log_entries",
)
def suspension_logged(registry: Registry, event_type: str, reason: str) -> list[dict[str, Any]]:
    entries = registry.client.get("/log/entries", params={"limit": 1000}).json()["entries"]
    documents = [json.loads(entry["data"]) for entry in entries]
    (suspended,) = [d for d in documents if d["type"] == event_type]
    assert suspended["reason_code"] == reason
    return entries


@then("no entry of the public log contains the artisan's personal data or the admin's note")
def no_personal_data(
    registry: Registry, log_entries: list[dict[str, Any]], artisan: Actor, note: str
) -> None:
    row = registry.session.exec(select(Artisan).where(Artisan.id == artisan.artisan_id)).one()
    private = [row.national_id, row.phone, row.address, note, "Fatima", "+212600000000"]
    registry.session.rollback()
    text = json.dumps(log_entries, ensure_ascii=False)
    for value in private:
        assert value and value not in text
