"""Evidence uploads are read only for an admitted caller, streamed to disk, and answered alike.

* An anonymous or wrong-role upload is refused before one byte of its body is read (the
  app is driven with raw ASGI messages, counting what its ``receive()`` hands out).
* An admitted upload is streamed to a temporary file in the evidence store and renamed to
  its content-addressed path: a 10 MiB upload never sits in memory (tracemalloc's peak).
* Over the limit, of the wrong type or interrupted: refused, and nothing is stored, on disk
  or in the database; past the limit nothing more is even written.
* The upload route has its own rate limit, charged before the caller is authenticated.
* Uploading bytes that another body (or the same one) already holds is answered exactly as
  uploading new bytes: nothing in the answer tells one body what another holds.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import tracemalloc
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from core.settings import Settings
from labeling.audits.evidence_store import IncomingFile
from schemas.audits import EvidenceBlob, EvidenceHolder
from tests.audits.helpers import JPEG_BYTES, PDF_BYTES, PNG_BYTES, count, problem_slug, upload
from tests.fixtures.actors import Actor

BOUNDARY = "khatem-test-boundary"
CHUNK = 64 * 1024


def _preamble(filename: str = "rapport.pdf") -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()


EPILOGUE = f"\r\n--{BOUNDARY}--\r\n".encode()


def multipart_chunks(content: bytes) -> list[bytes]:
    """A one-file multipart body holding ``content``, in network-sized chunks."""
    body = _preamble() + content + EPILOGUE
    return [body[i : i + CHUNK] for i in range(0, len(body), CHUNK)]


@dataclass
class AsgiResult:
    status: int
    headers: dict[str, str]
    body: bytes
    bytes_read: int  # body bytes the app pulled through receive()
    messages_read: int = 0


def call_asgi(
    app: FastAPI,
    chunks: Iterable[bytes],
    *,
    headers: dict[str, str] | None = None,
    content_length: int | None = None,
    disconnect_after: int | None = None,
) -> AsgiResult:
    """POST /api/v1/evidence straight through the ASGI interface, one chunk per receive().

    With ``disconnect_after``, the client goes away after that many chunks."""
    raw_headers = [
        (b"host", b"testserver"),
        (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
    ]
    if content_length is None:
        raw_headers.append((b"transfer-encoding", b"chunked"))
    else:
        raw_headers.append((b"content-length", str(content_length).encode()))
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/evidence",
        "raw_path": b"/api/v1/evidence",
        "root_path": "",
        "query_string": b"",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50123),
        "server": ("testserver", 80),
    }
    source: Iterator[bytes] = iter(chunks)
    result = AsgiResult(status=0, headers={}, body=b"", bytes_read=0)

    async def run() -> None:
        done = asyncio.Event()
        pending = next(source, None)

        async def receive() -> dict[str, Any]:
            nonlocal pending
            if disconnect_after is not None and result.messages_read >= disconnect_after:
                return {"type": "http.disconnect"}
            if pending is None:
                await done.wait()  # nothing more to send: wait for the answer
                return {"type": "http.disconnect"}
            chunk, pending = pending, next(source, None)
            result.messages_read += 1
            result.bytes_read += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": pending is not None}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                result.status = message["status"]
                result.headers = {k.decode(): v.decode() for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                result.body += message.get("body", b"")
                if not message.get("more_body", False):
                    done.set()

        await app(scope, receive, send)

    asyncio.run(run())
    return result


def stored_files(settings: Settings) -> list[Path]:
    root = settings.resolved_evidence_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- Credentials before the body -------------------------------------------------------------


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "chunked"])
def test_an_anonymous_upload_is_refused_before_its_body_is_read(
    app: FastAPI, settings: Settings, session: Session, announced: bool
) -> None:
    chunks = multipart_chunks(PDF_BYTES + b"\0" * (4 * 1024 * 1024))
    size = sum(map(len, chunks))
    result = call_asgi(app, chunks, content_length=size if announced else None)
    assert result.status == 401
    assert result.headers["content-type"] == "application/problem+json"
    assert result.bytes_read == 0 and result.messages_read == 0
    assert count(session, "evidence_blob") == 0
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("who", "status"),
    [("artisan_user", 403), ("bad_token", 401)],
)
def test_a_wrong_role_or_a_bad_token_is_refused_before_the_body_is_read(
    app: FastAPI, request: pytest.FixtureRequest, who: str, status: int
) -> None:
    if who == "bad_token":
        headers = {"Authorization": "Bearer kht_" + "x" * 43}
    else:
        headers = request.getfixturevalue(who).headers
    chunks = multipart_chunks(PDF_BYTES + b"\0" * (1024 * 1024))
    result = call_asgi(app, chunks, headers=headers, content_length=sum(map(len, chunks)))
    assert result.status == status
    assert result.bytes_read == 0


def test_an_admitted_upload_is_read_and_stored(
    app: FastAPI, inspector: Actor, settings: Settings
) -> None:
    content = PDF_BYTES + b"\0" * 300_000
    chunks = multipart_chunks(content)
    result = call_asgi(app, chunks, headers=inspector.headers)
    assert result.status == 201, result.body
    assert result.bytes_read == sum(map(len, chunks))
    sha = hashlib.sha256(content).hexdigest()
    assert stored_files(settings) == [settings.resolved_evidence_dir / sha[:2] / sha]
    assert (settings.resolved_evidence_dir / sha[:2] / sha).read_bytes() == content


# --- Bounded memory ----------------------------------------------------------------------------


def test_a_ten_mib_upload_is_streamed_not_held_in_memory(
    app: FastAPI, inspector: Actor, settings: Settings, session: Session
) -> None:
    block = b"\x5a" * CHUNK
    blocks = (settings.max_evidence_bytes - CHUNK) // CHUNK
    head = _preamble() + b"%PDF-1.7\n"
    upload_size = len(head) + blocks * CHUNK + len(EPILOGUE)
    assert upload_size > 9 * 1024 * 1024

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(blocks):
            yield block  # the same object each time: the test itself allocates nothing
        yield EPILOGUE

    # Warm up: the first request builds the middleware stack, compiles queries, etc.
    assert call_asgi(app, multipart_chunks(PNG_BYTES), headers=inspector.headers).status == 201

    tracemalloc.start()
    try:
        result = call_asgi(app, body(), headers=inspector.headers)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == 201, result.body
    assert result.bytes_read == upload_size
    # Buffering the body (as the request guard did) costs at least the upload's size; a
    # streamed upload costs a few network chunks plus the request's ordinary allocations.
    assert peak < upload_size // 8, f"peak {peak} bytes for a {upload_size}-byte upload"

    expected = hashlib.sha256(b"%PDF-1.7\n")
    for _ in range(blocks):
        expected.update(block)
    sha = expected.hexdigest()
    assert json.loads(result.body)["sha256"] == sha
    assert (settings.resolved_evidence_dir / sha[:2] / sha).stat().st_size == 9 + blocks * CHUNK


# --- Refused uploads leave nothing behind ------------------------------------------------------


@pytest.fixture
def small_limit_app(settings: Settings) -> FastAPI:
    from main import create_app

    return create_app(settings.model_copy(update={"max_evidence_bytes": 1024}))


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of every write to an incoming evidence file."""
    sizes: list[int] = []
    original = IncomingFile.write

    def write(self: IncomingFile, pieces: Iterable[bytes]) -> None:
        pieces = list(pieces)
        sizes.extend(len(piece) for piece in pieces)
        original(self, pieces)

    monkeypatch.setattr(IncomingFile, "write", write)
    return sizes


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "chunked"])
def test_over_the_limit_is_413_and_nothing_is_stored(
    small_limit_app: FastAPI,
    inspector: Actor,
    settings: Settings,
    session: Session,
    written: list[int],
    announced: bool,
) -> None:
    chunks = multipart_chunks(PDF_BYTES + b"0" * 40_000)
    size = sum(map(len, chunks))
    result = call_asgi(
        small_limit_app,
        [bytes(c[i : i + 512]) for c in chunks for i in range(0, len(c), 512)],
        headers=inspector.headers,
        content_length=size if announced else None,
    )
    assert result.status == 413
    problem = json.loads(result.body)
    assert problem["type"].endswith("/evidence-too-large") and problem["limit"] == 1024
    assert sum(written) <= 1024  # nothing past the limit was ever written
    assert count(session, "evidence_blob") == 0
    assert stored_files(settings) == []


