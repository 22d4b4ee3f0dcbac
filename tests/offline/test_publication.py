"""The registry publishes signed, cacheable status snapshots that verifiers accept."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.fixtures.actors import Actor
from tests.offline.fixtures import TajineWorkshop
from tests.verification.fixtures import issue
from verify.label_codec import parse_label_uri
from verify.offline import parse_root_key
from verify.snapshot import (
    label_hash,
    verify_certificate_snapshot,
    verify_label_status_snapshot,
)

LABELS = "/.well-known/khatem/status/labels.json"
CERTIFICATES = "/.well-known/khatem/status/certificates.json"


def _label_ids(client: TestClient, actor: Actor) -> dict[str, int]:
    page = client.get("/api/v1/labels", params={"limit": 200}, headers=actor.headers)
    assert page.status_code == 200, page.text
    return {item["serial"]: item["id"] for item in page.json()["items"]}


def _change(client: TestClient, actor: Actor, label_id: int, action: str, reason: str) -> None:
    response = client.post(
        f"/api/v1/labels/{label_id}/{action}", json={"reason_code": reason}, headers=actor.headers
    )
    assert response.status_code == 200, response.text


def test_a_revoked_label_appears_in_the_signed_label_snapshot(
    verify_client: TestClient, tajine_workshop: TajineWorkshop, root_vkey: str
) -> None:
    root = parse_root_key(root_vkey)[0]
    uris = issue(verify_client, tajine_workshop.inspector, tajine_workshop.certificate, 3)
    tokens = [parse_label_uri(uri) for uri in uris]
    before = verify_label_status_snapshot(verify_client.get(LABELS).content, root_public_key=root)
    assert before.listed == {}
    assert before.total_labels == 3
    ids = _label_ids(verify_client, tajine_workshop.inspector)
    _change(
        verify_client, tajine_workshop.inspector, ids[tokens[0].serial], "revoke", "lost_or_stolen"
    )
    _change(
        verify_client,
        tajine_workshop.inspector,
        ids[tokens[1].serial],
        "suspend",
        "inspection_hold",
    )
    after = verify_label_status_snapshot(verify_client.get(LABELS).content, root_public_key=root)
    assert after.listed == {
        label_hash(tokens[0].gtin, tokens[0].serial): ("revoked", "lost_or_stolen"),
        label_hash(tokens[1].gtin, tokens[1].serial): ("suspended", "inspection_hold"),
    }


def test_the_certificate_snapshot_holds_public_facts_and_nothing_personal(
    verify_client: TestClient, tajine_workshop: TajineWorkshop, root_vkey: str
) -> None:
    response = verify_client.get(CERTIFICATES)
    assert response.status_code == 200
    snapshot = verify_certificate_snapshot(
        response.content, root_public_key=parse_root_key(root_vkey)[0]
    )
    facts = snapshot.certificates[tajine_workshop.certificate.code]
    assert facts.status == "active"
    assert facts.conformity.scheme_code == "MADMOUN"
    assert facts.conformity.audit_outcome == "pass"
    assert facts.artisan.region_code == "MA-07"
    assert facts.artisan.display_name_latin and facts.artisan.display_name_arabic
    body = response.text
    for private in ("CIN-", "+212600000000", "Derb ", "NIA-", "national_id", "phone", "address"):
        assert private not in body


def test_a_suspended_certificate_shows_in_the_next_snapshot(
    verify_client: TestClient, tajine_workshop: TajineWorkshop, root_vkey: str, session: object
) -> None:
    from tests.verification.fixtures import sql

    root = parse_root_key(root_vkey)[0]
    code = tajine_workshop.certificate.code
    first = verify_certificate_snapshot(
        verify_client.get(CERTIFICATES).content, root_public_key=root
    )
    assert first.certificates[code].status == "active"
    sql(
        session,  # type: ignore[arg-type]
        "UPDATE certificate SET status = 'suspended', status_changed_at = CURRENT_TIMESTAMP "
        "WHERE id = :id",
        id=tajine_workshop.certificate.id,
    )
    second = verify_certificate_snapshot(
        verify_client.get(CERTIFICATES).content, root_public_key=root
    )
    assert second.certificates[code].status == "suspended"


def test_snapshots_are_cacheable_and_revalidate_with_304(
    verify_client: TestClient, tajine_workshop: TajineWorkshop
) -> None:
    for path in (LABELS, CERTIFICATES):
        first = verify_client.get(path)
        assert first.status_code == 200
        assert first.headers["content-type"] == "application/json"
        assert first.headers["cache-control"] == "public, max-age=300"
        etag = first.headers["etag"]
        again = verify_client.get(path)
        assert again.headers["etag"] == etag and again.content == first.content
        not_modified = verify_client.get(path, headers={"If-None-Match": etag})
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        other = verify_client.get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200


def test_a_status_change_changes_the_etag(
    verify_client: TestClient, tajine_workshop: TajineWorkshop
) -> None:
    uris = issue(verify_client, tajine_workshop.inspector, tajine_workshop.certificate, 1)
    etag = verify_client.get(LABELS).headers["etag"]
    ids = _label_ids(verify_client, tajine_workshop.inspector)
    serial = parse_label_uri(uris[0]).serial
    _change(verify_client, tajine_workshop.inspector, ids[serial], "revoke", "damaged")
    response = verify_client.get(LABELS, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["etag"] != etag


def test_snapshots_are_gzipped_for_clients_that_accept_it(
    verify_client: TestClient, tajine_workshop: TajineWorkshop, root_vkey: str
) -> None:
    root = parse_root_key(root_vkey)[0]
    plain = verify_client.get(CERTIFICATES, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    zipped = verify_client.get(CERTIFICATES, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert zipped.content == plain.content  # decoded by the client: the signed bytes
    verify_certificate_snapshot(zipped.content, root_public_key=root)
    revalidated = verify_client.get(
        CERTIFICATES,
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"]},
    )
    assert revalidated.status_code == 304


def test_a_snapshot_is_re_signed_once_it_has_aged(
    verify_client: TestClient, tajine_workshop: TajineWorkshop, session: object, settings: object
) -> None:
    from datetime import timedelta

    from labeling.snapshots.publication import REISSUE_AFTER, current_label_snapshot
    from schemas.types import utcnow

    now = utcnow()
    first = current_label_snapshot(session, settings, now=now)  # type: ignore[arg-type]
    same = current_label_snapshot(session, settings, now=now + REISSUE_AFTER / 2)  # type: ignore[arg-type]
    later = current_label_snapshot(
        session, settings, now=now + REISSUE_AFTER + timedelta(seconds=1)
    )  # type: ignore[arg-type]
    assert same is first
    assert later.issued_at > first.issued_at and later.etag != first.etag


def test_a_certificate_issued_and_suspended_through_the_api_shows_its_audit_and_reason(
    client: TestClient,
    prepared: list[str],
    root_vkey: str,
    madmoun_inspector: Actor,
    other_admin: Actor,
    potter: Actor,
    snapshots_reset: None,
) -> None:
    from tests.audits.helpers import issue_certificate, madmoun_findings

    issued = issue_certificate(
        client, madmoun_inspector, potter, scheme="MADMOUN", findings=madmoun_findings(0.3)
    )
    response = client.post(
        f"/api/v1/certificates/{issued['id']}/suspend",
        json={"reason_code": "artisan_request"},
        headers=other_admin.headers,
    )
    assert response.status_code == 200, response.text
    snapshot = verify_certificate_snapshot(
        client.get(CERTIFICATES).content, root_public_key=parse_root_key(root_vkey)[0]
    )
    (facts,) = snapshot.certificates.values()
    assert facts.status == "suspended"
    assert facts.status_reason == "artisan_request"
    assert facts.conformity.scheme_code == "MADMOUN"
    assert set(facts.conformity.criteria_met) == {
        "lead_release",
        "cadmium_release",
        "food_contact_declaration",
    }
    assert facts.conformity.standards  # the scheme's standards, with their titles
    assert all(standard.title for standard in facts.conformity.standards)


def test_concurrent_requests_for_a_stale_snapshot_build_it_once(
    verify_client: TestClient,
    tajine_workshop: TajineWorkshop,
    session: object,
    settings: object,
    monkeypatch: object,
) -> None:
    """Building a snapshot reads every listed label and counts every label (seconds on a
    registry of tens of millions): a burst of requests as a snapshot ages or after a status
    change must not run that once per request (a public, unauthenticated stampede)."""
    import threading
    import time

    import labeling.snapshots.publication as publication
    from core.db import read_session
    from labeling.keyrecords.opening import root_signer
    from schemas.types import utcnow

    signer = root_signer(session, settings)  # type: ignore[arg-type]
    monkeypatch.setattr(publication, "root_signer", lambda *_: signer)  # type: ignore[attr-defined]
    publication.forget_snapshots()
    built: list[int] = []
    document = {"version": 1, "kind": "test", "issued_at": "2026-01-01T00:00:00Z"}

    def build(at: object) -> dict[str, object]:
        built.append(1)
        time.sleep(0.3)
        return document

    now = utcnow()
    results: list[object] = []

    session.rollback()  # type: ignore[attr-defined]  # on SQLite: release the writer lock

    def request() -> None:
        with read_session(settings.resolved_database_url) as own:  # type: ignore[attr-defined]
            results.append(publication._publish(own, settings, "labels", (7,), build, now))  # type: ignore[arg-type]

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and len({id(result) for result in results}) == 1
    assert len(built) == 1


def test_snapshots_are_rate_limited_per_client(
    verify_client: TestClient, tajine_workshop: TajineWorkshop, settings: object
) -> None:
    """Each request costs fingerprint queries even when the signed copy is cached."""
    from main import create_app

    strict = settings.model_copy(  # type: ignore[attr-defined]
        update={"rate_limit_pages_burst": 2, "rate_limit_pages_per_minute": 1}
    )
    with TestClient(create_app(strict), raise_server_exceptions=False) as client:
        answers = [client.get(path) for path in (LABELS, CERTIFICATES, LABELS)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[2].headers["retry-after"]) >= 1
