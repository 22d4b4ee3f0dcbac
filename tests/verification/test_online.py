"""Online verification against the live registry: each check's outcome, over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from labeling.verification import verify_uri
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef, make_certificate
from tests.verification.fixtures import checkpoint, issue, sql
from verify.verdict import Overall

JSON = {"Accept": "application/json"}


def _path(uri: str) -> str:
    return uri.split("://", 1)[1].split("/", 1)[1]


def _scan(client: TestClient, uri: str) -> Any:
    response = client.get("/" + _path(uri), headers=JSON)
    assert response.status_code == 200, response.text
    return response.json()


def _check(verdict: Any, name: str) -> Any:
    return next(check for check in verdict["checks"] if check["name"] == name)


def test_an_issued_label_is_authentic_with_its_public_facts(
    verify_client: TestClient, labels_app: FastAPI, inspector: Actor, certificate: CertificateRef
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    checkpoint(labels_app)
    verdict = _scan(verify_client, uri)
    assert verdict["verdict"] == "AUTHENTIC", verdict
    assert verdict["reasons"] == []
    assert _check(verdict, "signature")["reason"] == "signature_matches_record"
    assert _check(verdict, "issuer_key")["reason"] == "key_trusted"
    assert _check(verdict, "label_status")["reason"] == "label_active"
    assert _check(verdict, "certificate_status")["reason"] == "certificate_active"
    assert _check(verdict, "conformity")["outcome"] == "passed"
    log = _check(verdict, "log_inclusion")
    assert log["reason"] == "included_in_checkpoint"
    assert log["detail"]["leaf_index"] < log["detail"]["tree_size"]
    assert log["detail"]["proof"].startswith("/log/proof/inclusion?index=")
    assert verdict["mode"] == "online"
    artisan = verdict["certificate"]["artisan"]
    assert artisan["display_name_latin"] and artisan["display_name_arabic"]
    assert verdict["certificate"]["code"].startswith("C-")


def test_the_log_proof_linked_from_the_verdict_proves_the_label_leaf(
    verify_client: TestClient, labels_app: FastAPI, inspector: Actor, certificate: CertificateRef
) -> None:
    uris = issue(verify_client, inspector, certificate, 3)
    checkpoint(labels_app)
    for uri in uris:
        log = _check(_scan(verify_client, uri), "log_inclusion")
        entry = verify_client.get(
            "/log/entries",
            params={"start": log["detail"]["leaf_index"], "end": log["detail"]["leaf_index"] + 1},
        )
        assert entry.status_code == 200, entry.text
        assert _path(uri).split("/")[3].split("?")[0] in entry.text
        assert verify_client.get(log["detail"]["proof"]).status_code == 200


def test_a_label_before_the_next_checkpoint_is_pending_not_condemned(
    verify_client: TestClient, inspector: Actor, certificate: CertificateRef
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    verdict = _scan(verify_client, uri)
    assert _check(verdict, "log_inclusion") == {
        "name": "log_inclusion",
        "outcome": "not_applicable",
        "reason": "log_checkpoint_pending",
        "detail": {"leaf_index": _check(verdict, "log_inclusion")["detail"]["leaf_index"]},
    }
    assert verdict["verdict"] == "AUTHENTIC"


def test_a_suspended_certificate_shows_at_once(
    verify_client: TestClient,
    session: Session,
    inspector: Actor,
    admin: Actor,
    certificate: CertificateRef,
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    assert _scan(verify_client, uri)["verdict"] == "AUTHENTIC"  # facts now cached
    response = verify_client.post(
        f"/api/v1/certificates/{certificate.id}/suspend",
        json={"reason_code": "surveillance_nonconformity"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    verdict = _scan(verify_client, uri)
    assert verdict["verdict"] == "SUSPENDED"
    status = _check(verdict, "certificate_status")
    assert status["reason"] == "certificate_suspended"
    assert status["detail"] == {"reason_code": "surveillance_nonconformity"}


def test_a_revoked_label_is_revoked_with_its_reason(
    verify_client: TestClient, inspector: Actor, admin: Actor, certificate: CertificateRef
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    serial = _path(uri).split("/")[3].split("?")[0]
    page = verify_client.get("/api/v1/labels", headers=admin.headers).json()
    label_id = next(item["id"] for item in page["items"] if item["serial"] == serial)
    response = verify_client.post(
        f"/api/v1/labels/{label_id}/revoke",
        json={"reason_code": "lost_or_stolen"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    verdict = _scan(verify_client, uri)
    assert verdict["verdict"] == "REVOKED"
    assert _check(verdict, "label_status")["detail"] == {"reason_code": "lost_or_stolen"}


def test_an_expired_certificate_leaves_the_label_authentic_with_a_warning(
    verify_client: TestClient, labels_app: FastAPI, inspector: Actor, certificate: CertificateRef
) -> None:
    """A carpet bought while the certificate was in force stays genuine after it expires."""
    [uri] = issue(verify_client, inspector, certificate, 1)
    settings = labels_app.state.settings
    today = verify_uri(uri, settings=settings)
    assert today.certificate is not None
    later = datetime.combine(today.certificate.valid_until, time(12), UTC) + timedelta(days=30)
    verdict = verify_uri(uri, settings=settings, now=later)
    assert verdict.verdict is Overall.AUTHENTIC_WITH_WARNINGS
    assert verdict.reasons == ("certificate_expired",)
    assert verdict.model_dump(mode="json")["certificate"]["status"] == "expired"


def test_a_compromised_key_condemns_labels_logged_after_the_compromise(
    verify_client: TestClient, session: Session, inspector: Actor, certificate: CertificateRef
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    assert _scan(verify_client, uri)["verdict"] == "AUTHENTIC"
    sql(session, "UPDATE signing_key SET compromised_since = created_at WHERE purpose = 'label'")
    verdict = _scan(verify_client, uri)
    assert verdict["verdict"] == "INVALID"
    assert _check(verdict, "issuer_key")["reason"] == "key_compromised"


def test_a_label_of_another_cooperative_certificate_is_not_confused(
    verify_client: TestClient,
    session: Session,
    inspector: Actor,
    other_artisan: Actor,
    certificate: CertificateRef,
) -> None:
    other = make_certificate(session, inspector=inspector, workshop=other_artisan, code=0x0BADCAFE)
    [mine] = issue(verify_client, inspector, certificate, 1)
    [theirs] = issue(verify_client, inspector, other, 1)
    a, b = _scan(verify_client, mine), _scan(verify_client, theirs)
    assert a["certificate"]["artisan"] != b["certificate"]["artisan"]
    assert a["label"]["certificate"] != b["label"]["certificate"]


def test_scans_read_the_committed_state_while_a_writer_holds_the_database(
    verify_client: TestClient,
    labels_app: FastAPI,
    db_url: str,
    inspector: Actor,
    certificate: CertificateRef,
) -> None:
    """Writers take SQLite's write lock at BEGIN (core.db); scans must neither wait for it
    (they would fail with registry-unavailable after the busy timeout) nor see uncommitted
    changes."""
    from core.db import new_session

    [uri] = issue(verify_client, inspector, certificate, 1)
    with new_session(db_url) as writer:
        writer.exec(  # type: ignore[call-overload]
            text("UPDATE certificate SET status = 'suspended' WHERE id = :id").bindparams(
                id=certificate.id
            )
        )
        writer.flush()  # the write lock is held, nothing committed
        verdict = verify_uri(uri, settings=labels_app.state.settings)
        assert verdict.verdict is Overall.AUTHENTIC
        writer.commit()
    assert verify_uri(uri, settings=labels_app.state.settings).verdict is Overall.SUSPENDED
