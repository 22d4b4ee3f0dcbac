"""The OpenAPI document and the server agree on Idempotency-Key headers and e-mail addresses
(core.contract): a value the document's pattern refuses is refused, one it admits is taken."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.actors import Actor
from tests.labels.batches import URL
from tests.labels.fixtures import CertificateRef

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

KEYS = ["print-run 7", "~!", "x" * 100, "é", "x" * 101, "a\tb"]
EMAILS = [
    "youssef.amrani@chambre-draa.ma",
    "Y.Amrani@Example.COM",
    "youssef@chambre.test",
    "youssef@chambre.INVALID",
    "youssef@onion.arpa",
    "youssef@localhost",
    "youssef@chambre.local",
]


def _schemas(document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [
        parameter["schema"]
        for item in document["paths"].values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "header" and parameter["name"] == name
    ]


def _admits(schema: dict[str, Any], value: str) -> bool:
    return (
        schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value))
        and re.search(schema.get("pattern", ""), value) is not None
    )


def test_the_idempotency_key_is_refused_exactly_where_the_document_says(
    labels_client: TestClient, inspector: Actor, certificate: CertificateRef
) -> None:
    schemas = _schemas(labels_client.get("/openapi.json").json(), "Idempotency-Key")
    assert len(schemas) >= 3 and all(s == schemas[0] for s in schemas)
    [schema] = schemas[:1]
    body = {
        "certificate_id": certificate.id,
        "product_line_id": certificate.product_line_id,
        "quantity": 2,
    }
    for key in KEYS:
        headers: dict[str, str | bytes] = {**inspector.headers, "Idempotency-Key": key.encode()}
        response = labels_client.post(URL, json=body, headers=headers)
        admitted = response.status_code in (200, 201)
        assert admitted == _admits(schema, key), (key, response.text)
        if not admitted:
            assert response.status_code == 422, response.text
            problem = response.json()["type"].rsplit("/", 1)[1]
            assert problem in ("idempotency-key-invalid", "validation-error"), response.text


def test_an_email_address_is_refused_exactly_where_the_document_says(
    client: TestClient, admin: Actor
) -> None:
    document = client.get("/openapi.json").json()
    body = document["paths"]["/api/v1/inspectors"]["post"]["requestBody"]
    reference = body["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    schema = document["components"]["schemas"][reference]["properties"]["email"]
    for email in EMAILS:
        form = {"email": email, "password": "a long enough passphrase 7", "display_name": "Youssef"}
        response = client.post("/api/v1/inspectors", json=form, headers=admin.headers)
        assert (response.status_code == 201) == _admits(schema, email), (email, response.text)
        assert response.status_code in (201, 422), response.text
    assert not _admits(schema, "x@b.test") and _admits(schema, "x@b.ma")
