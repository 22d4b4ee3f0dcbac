"""What the administrator's pages need from the API, in the API too (anything the workspace
does, the API does): certificates filtered by craft and read in keyset pages, label
batches listed (a keyset page, by status: those still being issued)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.fixtures.actors import Actor
from tests.labels.batches import post_batch
from tests.labels.fixtures import *  # noqa: F403  (the label fixtures)
from tests.labels.fixtures import CertificateRef, make_certificate, queued_batch

CERTIFICATES = "/api/v1/certificates"
BATCHES = "/api/v1/label-batches"


def _codes(client: TestClient, actor: Actor, query: str) -> list[int]:
    response = client.get(f"{CERTIFICATES}?{query}", headers=actor.headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_certificates_in_keyset_pages_and_by_craft(
    client: TestClient,
    session: Session,
    admin: Actor,
    inspector: Actor,
    artisan: Actor,
    other_artisan: Actor,
) -> None:
    made = [
        make_certificate(session, inspector=inspector, workshop=artisan, code=0x1000 + n).id
        for n in range(5)
    ]
    newest_first = list(reversed(made))
    seen: list[int] = []
    cursor = ""
    for _ in range(5):
        response = client.get(f"{CERTIFICATES}?limit=2{cursor}", headers=admin.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = "&cursor=" + page["next_cursor"]
    assert seen == newest_first
    # The craft is the artisan's filière: the weavers' certificates are F01's, none F04's.
    assert _codes(client, admin, "craft=F01&limit=100") == newest_first
    assert _codes(client, admin, "craft=F04") == []
    bad = client.get(f"{CERTIFICATES}?cursor=bm9wZQ", headers=admin.headers)
    assert bad.status_code == 422
    assert bad.json()["type"].endswith("certificate-cursor-invalid")


def test_label_batches_of_my_body_newest_first(
    labels_client: TestClient,
    session: Session,
    db_url: str,
    admin: Actor,
    other_admin: Actor,
    inspector: Actor,
    certificate: CertificateRef,
    artisan_user: Actor,
) -> None:
    issued = [post_batch(labels_client, admin, certificate, 3).json()["id"] for _ in range(3)]
    waiting = queued_batch(db_url, certificate, inspector, 5000)
    response = labels_client.get(f"{BATCHES}?limit=2", headers=admin.headers)
    assert response.status_code == 200, response.text
    first = response.json()
    assert [b["id"] for b in first["items"]] == [waiting, issued[2]]
    rest = labels_client.get(
        f"{BATCHES}?limit=2&cursor={first['next_cursor']}", headers=admin.headers
    ).json()
    assert [b["id"] for b in rest["items"]] == [issued[1], issued[0]]
    assert rest["next_cursor"] is None
    # Those still being issued: the queued job only.
    running = labels_client.get(
        f"{BATCHES}?status=queued&status=running", headers=admin.headers
    ).json()
    assert [b["id"] for b in running["items"]] == [waiting]
    # Another body sees none of them; the artisan sees its completed ones only.
    assert labels_client.get(BATCHES, headers=other_admin.headers).json()["items"] == []
    own = labels_client.get(BATCHES, headers=artisan_user.headers).json()
    assert sorted(b["id"] for b in own["items"]) == sorted(issued)
    bad = labels_client.get(f"{BATCHES}?cursor=eHl6", headers=admin.headers)
    assert bad.status_code == 422
