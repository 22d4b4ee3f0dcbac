"""Every public channel, after a suspension with a free-text note: nothing personal (national
id, phone, address, e-mail, registry number), no internal database id and no free-text
reason reaches the verdict JSON, the page, the linkset, the bulk API, the bulk CSV, the
status snapshots, the badge or an error."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.pages.test_routes import IMAGE, PRIVATE
from tests.verification.fixtures import issue
from verify.label_codec import format_certificate_code

#: Member names that would carry an internal (enumerable) database id.
ID_KEYS = {"id", "artisan_id", "certificate_id", "batch_id", "label_id", "audit_id", "body_id"}


def _ids_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {key for key in value if key in ID_KEYS}
        for item in value.values():
            found |= _ids_in(item)
        return found
    if isinstance(value, list):
        return set().union(*(_ids_in(item) for item in value)) if value else set()
    return set()


def _private_in(text: str) -> list[str]:
    return [private for private in PRIVATE if private in text]


def test_no_public_channel_shows_personal_data_ids_or_free_text_reasons(
    verify_client: TestClient, inspector: Actor, admin: Actor, certificate: CertificateRef
) -> None:
    [uri, other] = issue(verify_client, inspector, certificate, 2)
    serial = other.split("/21/")[1].split("?")[0]
    labels = verify_client.get("/api/v1/labels", headers=admin.headers).json()["items"]
    label_id = next(item["id"] for item in labels if item["serial"] == serial)
    revoked = verify_client.post(
        f"/api/v1/labels/{label_id}/revoke",
        json={"reason_code": "lost_or_stolen"},
        headers=admin.headers,
    )
    assert revoked.status_code == 200, revoked.text
    suspended = verify_client.post(
        f"/api/v1/certificates/{certificate.id}/suspend",
        json={"reason_code": "surveillance_nonconformity", "reason_text": "a private note"},
        headers=admin.headers,
    )
    assert suspended.status_code == 200, suspended.text
    path = "/" + uri.split("/", 3)[3]
    code = format_certificate_code(certificate.code)
    answers = {
        "json": verify_client.get(path, headers={"Accept": "application/json"}),
        "page": verify_client.get(path, headers={"Accept": "text/html"}),
        "linkset": verify_client.get(path, headers={"Accept": "application/linkset+json"}),
        "api": verify_client.get("/api/v1/verify", params={"label": uri}),
        "bulk": verify_client.post("/api/v1/verify", json={"labels": [uri, other, "junk"]}),
        "csv": verify_client.post(
            "/verify/bulk?format=csv",
            files={"file": ("scans.csv", f"url\n{uri}\n{other}\n".encode(), "text/csv")},
        ),
        "bulk_page": verify_client.post(
            "/verify/bulk",
            files={"file": ("scans.csv", f"{uri}\n{other}\n".encode(), "text/csv")},
        ),
        "certificate": verify_client.get(f"/certificates/{code}"),
        "badge": verify_client.get(f"/certificates/{code}/badge.svg", headers=IMAGE),
        "labels_snapshot": verify_client.get("/.well-known/khatem/status/labels.json"),
        "certificates_snapshot": verify_client.get("/.well-known/khatem/status/certificates.json"),
        "not_found": verify_client.get("/certificates/C-0000000"),
        "bad_bulk": verify_client.post("/api/v1/verify", json={"labels": ["x" * 5000]}),
    }
    for name, response in answers.items():
        assert response.status_code in (200, 404, 422), (name, response.status_code)
        text = response.text
        assert not _private_in(text), (name, _private_in(text))
        if "json" in response.headers.get("content-type", ""):
            assert not _ids_in(json.loads(text)), (name, _ids_in(json.loads(text)))
    verdict = answers["json"].json()
    assert verdict["verdict"] == "SUSPENDED"
    assert verdict["certificate"]["status_reason"] == "surveillance_nonconformity"
    assert '"reason":"lost_or_stolen"' in answers["labels_snapshot"].text
