"""Every body that uploads a file holds it; a body reads and cites only the files it holds.

* Body A (``inspector``, CHAMBRE-MA-08) uploads a file first. Body B (``madmoun_inspector``,
  CHAMBRE-MA-07) uploads the same bytes afterwards: from then on B reads and cites the file
  exactly as it would had it been first.
* Body C (``stranger``, CHAMBRE-MA-01) never uploads it. To C the hash is indistinguishable
  from one stored nowhere: the same 404 on download, the same ``unknown-evidence`` problem
  on citation, and a refused citation gives it no access.
* Bodies uploading the same bytes at the same moment all get 201 and all hold the file.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from labeling.audits.evidence_store import EvidenceStore, IncomingFile
from schemas.catalog import LabelScheme
from schemas.registry import Body, InspectorAuthorisation
from schemas.types import Role
from tests.audits.helpers import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    audit_body,
    madmoun_findings,
    problem_slug,
    record_audit,
    register_workshop,
    submit_audit,
    upload,
)
from tests.fixtures.actors import Actor, make_user

# Headers that differ between two responses for reasons of their own (none today).
_PER_RESPONSE_HEADERS = {"date", "x-request-id"}


def _whole(response: httpx.Response, *, replace: tuple[str, str] | None = None) -> Any:
    """Everything a client sees of a response; ``replace`` swaps one string in its body."""
    headers = {k: v for k, v in response.headers.items() if k not in _PER_RESPONSE_HEADERS}
    body = response.content
    if replace is not None:
        old, new = replace
        body = body.replace(old.encode(), new.encode())
        headers = {k: v.replace(old, new) for k, v in headers.items()}
    return response.status_code, headers, body


def _get(client: TestClient, actor: Actor, sha: str) -> httpx.Response:
    return client.get(f"/api/v1/evidence/{sha}", headers=actor.headers)


@pytest.fixture
def third_body(session: Session) -> Body:
    body = session.exec(select(Body).where(Body.code == "CHAMBRE-MA-01")).one()
    session.rollback()
    return body


@pytest.fixture
def stranger(session: Session, third_body: Body) -> Actor:
    """An inspector of a third body, authorised for the carpet schemes."""
    granter = make_user(
        session, email="admin.tanger@khatem.test", role=Role.ADMIN, body_id=third_body.id
    )
    actor = make_user(
        session, email="inspecteur.tanger@khatem.test", role=Role.INSPECTOR, body_id=third_body.id
    )
    for scheme in session.exec(select(LabelScheme)).all():
        if scheme.code.startswith("TAPIS-"):
            assert scheme.id is not None
            session.add(
                InspectorAuthorisation(
                    inspector_id=actor.id, scheme_id=scheme.id, granted_by=granter.id
                )
            )
    session.commit()
    return actor


@pytest.fixture
def stranger_workshop(session: Session, third_body: Body) -> Actor:
    assert third_body.id is not None
    return register_workshop(
        session,
        body_id=third_body.id,
        nia="NIA-01-000321",
        public_id="TANGER1TAP",
        latin="Atelier Tanger",
        region="MA-01",
        filiere="F01",
        metier="Tapis noué main",
        city="Tanger",
        product=("tapis", "Tapis du Rif"),
    )


# --- A second uploader is a holder, exactly like the first -----------------------------------


def test_a_second_uploader_reads_the_file_exactly_as_the_first(
    client: TestClient, inspector: Actor, madmoun_inspector: Actor
) -> None:
    first = upload(client, inspector, PDF_BYTES)
    second = upload(client, madmoun_inspector, PDF_BYTES)
    assert _whole(first) == _whole(second)
    assert first.status_code == 201
    sha = first.json()["sha256"]

    theirs = _get(client, madmoun_inspector, sha)
    assert theirs.status_code == 200, theirs.text
    assert theirs.content == PDF_BYTES
    assert _whole(theirs) == _whole(_get(client, inspector, sha))


def test_every_member_of_a_holding_body_reads_the_file(
    client: TestClient, inspector: Actor, madmoun_inspector: Actor, other_admin: Actor
) -> None:
    sha = upload(client, inspector, PNG_BYTES).json()["sha256"]
    upload(client, madmoun_inspector, PNG_BYTES)
    # other_admin is of B's body and uploaded nothing itself.
    assert _get(client, other_admin, sha).status_code == 200


def test_a_second_uploader_cites_the_file_and_its_audits_readers_read_it(
    client: TestClient,
    inspector: Actor,
    madmoun_inspector: Actor,
    potter: Actor,
    potter_user: Actor,
) -> None:
    sha = upload(client, inspector, JPEG_BYTES).json()["sha256"]
    assert upload(client, madmoun_inspector, JPEG_BYTES).status_code == 201
    audit = record_audit(
        client,
        madmoun_inspector,
        potter,
        scheme="MADMOUN",
        findings=madmoun_findings(0.1),
        evidence=[{"sha256": sha, "filename": "four.jpg"}],
    )
    assert [e["sha256"] for e in audit["evidence"]] == [sha]
    assert _get(client, potter_user, sha).status_code == 200


# --- A body that never uploaded the bytes learns nothing about them --------------------------


def test_a_body_that_never_uploaded_a_file_gets_the_404_of_a_hash_stored_nowhere(
    client: TestClient, inspector: Actor, madmoun_inspector: Actor, stranger: Actor
) -> None:
    held = upload(client, inspector, PDF_BYTES).json()["sha256"]
    upload(client, madmoun_inspector, PDF_BYTES)  # two holders, neither of them C
    nowhere = hashlib.sha256(b"stored nowhere").hexdigest()

    refused = _get(client, stranger, held)
    assert refused.status_code == 404
    assert problem_slug(refused) == "evidence-not-found"
    assert _whole(refused, replace=(held, nowhere)) == _whole(_get(client, stranger, nowhere))


def test_citing_a_file_the_body_does_not_hold_is_answered_as_for_a_hash_stored_nowhere(
    client: TestClient,
    inspector: Actor,
    stranger: Actor,
    stranger_workshop: Actor,
) -> None:
    held = upload(client, inspector, PDF_BYTES).json()["sha256"]
    nowhere = hashlib.sha256(b"stored nowhere").hexdigest()

    def cite(sha: str) -> httpx.Response:
        evidence = [{"sha256": sha, "filename": "rapport.pdf"}]
        return submit_audit(client, stranger, audit_body(stranger_workshop, evidence=evidence))

    refused = cite(held)
    assert refused.status_code == 422, refused.text
    assert problem_slug(refused) == "unknown-evidence"
    assert refused.json()["unknown"] == [held]
    assert _whole(refused, replace=(held, nowhere)) == _whole(cite(nowhere))
    # The refused citation gave C no access either.
    assert _get(client, stranger, held).status_code == 404
    assert client.get("/api/v1/audits", headers=stranger.headers).json()["total"] == 0


def test_uploading_the_bytes_makes_the_stranger_a_holder(
    client: TestClient, inspector: Actor, stranger: Actor, stranger_workshop: Actor
) -> None:
    sha = upload(client, inspector, PDF_BYTES).json()["sha256"]
    assert _get(client, stranger, sha).status_code == 404
    assert upload(client, stranger, PDF_BYTES).status_code == 201
    assert _get(client, stranger, sha).status_code == 200
    record_audit(
        client, stranger, stranger_workshop, evidence=[{"sha256": sha, "filename": "r.pdf"}]
    )


# --- Concurrent uploads of the same bytes ----------------------------------------------------


@pytest.fixture
def uploads_meet(monkeypatch: pytest.MonkeyPatch) -> threading.Barrier:
    """Holds each upload, its file in place and nothing yet in the database, until all
    three of a round are there, so that their database work starts at the same moment."""
    barrier = threading.Barrier(3, timeout=30)
    keep = EvidenceStore.keep

    def meet(self: EvidenceStore, file: IncomingFile) -> None:
        keep(self, file)
        barrier.wait()

    monkeypatch.setattr(EvidenceStore, "keep", meet)
    return barrier


def test_concurrent_uploads_of_the_same_bytes_all_succeed_and_all_hold_it(
    client: TestClient,
    inspector: Actor,
    admin: Actor,
    madmoun_inspector: Actor,
    uploads_meet: threading.Barrier,
) -> None:
    uploaders = (inspector, admin, madmoun_inspector)  # two of body A, one of body B
    files = (PDF_BYTES, PNG_BYTES, JPEG_BYTES)  # three rounds, bytes new to each
    with ThreadPoolExecutor(max_workers=len(uploaders)) as pool:
        for data in files:
            answers = list(pool.map(upload, [client] * 3, uploaders, [data] * 3))
            assert [a.status_code for a in answers] == [201, 201, 201], [a.text for a in answers]
            assert all(_whole(a) == _whole(answers[0]) for a in answers)
    assert not uploads_meet.broken
    for data in files:
        sha = hashlib.sha256(data).hexdigest()
        for reader in uploaders:
            assert _get(client, reader, sha).status_code == 200
