"""The OpenAPI document describes the verdict a retailer receives: every member, the verdict
enum, the check names — from the model itself, for the label URL's JSON, ``GET`` and
``POST /api/v1/verify``. (It said ``{"type": "object"}`` before issue 12.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from fastapi import FastAPI

from core.settings import Settings
from main import create_app
from verify.verdict import CHECK_NAMES, Overall

GOLDEN = Path(__file__).parent / "golden" / "verdicts-v1.json"
ENDPOINTS = [
    ("/01/{gtin}/21/{serial}", "get", "Verdict"),
    ("/api/v1/verify", "get", "Verdict"),
    ("/api/v1/verify", "post", "BulkVerdicts"),
]


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data = tmp_path_factory.mktemp("openapi")
    app: FastAPI = create_app(
        Settings(environment="test", database_url=f"sqlite:///{data}/k.db", data_dir=data)
    )
    return app.openapi()


def _validator(document: dict[str, Any], name: str) -> Any:
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(schema)


@pytest.mark.parametrize(("path", "method", "name"), ENDPOINTS)
def test_the_json_answer_is_documented_by_the_model(
    document: dict[str, Any], path: str, method: str, name: str
) -> None:
    content = document["paths"][path][method]["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": f"#/components/schemas/{name}"}


def test_the_verdict_schema_names_every_member_and_the_enums(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    verdict = schemas["Verdict"]
    assert list(verdict["properties"]) == [
        "verdict",
        "reasons",
        "checks",
        "label",
        "certificate",
        "item",  # verdict JSON 1.1 (docs/verification.md, "The item")
        "mode",
        "data_as_of",
        "assumptions",
        "checked_at",
    ]
    assert set(verdict["required"]) == set(verdict["properties"]) - {"assumptions", "item"}
    assert schemas["Overall"]["enum"] == [overall.value for overall in Overall]
    assert schemas["CheckName"]["enum"] == [*CHECK_NAMES, "copy_evidence"]


def test_every_golden_verdict_is_valid_against_the_documented_schema(
    document: dict[str, Any],
) -> None:
    """Every member of every verdict is documented (no additional properties allowed), and
    nothing documented as required is missing."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))["verdicts"]
    single, bulk = _validator(document, "Verdict"), _validator(document, "BulkVerdicts")
    for name, verdict in golden.items():
        errors = [str(error) for error in single.iter_errors(verdict)]
        assert not errors, (name, errors)
    bulk.validate({"count": len(golden), "verdicts": list(golden.values())})
    with pytest.raises(jsonschema_rs.ValidationError):
        single.validate({**golden["online_authentic"], "undocumented": 1})
