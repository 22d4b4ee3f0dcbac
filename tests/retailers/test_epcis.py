"""Receipts sent as GS1 EPCIS 2.0 documents of receiving ObjectEvents."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import RetailerRef, issue_labels

URL = "/api/v1/epcis/events"
SHOP = "urn:epc:id:sgln:3012345.00001.0"


def document(epcs: list[str], **event: Any) -> dict[str, Any]:
    """An EPCISDocument as a retailer's warehouse system writes it."""
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-12-07T09:00:00Z",
        "epcisHeader": {
            "epcisMasterData": {
                "vocabularyList": [
                    {
                        "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
                        "vocabularyElementList": [
                            {
                                "id": SHOP,
                                "attributes": [
                                    {"id": "urn:epcglobal:cbv:mda#countryCode", "attribute": "BE"}
                                ],
                            }
                        ],
                    }
                ]
            }
        },
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventTime": "2026-12-07T08:30:00.000+01:00",
                    "eventTimeZoneOffset": "+01:00",
                    "eventID": "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0",
                    "epcList": epcs,
                    "action": "OBSERVE",
                    "bizStep": "receiving",
                    "disposition": "in_progress",
                    "readPoint": {"id": SHOP},
                    "bizLocation": {"id": SHOP},
                    "bizTransactionList": [
                        {"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:3012345000010:PO-1"},
                        {
                            "type": "desadv",
                            "bizTransaction": "urn:epcglobal:cbv:bt:3012345000010:DA-9",
                        },
                    ],
                    **event,
                }
            ]
        },
    }


@pytest.mark.parametrize("content_type", ["application/ld+json", "application/json"])
def test_a_receiving_event_records_each_epc(
    verify_client: TestClient,
    admin: Actor,
    certificate: CertificateRef,
    galeries: RetailerRef,
    content_type: str,
) -> None:
    uris = [str(label["uri"]) for label in issue_labels(verify_client, admin, certificate, 2)]
    body = json.dumps(document(uris, bizStep="https://ref.gs1.org/cbv/BizStep-receiving"))
    response = verify_client.post(
        URL, content=body, headers={**galeries.headers, "Content-Type": content_type}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["recorded"] == 2
    receipt = answer["items"][0]["receipt"]
    assert receipt["channel"] == "epcis"
    assert receipt["shipment_ref"] == "urn:epcglobal:cbv:bt:3012345000010:DA-9"
    assert receipt["country"] == "BE"  # from the bizLocation's master data
    assert receipt["received_at"].startswith("2026-12-07T07:30:00")
    assert receipt["epcis_event_id"].startswith("ni:///sha-256;")
    # The JSON call sees the same receipts (one record per label, whatever the channel).
    mine = verify_client.get("/api/v1/receipts", headers=galeries.headers).json()["items"]
    assert [r["id"] for r in mine] == [i["receipt"]["id"] for i in answer["items"]]


def _break(doc: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    broken = copy.deepcopy(doc)
    target = broken
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return broken


EVENT = ["epcisBody", "eventList", 0]


@pytest.mark.parametrize(
    ("path", "value", "slug"),
    [
        (["type"], "EPCISQueryDocument", "validation-error"),
        (["schemaVersion"], "1.2", "validation-error"),
        (["epcisBody", "eventList"], [], "validation-error"),
        ([*EVENT, "type"], "AggregationEvent", "validation-error"),
        ([*EVENT, "action"], "DELETE", "validation-error"),
        ([*EVENT, "bizStep"], "shipping", "validation-error"),
        ([*EVENT, "eventTime"], "2026-12-07T08:30:00", "validation-error"),
        ([*EVENT, "eventTime"], KeyError, "validation-error"),
        ([*EVENT, "epcList"], [], "validation-error"),
        ([*EVENT, "epcList"], "HTTPS://KHATEM.MA/01/x", "validation-error"),
        ([*EVENT, "quantityList"], [{"epcClass": "x", "quantity": 3}], "epcis-invalid"),
        ([*EVENT, "bizTransactionList"], [], None),  # falls back to eventID: fine
        ([*EVENT, "eventTime"], "2999-01-01T00:00:00Z", "received-in-the-future"),
    ],
)
def test_documents_khatem_cannot_record_are_problems(
    client: TestClient,
    galeries: RetailerRef,
    path: list[Any],
    value: Any,
    slug: str | None,
) -> None:
    broken = _break(document(["HTTPS://KHATEM.MA/01/x"]), path, value)
    response = client.post(URL, json=broken, headers=galeries.headers)
    if slug is None:
        assert response.status_code == 200, response.text
        assert response.json()["items"][0]["outcome"] == "refused"
        return
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/" + slug)


def test_an_event_without_a_shipment_is_refused_whole(
    client: TestClient, galeries: RetailerRef
) -> None:
    doc = document(["HTTPS://KHATEM.MA/01/x"], bizTransactionList=[])
    del doc["epcisBody"]["eventList"][0]["eventID"]
    response = client.post(URL, json=doc, headers=galeries.headers)
    assert response.status_code == 422
    assert response.json()["type"].endswith("/epcis-invalid")
    [error] = response.json()["errors"]
    # Shaped as the Problem schema's errors are (found by Schemathesis): strings throughout.
    assert error == {
        "loc": ["body", "epcisBody", "eventList", "0", "bizTransactionList"],
        "msg": "a receiving event needs a bizTransaction (despatch advice) or an eventID to "
        "name its shipment",
        "type": "epcis_no_shipment",
    }


@pytest.mark.parametrize("body", [b"{", b'{"type": "EPCISDocument", "type": "x"}', b"[]", b"NaN"])
def test_malformed_json_is_a_problem(
    client: TestClient, galeries: RetailerRef, body: bytes
) -> None:
    response = client.post(
        URL, content=body, headers={**galeries.headers, "Content-Type": "application/ld+json"}
    )
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == "application/problem+json"
