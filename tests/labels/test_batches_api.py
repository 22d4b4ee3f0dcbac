"""Idempotent batch requests, reading batches and labels, and who sees what."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from labeling.labels.jobs import jobs
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef

URL = "/api/v1/label-batches"


def _body(cert: CertificateRef, quantity: int) -> dict[str, int]:
    return {
        "certificate_id": cert.id,
        "product_line_id": cert.product_line_id,
        "quantity": quantity,
    }


def _label_count(session: Session) -> int:
    count = int(session.exec(text("SELECT COUNT(*) FROM label")).one()[0])  # type: ignore[call-overload]
    session.rollback()
    return count


def test_same_key_same_body_returns_the_same_batch(
    labels_client: TestClient, session: Session, inspector: Actor, certificate: CertificateRef
) -> None:
    headers = {**inspector.headers, "Idempotency-Key": "print-run-2026-11-23"}
    first = labels_client.post(URL, json=_body(certificate, 30), headers=headers)
    again = labels_client.post(URL, json=_body(certificate, 30), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert _label_count(session) == 30
    other = labels_client.post(URL, json=_body(certificate, 31), headers=headers)
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert _label_count(session) == 30


@pytest.mark.parametrize(("quantity", "created"), [(600, 201), (2_000, 202)])
def test_concurrent_requests_with_one_key_make_one_batch(
    labels_client: TestClient,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
    quantity: int,
    created: int,
) -> None:
    """Within a request (600 labels) and as a background job (2,000): one batch."""
    headers = {**inspector.headers, "Idempotency-Key": "concurrent"}

    def post(_: int) -> tuple[int, int]:
        response = labels_client.post(URL, json=_body(certificate, quantity), headers=headers)
        return response.status_code, response.json().get("id", -1)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(post, range(4)))
    assert sorted(code for code, _ in results) == [200, 200, 200, created], results
    assert len({batch_id for _, batch_id in results}) == 1
    assert jobs.wait_idle(timeout=120)
    assert _label_count(session) == quantity
    batch_id = results[0][1]
    batch = labels_client.get(f"{URL}/{batch_id}", headers=inspector.headers).json()
    assert (batch["status"], batch["issued_count"]) == ("completed", quantity)


def test_reading_batches_and_labels_by_role(
    labels_client: TestClient,
    session: Session,
    inspector: Actor,
    other_admin: Actor,
    artisan_user: Actor,
    other_artisan_user: Actor,
    certificate: CertificateRef,
) -> None:
    batch = labels_client.post(URL, json=_body(certificate, 7), headers=inspector.headers).json()
    path = f"{URL}/{batch['id']}"
    assert labels_client.get(path, headers=inspector.headers).json()["issued_count"] == 7
    assert labels_client.get(path, headers=artisan_user.headers).status_code == 200
    assert labels_client.get(path, headers=other_admin.headers).status_code == 404
    assert labels_client.get(path, headers=other_artisan_user.headers).status_code == 404
    mine = labels_client.get("/api/v1/artisans/me/labels", headers=artisan_user.headers).json()
    assert mine["total"] == 7 and mine["items"][0]["uri"].startswith("HTTPS://KHATEM.MA/01/")
    assert (
        labels_client.get("/api/v1/artisans/me/labels", headers=other_artisan_user.headers).json()[
            "total"
        ]
        == 0
    )
    assert labels_client.get("/api/v1/labels", headers=other_admin.headers).json()["total"] == 0
    by_cert = labels_client.get(
        "/api/v1/labels",
        params={"certificate": certificate.id, "limit": 5},
        headers=inspector.headers,
    ).json()
    assert (by_cert["total"], len(by_cert["items"]), by_cert["next_offset"]) == (7, 5, 5)
    assert labels_client.get("/api/v1/labels").status_code == 401
