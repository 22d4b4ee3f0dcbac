"""Step definitions of ``labels.feature`` (state passes through ``target_fixture``)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from PIL import Image
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import text
from sqlmodel import Session

from labeling.keycustody import KeyfileSigner
from labeling.labels.jobs import jobs
from tests.artwork.raster import decode, rasterise_svg_qr
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.labels.sheets import decoded_sheet
from verify.label_codec import parse_label_uri, verify_label_signature

scenarios("labels.feature")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Steps ask for fixtures lazily; requesting ``db_url`` here runs each scenario on
    SQLite and on PostgreSQL."""
    return db_url


BATCHES = "/api/v1/label-batches"


def _count(session: Session, sql: str) -> int:
    value = int(session.exec(text(sql)).one()[0])  # type: ignore[call-overload]
    session.rollback()
    return value


def _issue(
    client: TestClient, actor: Actor, cert: CertificateRef, quantity: int, key: str | None = None
) -> Any:
    headers = dict(actor.headers)
    if key:
        headers["Idempotency-Key"] = key
    return client.post(
        BATCHES,
        json={
            "certificate_id": cert.id,
            "product_line_id": cert.product_line_id,
            "quantity": quantity,
        },
        headers=headers,
    )


## Given


@given("the cooperative's certificate is suspended")
def certificate_suspended(session: Session, cert: CertificateRef) -> None:
    session.exec(text(f"UPDATE certificate SET status = 'suspended' WHERE id = {cert.id}"))  # type: ignore[call-overload]
    session.commit()


@given(
    parsers.parse("the inspector issued {count:d} labels for the cooperative's carpets"),
    target_fixture="batch",
)
def issued(labels_client: TestClient, inspector: Actor, cert: CertificateRef, count: int) -> Any:
    response = _issue(labels_client, inspector, cert, count)
    assert response.status_code == 201
    return response.json()


@given("one of them is revoked because it was stolen from the workshop", target_fixture="stolen")
def one_revoked(labels_client: TestClient, admin: Actor, batch: Any) -> Any:
    page = labels_client.get(
        "/api/v1/labels", params={"batch": batch["id"]}, headers=admin.headers
    ).json()
    label = page["items"][0]
    response = labels_client.post(
        f"/api/v1/labels/{label['id']}/revoke",
        json={"reason_code": "lost_or_stolen"},
        headers=admin.headers,
    )
    assert response.status_code == 200
    return label


## When


@when(
    parsers.parse("the inspector issues {count:d} labels for the cooperative's carpets"),
    target_fixture="batch",
)
def inspector_issues(
    labels_client: TestClient, inspector: Actor, cert: CertificateRef, count: int
) -> Any:
    response = _issue(labels_client, inspector, cert, count)
    assert response.status_code == 201, response.text
    return response.json()


@when(
    parsers.parse("the inspector tries to issue {count:d} labels for the cooperative's carpets"),
    target_fixture="answer",
)
def inspector_tries(
    labels_client: TestClient, inspector: Actor, cert: CertificateRef, count: int
) -> Any:
    return _issue(labels_client, inspector, cert, count)


@when(
    parsers.parse('the inspector issues {count:d} labels with the request key "{key}"'),
    target_fixture="first_answer",
)
def issue_with_key(
    labels_client: TestClient, inspector: Actor, cert: CertificateRef, count: int, key: str
) -> Any:
    response = _issue(labels_client, inspector, cert, count, key)
    assert response.status_code == 201
    return {"json": response.json(), "count": count, "key": key}


@when(
    "the inspector's connection drops and the same request is sent again",
    target_fixture="second_answer",
)
def retry(
    labels_client: TestClient, inspector: Actor, cert: CertificateRef, first_answer: Any
) -> Any:
    return _issue(labels_client, inspector, cert, first_answer["count"], first_answer["key"])


@when("the body suspends the certificate and later reinstates it")
def suspend_and_reinstate(labels_client: TestClient, admin: Actor, cert: CertificateRef) -> None:
    base = f"/api/v1/certificates/{cert.id}"
    for action, reason in (
        ("suspend", "surveillance_nonconformity"),
        ("reinstate", "corrective_action_closed"),
    ):
        response = labels_client.post(
            f"{base}/{action}", json={"reason_code": reason}, headers=admin.headers
        )
        assert response.status_code == 200, response.text


