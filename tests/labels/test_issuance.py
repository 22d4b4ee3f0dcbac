"""Issuing label batches: the rules, the signatures, the log, and all-or-nothing."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Iterable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from core import calendar
from core.settings import Settings
from labeling.keycustody import KeyfileSigner, SignerUnavailableError
from labeling.labels import service
from labeling.labels.service import BatchOutcome
from schemas.labels import Label, LabelBatch
from schemas.labels_api import LabelBatchCreate
from tests.fixtures.actors import Actor
from tests.labels.batches import URL, post_batch
from tests.labels.fixtures import CertificateRef, make_certificate
from verify.label_codec import new_serial, parse_label_uri, verify_label_signature


def _counts(session: Session) -> tuple[int, int, int]:
    session.rollback()
    labels = session.exec(text("SELECT COUNT(*) FROM label")).one()[0]  # type: ignore[call-overload]
    batches = session.exec(text("SELECT COUNT(*) FROM label_batch")).one()[0]  # type: ignore[call-overload]
    leaves = session.exec(text("SELECT COUNT(*) FROM log_entry")).one()[0]  # type: ignore[call-overload]
    session.rollback()
    return labels, batches, leaves


def test_inspector_issues_signed_labels_logged_one_leaf_each(
    labels_client: TestClient,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
) -> None:
    response = post_batch(labels_client, inspector, certificate, 50)
    assert response.status_code == 201, response.text
    batch = response.json()
    assert batch["status"] == "completed" and batch["issued_count"] == 50
    assert batch["gtin"] == "06111234000019" and batch["kid"] == signer.key_id
    labels = session.exec(select(Label).where(Label.batch_id == batch["id"])).all()
    assert len(labels) == 50 and len({label.serial for label in labels}) == 50
    assert all(label.issued_at.second == 0 and label.issued_at.microsecond == 0 for label in labels)
    session.rollback()  # a SQLite reader holds the writer lock (BEGIN IMMEDIATE)
    page = labels_client.get(
        "/api/v1/labels", params={"batch": batch["id"], "limit": 200}, headers=inspector.headers
    )
    assert page.status_code == 200, page.text
    page = page.json()
    assert page["total"] == 50
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = Ed25519PublicKey.from_public_bytes(signer.public_key_raw)
    for item in page["items"]:
        token = parse_label_uri(item["uri"])
        verify_label_signature(token, key)
        assert token.certificate_code == certificate.code
    leaves = session.exec(
        text("SELECT payload FROM log_entry WHERE event_type = 'label.issued' ORDER BY leaf_index")
    ).all()  # type: ignore[call-overload]
    assert len(leaves) == 50
    first = json.loads(leaves[0][0])
    assert set(first) == {"type", "at", "gtin", "serial", "certificate", "kid", "claim"}
    token = parse_label_uri(page["items"][0]["uri"])
    by_serial = {json.loads(row[0])["serial"]: json.loads(row[0]) for row in leaves}
    assert by_serial[token.serial]["claim"] == hashlib.sha256(token.signed_bytes()).hexdigest()
    assert batch["first_log_index"] is not None


def test_registry_gtin_when_the_line_has_none(
    labels_client: TestClient, session: Session, inspector: Actor, other_artisan: Actor
) -> None:
    cert = make_certificate(session, inspector=inspector, workshop=other_artisan, code=77)
    response = post_batch(labels_client, inspector, cert, 3)
    assert response.status_code == 201, response.text
    assert response.json()["gtin"].startswith("0049")


@pytest.mark.parametrize(
    ("status", "days", "code", "slug"),
    [
        ("suspended", 365, 409, "certificate-suspended"),
        ("withdrawn", 365, 409, "certificate-withdrawn"),
        ("active", -1, 409, "certificate-expired"),
    ],
)
def test_no_labels_under_a_certificate_that_is_not_active(
    labels_client: TestClient,
    session: Session,
    inspector: Actor,
    artisan: Actor,
    status: str,
    days: int,
    code: int,
    slug: str,
) -> None:
    today = calendar.registry_today()
    cert = make_certificate(
        session,
        inspector=inspector,
        workshop=artisan,
        status=status,
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=days),
    )
    response = post_batch(labels_client, inspector, cert, 5)
    assert response.status_code == code
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/" + slug)
    assert _counts(session)[0:2] == (0, 0)


def test_rules_out_of_scope_too_large_and_foreign(
    labels_client: TestClient,
    session: Session,
    inspector: Actor,
    other_admin: Actor,
    certificate: CertificateRef,
    other_artisan: Actor,
) -> None:
    body = {
        "certificate_id": certificate.id,
        "quantity": 1,
        "product_line_id": other_artisan.extra["product_line_id"],
    }
    response = labels_client.post(URL, json=body, headers=inspector.headers)
    assert response.status_code == 422
    assert response.json()["type"].endswith("/product-line-out-of-scope")
    response = post_batch(labels_client, inspector, certificate, 100_001)
    assert response.status_code == 422 and response.json()["type"].endswith("/batch-too-large")
    response = post_batch(labels_client, other_admin, certificate, 1)
    assert response.status_code == 404
    assert response.json()["type"].endswith("/certificate-not-found")
    response = labels_client.post(
        URL,
        json={**body, "product_line_id": certificate.product_line_id, "status": "x"},
        headers=inspector.headers,
    )
    assert response.status_code == 422
    assert _counts(session)[0:2] == (0, 0)


def test_artisan_cannot_issue(
    labels_client: TestClient, artisan_user: Actor, certificate: CertificateRef
) -> None:
    assert post_batch(labels_client, artisan_user, certificate, 1).status_code == 403


class _FailingSigner:
    """Signs a few chunks, then the HSM goes away."""

    def __init__(self, inner: KeyfileSigner, fail_after: int) -> None:
        self._inner = inner
        self._left = fail_after
        self.key_id = inner.key_id

    def sign_many(self, messages: list[bytes]) -> list[bytes]:
        if self._left <= 0:
            raise SignerUnavailableError("token removed")
        self._left -= 1
        return self._inner.sign_many(messages)


def test_signer_failure_mid_batch_leaves_nothing(
    labels_app,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,  # type: ignore[no-untyped-def]
    signer: KeyfileSigner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from labeling.labels import issuance
    from labeling.labels.issuing_key import get_label_signer

    monkeypatch.setattr(issuance, "SIGN_CHUNK", 100)  # a batch within a request, 5 chunks
    labels_app.dependency_overrides[get_label_signer] = lambda: _FailingSigner(signer, 1)
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        before = _counts(session)
        response = post_batch(client, inspector, certificate, 500, **{"Idempotency-Key": "k1"})
        assert response.status_code == 503
        assert response.json()["type"].endswith("/signer-unavailable")
        assert _counts(session) == before
        # The same key can be retried once the signer is back.
        labels_app.dependency_overrides[get_label_signer] = lambda: signer
        response = post_batch(client, inspector, certificate, 500, **{"Idempotency-Key": "k1"})
        assert response.status_code == 201
        assert _counts(session) == (before[0] + 500, before[1] + 1, before[2] + 500)


def _issue_twice(
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
    settings: Settings,
    quantity: int,
    redraws: Callable[[list[str]], Iterable[str]],
) -> tuple[BatchOutcome, BatchOutcome, list[str]]:
    """Two batches through the service as ``inspector``. The second draws
    ``redraws(taken)`` first (``taken``: the serials stored after the first batch), then
    fresh serials; the serials taken are returned with the two outcomes."""
    from core.auth import Principal
    from schemas.types import Role

    principal = Principal(
        user_id=inspector.id,
        role=Role.INSPECTOR,
        body_id=inspector.body_id,
        artisan_id=None,
        token_id=0,
    )
    request = LabelBatchCreate(
        certificate_id=certificate.id,
        product_line_id=certificate.product_line_id,
        quantity=quantity,
    )
    first = service.create_batch(
        session=session,
        principal=principal,
        signer=signer,
        request=request,
        idempotency_key=None,
        settings=settings,
    )
    taken = [label.serial for label in session.exec(select(Label)).all()]
    draw = itertools.chain(redraws(taken), iter(new_serial, None))
    second = service.create_batch(
        session=session,
        principal=principal,
        signer=signer,
        request=request,
        idempotency_key=None,
        settings=settings,
        serials=lambda: next(draw),
    )
    return first, second, taken


@pytest.mark.parametrize("quantity", [4, 100])  # 100: PostgreSQL's COPY path collides too
def test_serial_collisions_are_redrawn_in_memory_and_against_the_database(
    quantity: int,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
    labels_app,  # type: ignore[no-untyped-def]
) -> None:
    first, second, taken = _issue_twice(
        session,
        inspector,
        certificate,
        signer,
        labels_app.state.settings,
        quantity,
        redraws=lambda taken: (taken[0], taken[0], taken[1]),  # in-memory repeat, then DB
    )
    assert second.batch.issued_count == quantity and first.batch.id != second.batch.id
    rows = session.exec(select(Label).where(Label.batch_id == second.batch.id)).all()
    assert len(rows) == quantity and not {row.serial for row in rows} & set(taken)
    assert session.exec(select(LabelBatch)).all()[-1].status == "completed"


def test_sqlite_chunks_keep_label_order_and_log_order(
    monkeypatch: pytest.MonkeyPatch,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
    signer: KeyfileSigner,
    labels_app,  # type: ignore[no-untyped-def]
) -> None:
    """Labels go in by chunks on SQLite (two whole chunks of 3 and a tail of 2 here), and a
    chunk that hits a taken serial is redrawn: ids still follow the log's leaf order."""
    from core import bulk_insert

    monkeypatch.setattr(bulk_insert, "CHUNK", 3)
    first, second, _ = _issue_twice(
        session,
        inspector,
        certificate,
        signer,
        labels_app.state.settings,
        8,
        redraws=lambda taken: (taken[5],),  # collides with the database in the second chunk
    )
    for batch in (first.batch, second.batch):
        rows = session.exec(
            select(Label).where(Label.batch_id == batch.id).order_by(Label.id)  # type: ignore[arg-type]
        ).all()
        assert len(rows) == 8
        assert {(r.certificate_id, r.artisan_id, r.gtin, r.kid, r.status) for r in rows} == {
            (certificate.id, rows[0].artisan_id, batch.gtin, batch.kid, "active")
        }
        leaves = session.exec(
            text(
                "SELECT payload FROM log_entry WHERE event_type = 'label.issued' "
                "AND leaf_index >= :first ORDER BY leaf_index LIMIT 8"
            ).bindparams(first=batch.first_log_index)
        ).all()  # type: ignore[call-overload]
        assert [json.loads(leaf[0])["serial"] for leaf in leaves] == [r.serial for r in rows]