def test_content_of_the_wrong_type_leaves_nothing_on_disk(
    client: TestClient, inspector: Actor, settings: Settings, session: Session
) -> None:
    response = upload(client, inspector, b"MZ\x90\x00" + b"\0" * 100_000)
    assert response.status_code == 415
    assert problem_slug(response) == "unsupported-evidence-type"
    assert count(session, "evidence_blob") == 0
    assert stored_files(settings) == []


def test_an_interrupted_upload_leaves_nothing_on_disk(
    app: FastAPI, inspector: Actor, settings: Settings, session: Session
) -> None:
    chunks = multipart_chunks(PDF_BYTES + b"\0" * 500_000)
    result = call_asgi(app, chunks, headers=inspector.headers, disconnect_after=3)
    assert result.messages_read == 3
    assert result.status == 400  # nobody is listening, but it is not a 500
    assert count(session, "evidence_blob") == 0
    assert stored_files(settings) == []


def test_several_files_in_one_upload_are_refused(
    client: TestClient, inspector: Actor, session: Session
) -> None:
    response = client.post(
        "/api/v1/evidence",
        files=[("file", ("a.pdf", PDF_BYTES)), ("file", ("b.png", PNG_BYTES))],
        headers=inspector.headers,
    )
    assert response.status_code == 422
    assert problem_slug(response) == "one-file-per-upload"
    assert count(session, "evidence_blob") == 0


