"""Evidence files: stored once by content hash, typed by their bytes, served as downloads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from core.settings import Settings
from tests.audits.helpers import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    WEBP_BYTES,
    count,
    problem_slug,
    record_audit,
    upload,
)
from tests.fixtures.actors import Actor


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PDF_BYTES, "application/pdf"),
        (PNG_BYTES, "image/png"),
        (JPEG_BYTES, "image/jpeg"),
        (WEBP_BYTES, "image/webp"),
    ],
    ids=["pdf", "png", "jpeg", "webp"],
)
def test_upload_is_typed_by_its_bytes_and_named_by_its_hash(
    client: TestClient, inspector: Actor, data: bytes, media_type: str
) -> None:
    # The declared type is deliberately wrong: only the bytes count.
    response = upload(
        client, inspector, data, filename="scan.bin", content_type="application/octet-stream"
    )
    assert response.status_code == 201, response.text
    assert response.json() == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "media_type": media_type,
    }


def test_same_content_is_stored_once(
    client: TestClient, inspector: Actor, admin: Actor, session: Session
) -> None:
    first = upload(client, inspector, PDF_BYTES, filename="a.pdf")
    again = upload(client, admin, PDF_BYTES, filename="b.pdf")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert count(session, "evidence_blob") == 1


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 this is a Windows executable",
        b"<html><script>alert(1)</script></html>",
        b"GIF89a\x01\x00\x01\x00",
        b"",
        b"%PD",
    ],
    ids=["exe", "html", "gif", "empty", "truncated-pdf-magic"],
)
def test_other_content_is_refused_whatever_its_declared_type(
    client: TestClient, inspector: Actor, data: bytes, session: Session
) -> None:
    response = upload(
        client, inspector, data, filename="rapport.pdf", content_type="application/pdf"
    )
    assert response.status_code == 415
    assert problem_slug(response) == "unsupported-evidence-type"
    assert count(session, "evidence_blob") == 0


@pytest.fixture
def small_limit_client(settings: Settings) -> Iterator[TestClient]:
    from main import create_app

    app: FastAPI = create_app(settings.model_copy(update={"max_evidence_bytes": 1024}))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_file_over_the_evidence_limit_is_413(
    small_limit_client: TestClient, inspector: Actor, session: Session
) -> None:
    response = upload(small_limit_client, inspector, PDF_BYTES + b"0" * 1024)
    assert response.status_code == 413
    assert problem_slug(response) == "evidence-too-large"
    assert response.json()["limit"] == 1024
    assert count(session, "evidence_blob") == 0


def test_upload_far_over_the_limit_is_refused_before_reading(
    small_limit_client: TestClient, inspector: Actor
) -> None:
    response = upload(small_limit_client, inspector, PDF_BYTES + b"0" * 200_000)
    assert response.status_code == 413


def test_a_file_exactly_at_the_limit_is_accepted(
    small_limit_client: TestClient, inspector: Actor
) -> None:
    data = PDF_BYTES + b"0" * (1024 - len(PDF_BYTES))
    assert upload(small_limit_client, inspector, data).status_code == 201


@pytest.mark.parametrize("who", ["artisan_user"])
def test_artisans_do_not_upload_evidence(
    client: TestClient, who: str, request: pytest.FixtureRequest
) -> None:
    actor: Actor = request.getfixturevalue(who)
    assert upload(client, actor, PDF_BYTES).status_code == 403


def test_upload_without_a_file_is_422(client: TestClient, inspector: Actor) -> None:
    response = client.post(
        "/api/v1/evidence", files={"other": ("x.pdf", PDF_BYTES)}, headers=inspector.headers
    )
    assert response.status_code == 422


# --- downloads --------------------------------------------------------------------------------


def test_download_is_an_attachment_with_the_sniffed_type(
    client: TestClient, inspector: Actor
) -> None:
    sha = upload(client, inspector, PNG_BYTES, content_type="text/html").json()["sha256"]
    response = client.get(f"/api/v1/evidence/{sha}", headers=inspector.headers)
    assert response.status_code == 200
    assert response.content == PNG_BYTES
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="evidence-{sha[:16]}.png"'
    )


def test_uploaders_body_reads_unattached_evidence(
    client: TestClient, inspector: Actor, admin: Actor
) -> None:
    sha = upload(client, inspector, PDF_BYTES).json()["sha256"]
    assert client.get(f"/api/v1/evidence/{sha}", headers=admin.headers).status_code == 200


def test_other_bodies_and_artisans_do_not_read_unattached_evidence(
    client: TestClient, inspector: Actor, madmoun_inspector: Actor, artisan_user: Actor
) -> None:
    sha = upload(client, inspector, PDF_BYTES).json()["sha256"]
    for stranger in (madmoun_inspector, artisan_user):
        response = client.get(f"/api/v1/evidence/{sha}", headers=stranger.headers)
        assert response.status_code == 404
        assert problem_slug(response) == "evidence-not-found"


def test_audited_artisan_reads_evidence_of_its_audit_and_others_do_not(
    client: TestClient,
    inspector: Actor,
    artisan_user: Actor,
    other_artisan_user: Actor,
) -> None:
    sha = upload(client, inspector, JPEG_BYTES).json()["sha256"]
    record_audit(
        client, inspector, artisan_user, evidence=[{"sha256": sha, "filename": "metier.jpg"}]
    )
    mine = client.get(f"/api/v1/evidence/{sha}", headers=artisan_user.headers)
    assert mine.status_code == 200
    assert mine.content == JPEG_BYTES
    theirs = client.get(f"/api/v1/evidence/{sha}", headers=other_artisan_user.headers)
    assert theirs.status_code == 404


def test_unknown_hash_and_malformed_hash(client: TestClient, inspector: Actor) -> None:
    assert client.get(f"/api/v1/evidence/{'0' * 64}", headers=inspector.headers).status_code == 404
    assert client.get("/api/v1/evidence/not-a-hash", headers=inspector.headers).status_code == 422


def test_anonymous_download_is_401(client: TestClient, inspector: Actor) -> None:
    sha = upload(client, inspector, PDF_BYTES).json()["sha256"]
    assert client.get(f"/api/v1/evidence/{sha}").status_code == 401
