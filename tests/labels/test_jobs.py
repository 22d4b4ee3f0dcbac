"""Large batches as background jobs: 202 and polling, signing outside the transaction,
failures that leave nothing issued, and batches a dead process left behind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from sqlalchemy import text

from core.db import new_session
from core.settings import Settings
from labeling.keycustody import KeyfileSigner, SignerUnavailableError
from labeling.labels import issuance, jobs
from labeling.labels.issuing_key import get_label_signer
from schemas.labels import LabelBatch
from schemas.types import utcnow
from tests.fixtures.actors import Actor
from tests.labels.batches import URL, post_batch
from tests.labels.fixtures import CertificateRef, queued_batch
from verify.label_codec import parse_label_uri, verify_label_signature


def _scalar(url: str, sql: str, **params: Any) -> int:
    with new_session(url) as session:
        value = session.exec(text(sql).bindparams(**params)).one()[0]  # type: ignore[call-overload]
        session.rollback()
    return int(value)


def _write(url: str, sql: str, **params: Any) -> None:
    """Run ``sql`` in a session of its own and commit, as another client would."""
    with new_session(url) as session:
        session.exec(text(sql).bindparams(**params))  # type: ignore[call-overload]
        session.commit()


def _counts(url: str, batch_id: int) -> tuple[int, int]:
    """Labels of the batch, and ``label.issued`` leaves in the log."""
    labels = _scalar(url, "SELECT COUNT(*) FROM label WHERE batch_id = :b", b=batch_id)
    leaves = _scalar(url, "SELECT COUNT(*) FROM log_entry WHERE event_type = 'label.issued'")
    return labels, leaves


class _Probe:
    """A signer that looks at the database between chunks, as a concurrent client would."""

    def __init__(self, inner: KeyfileSigner, url: str, batch_id: int | None = None) -> None:
        self._inner = inner
        self._url = url
        self.batch_id = batch_id
        self.seen: list[tuple[str, int, int]] = []
        self.fail_after: int | None = None
        self.during: Any = None

    @property
    def key_id(self) -> str:
        return self._inner.key_id

    def sign_many(self, messages: Sequence[bytes]) -> list[bytes]:
        if self.fail_after is not None and len(self.seen) >= self.fail_after:
            raise SignerUnavailableError("token removed")
        if self.batch_id is not None:
            with new_session(self._url) as session:
                # A write from another session commits while the batch signs: no
                # transaction (so no SQLite writer lock) is held during signing.
                session.exec(text("UPDATE label_batch SET attempts = attempts WHERE id = -1"))  # type: ignore[call-overload]
                row = session.exec(
                    text("SELECT status, issued_count FROM label_batch WHERE id = :b").bindparams(
                        b=self.batch_id
                    )
                ).one()  # type: ignore[call-overload]
                labels = session.exec(
                    text("SELECT COUNT(*) FROM label WHERE batch_id = :b").bindparams(
                        b=self.batch_id
                    )
                ).one()[0]  # type: ignore[call-overload]
                session.commit()
            self.seen.append((str(row[0]), int(row[1]), int(labels)))
        if self.during is not None:
            self.during()
            self.during = None
        return self._inner.sign_many(messages)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_large_batch_is_a_job_the_client_polls(
    labels_client: TestClient,
    settings: Settings,
    inspector: Actor,
    artisan_user: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
) -> None:
    response = post_batch(labels_client, inspector, certificate, 1_500)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] in ("queued", "running", "completed")
    assert response.headers["Location"] == f"{URL}/{accepted['id']}"
    assert jobs.jobs.wait_idle(timeout=120)
    batch = labels_client.get(response.headers["Location"], headers=inspector.headers).json()
    assert batch["status"] == "completed" and batch["issued_count"] == 1_500
    assert batch["failure"] is None and batch["kid"] == signer.key_id
    assert _counts(settings.resolved_database_url, batch["id"]) == (1_500, 1_500)
    page = labels_client.get(
        "/api/v1/artisans/me/labels", params={"batch": batch["id"]}, headers=artisan_user.headers
    ).json()
    assert page["total"] == 1_500
    public_key = Ed25519PublicKey.from_public_bytes(signer.public_key_raw)
    for item in page["items"][:20]:
        verify_label_signature(parse_label_uri(item["uri"]), public_key)


def test_a_job_signs_outside_the_transaction_and_reports_progress(
    settings: Settings,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(issuance, "SIGN_CHUNK", 1_000)
    # A short lease: the worker then writes its progress after every chunk.
    settings = settings.model_copy(update={"label_job_lease_seconds": 0.003})
    url = settings.resolved_database_url
    batch_id = queued_batch(url, certificate, inspector, 4_000)
    probe = _Probe(signer, url, batch_id)
    assert jobs.run_batch(settings, batch_id, probe) == "completed"  # type: ignore[arg-type]
    # Before each chunk: running, the previous chunks counted, and not one label stored.
    assert probe.seen == [("running", n, 0) for n in (0, 1_000, 2_000, 3_000)]
    assert _counts(url, batch_id) == (4_000, 4_000)


def test_a_signer_failure_fails_the_job_and_the_same_key_retries_it(
    labels_app: Any,
    settings: Settings,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(issuance, "SIGN_CHUNK", 500)
    url = settings.resolved_database_url
    probe = _Probe(signer, url)
    probe.fail_after = 0
    labels_app.dependency_overrides[get_label_signer] = lambda: probe
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        first = post_batch(client, inspector, certificate, 2_000, **{"Idempotency-Key": "hsm-out"})
        assert first.status_code == 202
        assert jobs.jobs.wait_idle(timeout=120)
        path = first.headers["Location"]
        failed = client.get(path, headers=inspector.headers).json()
        assert (failed["status"], failed["failure"], failed["issued_count"]) == (
            "failed",
            "signer-unavailable",
            0,
        )
        assert _counts(url, failed["id"]) == (0, 0)
        labels_app.dependency_overrides[get_label_signer] = lambda: signer
        again = post_batch(client, inspector, certificate, 2_000, **{"Idempotency-Key": "hsm-out"})
        assert again.status_code == 202 and again.json()["id"] == failed["id"]
        assert jobs.jobs.wait_idle(timeout=120)
        done = client.get(path, headers=inspector.headers).json()
        assert (done["status"], done["issued_count"], done["failure"]) == ("completed", 2_000, None)
        assert _counts(url, failed["id"]) == (2_000, 2_000)
        other = post_batch(client, inspector, certificate, 2_001, **{"Idempotency-Key": "hsm-out"})
        assert other.status_code == 422


def test_a_certificate_suspended_while_signing_gets_no_labels(
    settings: Settings,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
) -> None:
    url = settings.resolved_database_url
    batch_id = queued_batch(url, certificate, inspector, 1_200)
    probe = _Probe(signer, url)
    probe.during = lambda: _write(
        url, "UPDATE certificate SET status = 'suspended' WHERE id = :c", c=certificate.id
    )
    assert jobs.run_batch(settings, batch_id, probe) == "failed"  # type: ignore[arg-type]
    with new_session(url) as session:
        batch = session.get(LabelBatch, batch_id)
        assert batch is not None
        assert (batch.status, batch.failure) == ("failed", "certificate-suspended")
        session.rollback()
    assert _counts(url, batch_id) == (0, 0)


def test_a_batch_left_by_a_dead_process_is_resumed_and_a_live_one_is_not(
    settings: Settings,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
) -> None:
    url = settings.resolved_database_url
    past, future = utcnow() - timedelta(seconds=1), utcnow() + timedelta(hours=1)
    dead = queued_batch(
        url, certificate, inspector, 50, status="running", lease_owner="gone:1:x",
        lease_expires_at=past, attempts=1, issued_count=20,
    )  # fmt: skip
    alive = queued_batch(
        url, certificate, inspector, 50, status="running", lease_owner="busy:2:y",
        lease_expires_at=future, attempts=1,
    )  # fmt: skip
    assert jobs.recover_batches(settings) == [dead]
    assert jobs.run_batch(settings, alive, signer) is None  # someone else holds it
    assert jobs.run_batch(settings, dead, signer) == "completed"
    assert _counts(url, dead) == (50, 50) and _counts(url, alive)[0] == 0
    assert jobs.recover_batches(settings) == []


def test_a_batch_that_keeps_killing_its_workers_is_failed_not_retried_forever(
    settings: Settings,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
) -> None:
    url = settings.resolved_database_url
    batch_id = queued_batch(
        url, certificate, inspector, 10, status="running", lease_owner="gone:1:x",
        lease_expires_at=utcnow() - timedelta(seconds=1),
        attempts=settings.label_job_max_attempts,
    )  # fmt: skip
    assert jobs.run_batch(settings, batch_id, signer) is None
    with new_session(url) as session:
        batch = session.get(LabelBatch, batch_id)
        assert batch is not None and (batch.status, batch.failure) == (
            "failed",
            jobs.INTERRUPTED,
        )
        session.rollback()
    assert _counts(url, batch_id) == (0, 0)


def test_a_worker_that_lost_its_lease_stores_nothing(
    settings: Settings,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
) -> None:
    url = settings.resolved_database_url
    batch_id = queued_batch(url, certificate, inspector, 30)
    probe = _Probe(signer, url)
    probe.during = lambda: _write(
        url, "UPDATE label_batch SET lease_owner = 'other:3:z' WHERE id = :b", b=batch_id
    )
    assert jobs.run_batch(settings, batch_id, probe) is None  # type: ignore[arg-type]
    assert _counts(url, batch_id) == (0, 0)


def test_a_log_append_that_fails_after_its_first_rows_leaves_nothing_issued(
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
) -> None:
    """The labels and the batch's leaves are written in the transaction, then the append
    fails: the batch is failed and neither a label nor a leaf of it remains (all or
    nothing). On SQLite the rows go in chunked statements, on PostgreSQL by COPY."""
    from labeling.translog import store

    real = store.insert_leaves

    def leaves_then_fail(connection: Any, **kwargs: Any) -> None:
        real(connection, **kwargs)
        raise RuntimeError("disk full after the leaves")

    monkeypatch.setattr(store, "insert_leaves", leaves_then_fail)
    url = settings.resolved_database_url
    batch_id = queued_batch(url, certificate, inspector, 1_200)
    leaves_before = _counts(url, batch_id)[1]
    assert jobs.run_batch(settings, batch_id, signer) == "failed"
    with new_session(url) as session:
        batch = session.get(LabelBatch, batch_id)
        assert batch is not None
        assert (batch.status, batch.issued_count) == ("failed", 0)
        session.rollback()
    assert _counts(url, batch_id) == (0, leaves_before)
