"""The OpenAPI document says what the server does (core.contract, schemas.text): page sizes,
text validated as sent, NUL characters, the bounds of the label URL's parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.contract import request_strings
from core.settings import Settings
from labeling.labels.router import MAX_BATCH_PAGE
from labeling.registry.search import MAX_SEARCH_LIMIT
from main import create_app
from tests.fixtures.actors import Actor

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test", database_url=db_url, data_dir=tmp_path / "data", max_page_size=37
    )


def test_limit_has_the_configured_page_size_as_its_maximum(
    client: TestClient, admin: Actor, settings: Settings
) -> None:
    document = client.get("/openapi.json").json()
    limits = {
        path: parameter["schema"]
        for path, item in document["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "limit" and path.startswith("/api/v1/") and "sheet" not in path
    }
    assert len(limits) >= 6
    # The artisan search and the batch list keep their own, smaller pages.
    own = {"/api/v1/artisans/search": MAX_SEARCH_LIMIT, "/api/v1/label-batches": MAX_BATCH_PAGE}
    for path, schema in limits.items():
        integer = next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "integer")
        assert integer["maximum"] == own.get(path, settings.max_page_size), path
    over = client.get(
        "/api/v1/artisans/search",
        params={"q": "tapis", "limit": MAX_SEARCH_LIMIT + 1},
        headers=admin.headers,
    )
    assert over.status_code == 422
    assert client.get("/api/v1/bodies?limit=37").status_code == 200
    assert client.get("/api/v1/bodies?limit=38").status_code == 422
    entries = document["paths"]["/log/entries"]["get"]["parameters"]
    assert next(p for p in entries if p["name"] == "limit")["schema"]["maximum"] == 1000


def test_no_request_string_of_the_document_admits_a_nul_character(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    found = 0
    for where, schema in request_strings(document):
        if "enum" in schema or "format" in schema or "contentMediaType" in schema:
            continue
        found += 1
        assert "pattern" in schema, where
        assert not re.search(schema["pattern"], "a\x00b"), where
    assert found > 40


def test_text_is_validated_as_sent_and_never_stripped(client: TestClient, admin: Actor) -> None:
    padded = "\u00a0" + "x" * 100  # 101 characters against maxLength 100
    for name in (padded, " token", "token ", "\u3000token"):
        response = client.post("/api/v1/auth/tokens", json={"name": name}, headers=admin.headers)
        assert response.status_code == 422, (name, response.text)
    response = client.post("/api/v1/auth/tokens", json={"name": "x" * 100}, headers=admin.headers)
    assert response.status_code in (200, 201), response.text
    inner = client.post("/api/v1/auth/tokens", json={"name": "till 2"}, headers=admin.headers)
    assert inner.status_code in (200, 201), inner.text


def test_a_long_link_type_is_refused_as_documented(client: TestClient) -> None:
    response = client.get("/01/06111234000019/21/7F3K2MQ9XB?S=1&linkType=" + "x" * 4097)
    assert response.status_code == 422
    assert "linkType" in response.text


def test_the_app_builds_the_same_contract_twice(settings: Settings) -> None:
    app = create_app(settings)
    assert app.openapi() == app.openapi()
