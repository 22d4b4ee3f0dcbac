"""The registry's routes as the OpenAPI document shows them: guarded, typed with public
models, and listing every error they answer as problem+json."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from schemas.registry_api import ArtisanPublic

REGISTRY_PREFIXES = (
    "/api/v1/bodies",
    "/api/v1/inspectors",
    "/api/v1/artisans",
    "/api/v1/product-lines",
    "/api/v1/regions",
    "/api/v1/filieres",
    "/api/v1/schemes",
    "/api/v1/standards",
)


def _registry_operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        if path.startswith(REGISTRY_PREFIXES)
        for method, operation in item.items()
    ]


@pytest.fixture
def schema(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def _success_models(operation: dict[str, Any]) -> list[str]:
    """The component names a successful answer is made of."""
    names: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if "$ref" in node:
            names.append(node["$ref"].rsplit("/", 1)[-1])
        for child in node.get("oneOf", []) + node.get("anyOf", []):
            walk(child)
        if "items" in node:
            walk(node["items"])

    for status, response in operation["responses"].items():
        if status.startswith("2"):
            for content in response.get("content", {}).values():
                walk(content["schema"])
    return names


def test_every_registry_route_answers_a_public_model(schema: dict[str, Any]) -> None:
    operations = _registry_operations(schema)
    assert len(operations) >= 20
    for path, method, operation in operations:
        names = _success_models(operation)
        assert names, (path, method)
        assert all(name.endswith(("Public", "Private", "Page")) for name in names), (
            path,
            method,
            names,
        )


def test_every_error_status_is_documented_as_problem_json(schema: dict[str, Any]) -> None:
    operations = _registry_operations(schema)
    assert len(operations) >= 20
    for path, method, operation in operations:
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert "application/problem+json" in response.get("content", {}), (
                    path,
                    method,
                    status,
                )


def test_guarded_routes_document_401_and_403(schema: dict[str, Any]) -> None:
    for path, method, operation in _registry_operations(schema):
        public = path.startswith(
            (
                "/api/v1/bodies",
                "/api/v1/regions",
                "/api/v1/filieres",
                "/api/v1/schemes",
                "/api/v1/standards",
            )
        )
        if not public:
            assert {"401", "403"} <= set(operation["responses"]), (path, method)
        if method in ("post", "put", "patch", "delete"):
            assert {"400", "413", "415", "422"} <= set(operation["responses"]), (path, method)


def test_the_inspector_view_of_an_artisan_has_no_personal_fields(schema: dict[str, Any]) -> None:
    properties = schema["components"]["schemas"]["ArtisanPublic"]["properties"]
    assert not {"national_id", "phone", "address"} & set(properties)
    assert not {"national_id", "phone", "address"} & set(ArtisanPublic.model_fields)


def test_pagination_limits_are_documented(schema: dict[str, Any]) -> None:
    description = schema["paths"]["/api/v1/artisans"]["get"]["description"]
    assert "page-size-too-large" in description and "max_page_size" in description