@when("the inspector prints the batch's label sheet for the print shop", target_fixture="sheet")
def print_sheet(labels_client: TestClient, inspector: Actor, batch: Any) -> bytes:
    """The PDF a print shop receives, downloaded as the inspector would."""
    response = labels_client.get(f"{BATCHES}/{batch['id']}/sheet.pdf", headers=inspector.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return response.content


@when(
    parsers.parse(
        "the inspector orders a print run of {count:d} labels for the cooperative's carpets"
    ),
    target_fixture="answer",
)
def order_print_run(
    labels_client: TestClient, inspector: Actor, cert: CertificateRef, count: int
) -> Any:
    return _issue(labels_client, inspector, cert, count)


## Then


@then(parsers.parse("{count:d} labels exist, each with its own serial and a valid signature"))
def labels_exist(
    labels_client: TestClient, inspector: Actor, batch: Any, count: int, signer: KeyfileSigner
) -> None:
    key = Ed25519PublicKey.from_public_bytes(signer.public_key_raw)
    serials: set[str] = set()
    offset: int | None = 0
    while offset is not None:
        page = labels_client.get(
            "/api/v1/labels",
            headers=inspector.headers,
            params={"batch": batch["id"], "limit": 200, "offset": offset},
        )
        body = page.json()
        for item in body["items"]:
            token = parse_label_uri(item["uri"])
            verify_label_signature(token, key)
            serials.add(token.serial)
        offset = body["next_offset"]
    assert len(serials) == count


@then("the transparency log holds one issuance entry per label")
def log_entries(session: Session, batch: Any) -> None:
    leaves = _count(session, "SELECT COUNT(*) FROM log_entry WHERE event_type = 'label.issued'")
    assert leaves == batch["quantity"]


@then(parsers.parse("the cooperative can download its {count:d} labels"))
def cooperative_downloads(labels_client: TestClient, artisan_user: Actor, count: int) -> None:
    page = labels_client.get("/api/v1/artisans/me/labels", headers=artisan_user.headers).json()
    assert page["total"] == count


@then("the artwork the cooperative downloads for a label scans back to that label")
def cooperative_artwork(labels_client: TestClient, artisan_user: Actor) -> None:
    [label] = labels_client.get(
        "/api/v1/artisans/me/labels", params={"limit": 1}, headers=artisan_user.headers
    ).json()["items"]
    svg = labels_client.get(
        f"/api/v1/labels/{label['id']}/artwork.svg", headers=artisan_user.headers
    )
    png = labels_client.get(
        f"/api/v1/labels/{label['id']}/artwork.png", headers=artisan_user.headers
    )
    assert (svg.status_code, png.status_code) == (200, 200)
    assert decode(rasterise_svg_qr(svg.text)) == [label["uri"]]
    with Image.open(io.BytesIO(png.content)) as image:
        assert decode(image) == [label["uri"]]


@then(parsers.parse('the inspector is told "{slug}"'))
def told(answer: Any, slug: str) -> None:
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/" + slug)


@then("no label exists")
def no_label(session: Session) -> None:
    assert _count(session, "SELECT COUNT(*) FROM label") == 0


@then("the second answer is the batch made the first time")
def same_batch(first_answer: Any, second_answer: Any) -> None:
    assert second_answer.status_code == 200
    assert second_answer.json() == first_answer["json"]


@then(parsers.parse("{count:d} labels exist"))
def count_labels(session: Session, count: int) -> None:
    assert _count(session, "SELECT COUNT(*) FROM label") == count


@then("the stolen label is still revoked")
def still_revoked(labels_client: TestClient, admin: Actor, batch: Any, stolen: Any) -> None:
    page = labels_client.get(
        "/api/v1/labels", params={"batch": batch["id"], "status": "revoked"}, headers=admin.headers
    ).json()
    assert [item["id"] for item in page["items"]] == [stolen["id"]]


@then(parsers.parse("the {count:d} other labels are active"))
def others_active(labels_client: TestClient, admin: Actor, batch: Any, count: int) -> None:
    page = labels_client.get(
        "/api/v1/labels", params={"batch": batch["id"], "status": "active"}, headers=admin.headers
    ).json()
    assert page["total"] == count


@then(parsers.parse("every QR code on the sheet decodes back to one of the {count:d} labels"))
def sheet_decodes(
    labels_client: TestClient, inspector: Actor, batch: Any, sheet: bytes, count: int
) -> None:
    uris: set[str] = set()
    offset: int | None = 0
    while offset is not None:
        body = labels_client.get(
            "/api/v1/labels",
            headers=inspector.headers,
            params={"batch": batch["id"], "limit": 200, "offset": offset},
        ).json()
        uris.update(item["uri"] for item in body["items"])
        offset = body["next_offset"]
    printed = decoded_sheet(sheet)
    assert len(printed) == count and set(printed) == uris


@then("the registry accepts the print run and says where to follow its progress")
def accepted(answer: Any) -> None:
    assert answer.status_code == 202, answer.text
    assert answer.headers["Location"] == f"{BATCHES}/{answer.json()['id']}"
    assert answer.json()["status"] in ("queued", "running", "completed")


@then(
    parsers.parse(
        "the print run completes with {count:d} labels, each with its issuance entry in the log"
    )
)
def print_run_completes(
    labels_client: TestClient, session: Session, inspector: Actor, answer: Any, count: int
) -> None:
    assert jobs.wait_idle(timeout=120)
    batch = labels_client.get(answer.headers["Location"], headers=inspector.headers).json()
    assert (batch["status"], batch["issued_count"], batch["quantity"]) == (
        "completed",
        count,
        count,
    )
    labels = _count(session, f"SELECT COUNT(*) FROM label WHERE batch_id = {batch['id']}")
    leaves = _count(session, "SELECT COUNT(*) FROM log_entry WHERE event_type = 'label.issued'")
    assert labels == leaves == count
