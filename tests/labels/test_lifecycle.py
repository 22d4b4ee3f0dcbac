"""Suspending, reinstating and revoking labels, singly and in bulk."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef


def _issue(client: TestClient, actor: Actor, cert: CertificateRef, quantity: int) -> int:
    response = client.post(
        "/api/v1/label-batches",
        json={
            "certificate_id": cert.id,
            "product_line_id": cert.product_line_id,
            "quantity": quantity,
        },
        headers=actor.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _labels(client: TestClient, actor: Actor, batch_id: int) -> list[dict[str, object]]:
    page = client.get("/api/v1/labels", params={"batch": batch_id}, headers=actor.headers)
    return list(page.json()["items"])


def test_single_label_lifecycle_is_logged_and_revocation_is_permanent(
    labels_client: TestClient, session: Session, admin: Actor, certificate: CertificateRef
) -> None:
    batch_id = _issue(labels_client, admin, certificate, 3)
    label = _labels(labels_client, admin, batch_id)[0]
    base = f"/api/v1/labels/{label['id']}"
    reason = {"reason_code": "inspection_hold"}
    assert (
        labels_client.post(f"{base}/suspend", json=reason, headers=admin.headers).json()["changed"]
        == 1
    )
    again = labels_client.post(f"{base}/suspend", json=reason, headers=admin.headers)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/invalid-label-transition")
    assert (
        labels_client.post(
            f"{base}/reinstate", json={"reason_code": "inspection_cleared"}, headers=admin.headers
        ).status_code
        == 200
    )
    assert (
        labels_client.post(
            f"{base}/revoke", json={"reason_code": "lost_or_stolen"}, headers=admin.headers
        ).status_code
        == 200
    )
    back = labels_client.post(
        f"{base}/reinstate", json={"reason_code": "inspection_cleared"}, headers=admin.headers
    )
    assert back.status_code == 409
    history = session.exec(
        text("SELECT action, from_status, to_status, reason_code FROM label_event ORDER BY id")
    ).all()  # type: ignore[call-overload]
    leaves = session.exec(
        text(
            "SELECT event_type, payload FROM log_entry WHERE event_type <> 'label.issued' "
            "ORDER BY leaf_index"
        )
    ).all()  # type: ignore[call-overload]
    session.rollback()
    assert [tuple(row) for row in history] == [
        ("suspended", "active", "suspended", "inspection_hold"),
        ("reinstated", "suspended", "active", "inspection_cleared"),
        ("revoked", "active", "revoked", "lost_or_stolen"),
    ]
    assert [row[0] for row in leaves] == ["label.suspended", "label.reinstated", "label.revoked"]
    assert json.loads(leaves[-1][1])["serial"] == label["serial"]


def test_bulk_changes_skip_revoked_labels(
    labels_client: TestClient, admin: Actor, other_admin: Actor, certificate: CertificateRef
) -> None:
    batch_id = _issue(labels_client, admin, certificate, 5)
    first = _labels(labels_client, admin, batch_id)[0]
    labels_client.post(
        f"/api/v1/labels/{first['id']}/revoke",
        json={"reason_code": "damaged"},
        headers=admin.headers,
    )
    bulk = "/api/v1/labels/bulk"
    suspend = labels_client.post(
        f"{bulk}/suspend",
        headers=admin.headers,
        json={"batch_id": batch_id, "reason_code": "inspection_hold"},
    )
    assert suspend.json()["changed"] == 4
    reinstate = labels_client.post(
        f"{bulk}/reinstate",
        headers=admin.headers,
        json={"certificate_id": certificate.id, "reason_code": "inspection_cleared"},
    )
    assert reinstate.json()["changed"] == 4
    statuses = sorted(str(item["status"]) for item in _labels(labels_client, admin, batch_id))
    assert statuses == ["active"] * 4 + ["revoked"]
    foreign = labels_client.post(
        f"{bulk}/revoke",
        headers=other_admin.headers,
        json={"batch_id": batch_id, "reason_code": "damaged"},
    )
    assert foreign.status_code == 404
    both = labels_client.post(
        f"{bulk}/revoke",
        headers=admin.headers,
        json={"batch_id": batch_id, "certificate_id": certificate.id, "reason_code": "damaged"},
    )
    assert both.status_code == 422
