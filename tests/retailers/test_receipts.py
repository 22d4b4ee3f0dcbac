"""Receipts recorded by retailers: binding, idempotence, marks, refusals, paging, atomicity."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from labeling.retailers import receipts as receipts_module
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import RetailerRef, issue_labels

URL = "/api/v1/receipts"


def _receive(
    client: TestClient,
    retailer: RetailerRef,
    uris: list[str],
    shipment: str = "DESADV-1",
    **kw: Any,
) -> dict[str, Any]:
    body = {"shipment_ref": shipment, "labels": uris, **kw}
    response = client.post(URL, json=body, headers=retailer.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _rows(session: Session, sql: str) -> list[tuple[Any, ...]]:
    rows = [tuple(row) for row in session.exec(text(sql)).all()]  # type: ignore[call-overload]
    session.rollback()
    return rows


def test_first_receipt_binds_and_a_repeat_answers_the_same(
    verify_client: TestClient,
    session: Session,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
) -> None:
    uris = [str(label["uri"]) for label in issue_labels(verify_client, admin, certificate, 3)]
    first = _receive(verify_client, galeries, uris, country="FR")
    assert first["recorded"] == 3 and first["refused"] == 0, first
    receipt = first["items"][0]["receipt"]
    assert receipt["binds"] is True and receipt["country"] == "FR"
    assert receipt["verdict"] == "AUTHENTIC" and receipt["marks"] == []
    again = _receive(verify_client, galeries, uris, country="FR")
    assert again == first
    later = _receive(verify_client, galeries, uris[:1], shipment="DESADV-2", country="BE")
    assert later["items"][0]["receipt"] == receipt  # the first receipt, unchanged
    assert _rows(session, "SELECT count(*) FROM receipt") == [(3,)]
    assert _rows(session, "SELECT count(*) FROM label_mark") == [(0,)]


def test_a_second_retailer_marks_the_label(
    verify_client: TestClient,
    session: Session,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
    corte: RetailerRef,
) -> None:
    [uri] = [str(label["uri"]) for label in issue_labels(verify_client, admin, certificate, 1)]
    _receive(verify_client, galeries, [uri])
    second = _receive(verify_client, corte, [uri], shipment="ALB-77")
    receipt = second["items"][0]["receipt"]
    assert receipt["binds"] is False and receipt["country"] == "ES"  # the account's country
    assert receipt["marks"] == ["received_by_two_retailers"]
    assert _receive(verify_client, corte, [uri], shipment="ALB-77") == second
    marks = _rows(session, "SELECT reason, retailer_id FROM label_mark")
    assert marks == [("received_by_two_retailers", corte.id)]


def test_the_same_label_twice_in_one_shipment_is_marked_once(
    verify_client: TestClient,
    session: Session,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
) -> None:
    uri, other = (str(label["uri"]) for label in issue_labels(verify_client, admin, certificate, 2))
    answer = _receive(verify_client, galeries, [uri, other, uri])
    assert answer["recorded"] == 3
    first, second, third = (item["receipt"] for item in answer["items"])
    assert first == third and first["marks"] == ["received_twice_in_one_shipment"]
    assert second["marks"] == []
    assert _receive(verify_client, galeries, [uri, other, uri]) == answer
    assert _rows(session, "SELECT reason FROM label_mark") == [("received_twice_in_one_shipment",)]


def test_unknown_and_forged_labels_are_refused_item_by_item(
    verify_client: TestClient,
    session: Session,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
) -> None:
    [uri] = [str(label["uri"]) for label in issue_labels(verify_client, admin, certificate, 1)]
    forged = uri[:-3] + ("000" if not uri.endswith("000") else "111")
    answer = _receive(verify_client, galeries, [uri, "not a label", forged, ""])
    outcomes = [(item["outcome"], bool(item["reasons"])) for item in answer["items"]]
    assert outcomes == [
        ("recorded", False),
        ("refused", True),
        ("refused", True),
        ("refused", True),
    ]
    assert answer["recorded"] == 1 and answer["refused"] == 3
    assert _rows(session, "SELECT count(*) FROM receipt") == [(1,)]


@pytest.mark.parametrize(
    "body",
    [
        {"shipment_ref": "S", "labels": []},
        {"shipment_ref": "", "labels": ["x"]},
        {"shipment_ref": "S", "labels": ["x"], "country": "fr"},
        {"shipment_ref": "S", "labels": ["x"], "country": "FRA"},
        {"shipment_ref": "S", "labels": ["x"], "received_at": "2026-01-01T00:00:00"},
        {"shipment_ref": "S", "labels": ["x"], "retailer_id": 1},
        {"shipment_ref": "S", "labels": ["x"] * 1001},
        {"shipment_ref": "S", "labels": ["x"], "received_at": "2999-01-01T00:00:00Z"},
    ],
)
def test_bad_requests_are_problems(
    verify_client: TestClient, galeries: RetailerRef, body: dict[str, Any]
) -> None:
    response = verify_client.post(URL, json=body, headers=galeries.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_a_crash_mid_request_records_nothing(
    verify_client: TestClient,
    session: Session,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
    corte: RetailerRef,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    uris = [str(label["uri"]) for label in issue_labels(verify_client, admin, certificate, 3)]
    _receive(verify_client, galeries, uris[:1])
    calls = {"n": 0}
    original = receipts_module._mark

    def crash_on_second_mark(*args: Any, **kwargs: Any) -> bool:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return original(*args, **kwargs)

    monkeypatch.setattr(receipts_module, "_mark", crash_on_second_mark)
    # uris[0] is marked (second retailer), then uris[1] twice in the shipment: the crash.
    response = verify_client.post(
        URL,
        json={"shipment_ref": "S", "labels": [uris[0], uris[1], uris[1], uris[2]]},
        headers=corte.headers,
    )
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert _rows(session, "SELECT count(*) FROM receipt") == [(1,)]
    assert _rows(session, "SELECT count(*) FROM label_mark") == [(0,)]


def test_a_retailer_pages_through_its_own_receipts_only(
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
    corte: RetailerRef,
) -> None:
    uris = [str(label["uri"]) for label in issue_labels(verify_client, admin, certificate, 5)]
    _receive(verify_client, galeries, uris)
    _receive(verify_client, corte, uris[:2])
    seen: list[int] = []
    after = 0
    while True:
        page = verify_client.get(
            URL, params={"after": after, "limit": 2}, headers=galeries.headers
        ).json()
        seen += [item["id"] for item in page["items"]]
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert len(seen) == 5 and seen == sorted(seen)
    theirs = verify_client.get(URL, headers=corte.headers).json()
    assert len(theirs["items"]) == 2 and not set(i["id"] for i in theirs["items"]) & set(seen)
    too_big = verify_client.get(URL, params={"limit": 10_000}, headers=galeries.headers)
    assert too_big.status_code == 422
    assert too_big.json()["type"].endswith("/page-size-too-large")


def test_staff_cannot_record_receipts_and_retailers_cannot_issue(
    verify_client: TestClient, admin: Actor, certificate: CertificateRef, galeries: RetailerRef
) -> None:
    staff = verify_client.post(
        URL, json={"shipment_ref": "S", "labels": ["x"]}, headers=admin.headers
    )
    assert staff.status_code == 403
    issuing = verify_client.post(
        "/api/v1/label-batches",
        json={"certificate_id": certificate.id, "product_line_id": 1, "quantity": 1},
        headers=galeries.headers,
    )
    assert issuing.status_code == 403
    me = verify_client.get("/api/v1/retailers/me", headers=galeries.headers).json()
    assert me["code"] == galeries.code and me["country"] == "FR"
