"""Rotation and compromise: old labels keep verifying; a thief's later signatures do not."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from core.settings import Settings
from labeling.keycustody import Signer
from labeling.keyrecords import (
    KeyNotFound,
    KeyStateConflict,
    KeyUnavailable,
    label_signer,
    mark_compromised,
    repository,
    rotate_label_key,
)
from labeling.keyrecords.preparation import new_development_label_key
from schemas.keys import KeyPurpose
from tests.keyring.labels import fetch_trust_list, sign_label, verdict
from verify.trust_list import format_time

MINUTE = timedelta(minutes=1)


def _current(session: Session, settings: Settings) -> tuple[str, Signer]:
    key, signer = label_signer(session, settings)
    kid = key.kid
    session.rollback()
    return kid, signer


def _rotate(session: Session, settings: Settings, at: datetime) -> Signer:
    uri, signer = new_development_label_key(settings, first=False)
    rotate_label_key(session=session, new_signer=signer, key_uri=uri, allow_development=True, at=at)
    return signer


def _log_events(session: Session, kind: str) -> list[dict[str, object]]:
    rows = session.connection().exec_driver_sql("SELECT payload FROM log_entry ORDER BY leaf_index")
    events = [json.loads(data) for (data,) in rows]
    session.rollback()
    return [event for event in events if event["type"] == kind]


def test_a_label_signed_before_rotation_verifies_after_it(
    log_client: TestClient, session: Session, settings: Settings
) -> None:
    now = datetime.now(UTC)
    old_kid, old = _current(session, settings)
    before = sign_label(old, issued_at=now)
    new = _rotate(session, settings, now + 2 * MINUTE)
    assert _current(session, settings)[0] == new.key_id
    after = sign_label(new, issued_at=now + 3 * MINUTE, serial="8G4M3NQ0YC")
    trust_list = fetch_trust_list(log_client, session)
    assert verdict(before, trust_list) == "authentic"
    assert verdict(after, trust_list) == "authentic"
    # The retired key signs nothing valid later, the new one nothing valid earlier.
    assert verdict(sign_label(old, issued_at=now + 5 * MINUTE), trust_list) == "key_retired"
    assert verdict(sign_label(new, issued_at=now - 2 * MINUTE), trust_list) == "key_not_yet_valid"
    old_key = trust_list.key(old_kid)
    assert old_key.retired_at == (now + 2 * MINUTE).replace(second=0, microsecond=0) + MINUTE
    assert trust_list.key(new.key_id).not_before == old_key.retired_at - MINUTE
    (rotated,) = _log_events(session, "key.rotated")
    assert rotated["retired_kid"] == old_kid and rotated["kid"] == new.key_id


def test_a_signature_after_the_compromise_time_is_rejected(
    log_client: TestClient, session: Session, settings: Settings
) -> None:
    now = datetime.now(UTC)
    kid, signer = _current(session, settings)
    genuine = sign_label(signer, issued_at=now)
    since = now + 5 * MINUTE
    key = mark_compromised(session=session, kid=kid, since=since, at=now + 10 * MINUTE)
    assert key.compromised_since == since.replace(second=0, microsecond=0)
    trust_list = fetch_trust_list(log_client, session)
    # Signed at or after T: rejected, whatever time the signature claims.
    forged = sign_label(signer, issued_at=now + 6 * MINUTE, serial="8G4M3NQ0YC")
    assert verdict(forged, trust_list, logged_at=now + 6 * MINUTE) == "key_compromised"
    assert verdict(forged, trust_list) == "key_compromised"
    # Before T: stands when the time is attested by the log, not on the label's word.
    assert verdict(genuine, trust_list, logged_at=now) == "authentic"
    assert verdict(genuine, trust_list) == "key_compromised"
    (event,) = _log_events(session, "key.compromised")
    assert event["kid"] == kid and event["compromised_since"] == format_time(
        since.replace(second=0)
    )
    with pytest.raises(KeyUnavailable, match="rotate"):
        label_signer(session, settings)


def test_a_compromise_time_only_moves_earlier(session: Session, prepared: list[str]) -> None:
    now = datetime.now(UTC)
    label = repository.active_key(session=session, purpose=KeyPurpose.LABEL)
    root = repository.active_key(session=session, purpose=KeyPurpose.ROOT)
    assert label is not None and root is not None
    kid, root_kid = label.kid, root.kid
    session.rollback()
    mark_compromised(session=session, kid=kid, since=now - 5 * MINUTE)
    assert mark_compromised(session=session, kid=kid, since=now - 5 * MINUTE).kid == kid
    with pytest.raises(KeyStateConflict, match="only move earlier"):
        mark_compromised(session=session, kid=kid, since=now - MINUTE)
    session.rollback()
    earlier = mark_compromised(session=session, kid=kid, since=now - 50 * MINUTE)
    assert earlier.compromised_since == (now - 50 * MINUTE).replace(second=0, microsecond=0)
    with pytest.raises(KeyStateConflict, match="root key"):
        mark_compromised(session=session, kid=root_kid, since=now)
    session.rollback()
    with pytest.raises(KeyNotFound):
        mark_compromised(session=session, kid="00000000", since=now)
    session.rollback()
    with pytest.raises(KeyStateConflict, match="future"):
        mark_compromised(session=session, kid=kid, since=now + 10 * MINUTE)


def test_rotation_refuses_a_known_key_and_production_development_keys(
    session: Session, settings: Settings, prepared: list[str]
) -> None:
    _, current = _current(session, settings)
    with pytest.raises(KeyStateConflict, match="already registered"):
        rotate_label_key(
            session=session, new_signer=current, key_uri="keyfile:/x", allow_development=True
        )
    session.rollback()
    _, signer = new_development_label_key(settings, first=False)
    with pytest.raises(KeyStateConflict, match="development"):
        rotate_label_key(
            session=session, new_signer=signer, key_uri="keyfile:/y", allow_development=False
        )