def test_a_truncated_multipart_body_is_400(client: TestClient, inspector: Actor) -> None:
    body = _preamble() + PDF_BYTES  # no closing boundary
    response = client.post(
        "/api/v1/evidence",
        content=body,
        headers={
            **inspector.headers,
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        },
    )
    assert response.status_code == 400
    assert problem_slug(response) == "malformed-multipart"


def test_other_form_fields_are_ignored(client: TestClient, inspector: Actor) -> None:
    response = client.post(
        "/api/v1/evidence",
        data={"note": "photo du métier"},
        files={"file": ("metier.jpg", JPEG_BYTES, "image/jpeg")},
        headers=inspector.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["sha256"] == hashlib.sha256(JPEG_BYTES).hexdigest()


# --- Rate limit -------------------------------------------------------------------------------


@pytest.fixture
def tight_client(settings: Settings) -> Iterator[TestClient]:
    from main import create_app

    tight = settings.model_copy(
        update={"rate_limit_evidence_burst": 2, "rate_limit_evidence_per_minute": 0}
    )
    with TestClient(create_app(tight), raise_server_exceptions=False) as test_client:
        yield test_client


def test_uploads_are_rate_limited_per_client(tight_client: TestClient, inspector: Actor) -> None:
    assert upload(tight_client, inspector, PDF_BYTES).status_code == 201
    assert upload(tight_client, inspector, PNG_BYTES).status_code == 201
    refused = upload(tight_client, inspector, JPEG_BYTES)
    assert refused.status_code == 429
    assert problem_slug(refused) == "rate-limited"
    assert int(refused.headers["retry-after"]) >= 1
    # Other routes keep their own budgets.
    assert tight_client.get("/api/v1/auth/me", headers=inspector.headers).status_code == 200


def test_anonymous_uploads_spend_the_budget_before_authentication(
    tight_client: TestClient, inspector: Actor
) -> None:
    files = {"file": ("a.pdf", PDF_BYTES, "application/pdf")}
    assert tight_client.post("/api/v1/evidence", files=files).status_code == 401
    assert tight_client.post("/api/v1/evidence", files=files).status_code == 401
    assert tight_client.post("/api/v1/evidence", files=files).status_code == 429
    assert upload(tight_client, inspector, PDF_BYTES).status_code == 429  # same address


# --- Stored on disk, read back ----------------------------------------------------------------


def test_the_file_is_on_disk_and_the_row_holds_only_its_metadata(
    client: TestClient, inspector: Actor, settings: Settings, session: Session
) -> None:
    sha = upload(client, inspector, PNG_BYTES).json()["sha256"]
    assert (settings.resolved_evidence_dir / sha[:2] / sha).read_bytes() == PNG_BYTES
    blob = session.get(EvidenceBlob, sha)
    assert blob is not None and blob.size == len(PNG_BYTES) and bytes(blob.data) == b""
    session.rollback()
    response = client.get(f"/api/v1/evidence/{sha}", headers=inspector.headers)
    assert response.status_code == 200
    assert response.content == PNG_BYTES
    assert response.headers["content-length"] == str(len(PNG_BYTES))
    assert "last-modified" not in response.headers and "etag" not in response.headers


def test_evidence_stored_in_the_database_before_is_still_served(
    client: TestClient, inspector: Actor, session: Session
) -> None:
    sha = hashlib.sha256(JPEG_BYTES).hexdigest()
    session.add(
        EvidenceBlob(
            sha256=sha,
            size=len(JPEG_BYTES),
            media_type="image/jpeg",
            data=JPEG_BYTES,
            uploaded_by=inspector.id,
            body_id=inspector.body_id,
        )
    )
    # ... and its body holds it, as migration 0005 recorded for every row stored before.
    assert inspector.body_id is not None
    session.add(
        EvidenceHolder(sha256=sha, body_id=inspector.body_id, first_uploaded_by=inspector.id)
    )
    session.commit()
    response = client.get(f"/api/v1/evidence/{sha}", headers=inspector.headers)
    assert response.status_code == 200
    assert response.content == JPEG_BYTES


def test_a_file_missing_from_the_store_is_503_not_500(
    client: TestClient, inspector: Actor, settings: Settings
) -> None:
    sha = upload(client, inspector, PDF_BYTES).json()["sha256"]
    (settings.resolved_evidence_dir / sha[:2] / sha).unlink()
    response = client.get(f"/api/v1/evidence/{sha}", headers=inspector.headers)
    assert response.status_code == 503
    assert problem_slug(response) == "evidence-unavailable"


# --- Deduplication does not tell one body what another holds --------------------------------


def _answer(response: Any) -> tuple[int, dict[str, str], Any]:
    return response.status_code, dict(response.headers), response.json()


def test_bytes_held_by_another_body_are_answered_like_new_bytes(
    client: TestClient, inspector: Actor, madmoun_inspector: Actor, session: Session
) -> None:
    # Two files of the same size and type, so that even Content-Length may be compared.
    held = PDF_BYTES
    fresh = PDF_BYTES.replace(b"1.7", b"1.6")
    assert len(held) == len(fresh) and held != fresh

    upload(client, inspector, held)  # the other body's file (body of `inspector`)

    new_bytes = upload(client, madmoun_inspector, fresh)
    others_bytes = upload(client, madmoun_inspector, held)
    assert new_bytes.status_code == 201
    assert others_bytes.status_code == 201
    status, headers, body = _answer(others_bytes)
    new_status, new_headers, new_body = _answer(new_bytes)
    assert (status, headers) == (new_status, new_headers)
    assert set(body) == set(new_body) == {"sha256", "size", "media_type"}
    assert body == {
        "sha256": hashlib.sha256(held).hexdigest(),
        "size": len(held),
        "media_type": "application/pdf",
    }
    assert count(session, "evidence_blob") == 2


def test_a_body_uploading_its_own_bytes_again_gets_the_same_answer(
    client: TestClient, inspector: Actor, admin: Actor
) -> None:
    first = upload(client, inspector, JPEG_BYTES)
    again = upload(client, inspector, JPEG_BYTES)
    colleague = upload(client, admin, JPEG_BYTES)
    assert _answer(first) == _answer(again) == _answer(colleague)
    assert first.status_code == 201
