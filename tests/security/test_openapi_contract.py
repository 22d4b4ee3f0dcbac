"""What the OpenAPI document promises about every operation, checked on every operation.

* Every request body is closed (``additionalProperties: false`` at every level), so a client
  can never slip in a field the registry owns (ids, statuses, key ids, log indexes).
* Every input is bounded: strings by ``maxLength`` (or an enum, or a format with its own
  bound), arrays by ``maxItems``, integers by a range that a database integer holds (an
  unbounded int path parameter is a 500 on SQLite: "Python int too large to convert").
* Every error an operation can answer is documented, and documented as problem+json.
* Secrets never appear in a response schema; personal data never in a public one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from core.problems import PROBLEM_MEDIA_TYPE, problem_responses
from tests.security.walk import OPENAPI, resolve

INT64 = (-(2**63), 2**63 - 1)
BOUNDED_FORMATS = {"email", "date", "date-time", "time", "uuid", "binary"}
SECRETS = {"password", "password_hash", "token_hash", "pin", "passphrase", "private_key"}
PERSONAL = {"national_id", "phone", "address", "email"}
METHODS = {"get", "put", "post", "delete", "patch"}


def _operations() -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in OPENAPI["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


OPERATIONS = dict(_operations())


def _walk(
    schema: dict[str, Any], where: str, seen: frozenset[str] = frozenset()
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every sub-schema of ``schema`` (following local $refs once), with a JSON-pointer-ish path."""
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return
        seen = seen | {schema["$ref"]}
        schema = resolve(OPENAPI, schema)
    yield where, schema
    for name, prop in schema.get("properties", {}).items():
        yield from _walk(prop, f"{where}.{name}", seen)
    if isinstance(schema.get("items"), dict):
        yield from _walk(schema["items"], f"{where}[]", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _walk(schema["additionalProperties"], f"{where}{{}}", seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for index, option in enumerate(schema.get(key, [])):
            yield from _walk(option, f"{where}<{key}{index}>", seen)


def _request_bodies() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name, operation in OPERATIONS.items():
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            yield name, media_type, content.get("schema", {})


def _inputs() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every input schema: parameters and request bodies, walked to their leaves."""
    for name, operation in OPERATIONS.items():
        for parameter in operation.get("parameters", []):
            where = f"{name} {parameter['in']}:{parameter['name']}"
            yield from _walk(parameter.get("schema", {}), where)
    for name, media_type, schema in _request_bodies():
        yield from _walk(schema, f"{name} body({media_type})")


def _objects(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema


#: Bodies in another standard's format, whose unknown members the standard tells a receiver
#: to ignore: Khatem reads the members it names and keeps nothing else (so no field the
#: registry owns can be slipped in through them).
OPEN_BY_STANDARD = {
    "POST /api/v1/epcis/events": "GS1 EPCIS 2.0: extensions and optional members are ignored",
}


def test_every_json_body_is_closed_to_unknown_fields() -> None:
    open_objects = [
        where
        for name, media_type, body in _request_bodies()
        if media_type == "application/json" and name not in OPEN_BY_STANDARD
        for where, schema in _walk(body, name)
        if _objects(schema) and schema.get("additionalProperties") is not False
    ]
    assert open_objects == []


def _bounded_pattern(pattern: str | None) -> bool:
    """An anchored pattern without an open-ended repetition, like ``^[0-9a-f]{64}$``."""
    if not pattern or not pattern.startswith("^") or not pattern.endswith("$"):
        return False
    return re.search(r"(?<!\\)[*+]|\{\d*,\}", pattern) is None


def _unbounded(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if "enum" in schema or "const" in schema:
        return None
    if kind == "string":
        if "maxLength" in schema or schema.get("format") in BOUNDED_FORMATS:
            return None
        if _bounded_pattern(schema.get("pattern")) or "contentMediaType" in schema:
            return None  # a fixed-size pattern; or an upload, bounded by the request guard
        return "string without maxLength"
    if kind == "array" and "maxItems" not in schema:
        return "array without maxItems"
    if kind == "integer":
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if low is None or high is None or low < INT64[0] or high > INT64[1]:
            return f"integer outside the 64-bit range (minimum={low}, maximum={high})"
    return None


def test_every_input_is_bounded() -> None:
    unbounded = sorted(
        f"{where}: {reason}"
        for where, schema in _inputs()
        if (reason := _unbounded(schema)) is not None
    )
    assert unbounded == []


def _is_page(operation: dict[str, Any]) -> bool:
    """A page route: its success is an HTML page."""
    return any(
        "text/html" in response.get("content", {})
        for status, response in operation["responses"].items()
        if status.startswith("2")
    )


#: How an error may be documented: as problem+json; or, by a page route, as a page too (for
#: browsers, problem+json for the others) or as a page only (GET /verify's "nothing has this
#: code" page).
PROBLEM_ONLY = {PROBLEM_MEDIA_TYPE}
PAGE_ERRORS = ({PROBLEM_MEDIA_TYPE}, {PROBLEM_MEDIA_TYPE, "text/html"}, {"text/html"})


def test_every_operation_documents_its_problems_as_problem_json() -> None:
    missing: list[str] = []
    for name, operation in OPERATIONS.items():
        admitted = PAGE_ERRORS if _is_page(operation) else (PROBLEM_ONLY,)
        responses = operation["responses"]
        expected = set()
        if "requestBody" in operation:
            expected |= {"400", "413", "415", "422"}
        if operation.get("parameters"):
            expected |= {"400", "422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        missing += [f"{name}: {status} undocumented" for status in expected - set(responses)]
        for status, response in responses.items():
            if status[0] in "45" and set(response.get("content", {})) not in admitted:
                missing.append(f"{name}: {status} is not documented as problem+json")
    assert missing == []


def test_a_page_s_errors_are_documented_as_the_pages_they_are() -> None:
    """What a browser gets is a page: GET /verify answers a page only, /v/ a page or a
    problem, as the request's Accept asks (found by Schemathesis: a text/html 404 that the
    document called problem+json)."""
    verify = OPERATIONS["GET /verify"]["responses"]["404"]["content"]
    printed = OPERATIONS["GET /v/{serial}"]["responses"]["404"]["content"]
    assert set(verify) == {"text/html"}
    assert set(printed) == {PROBLEM_MEDIA_TYPE, "text/html"}
    api = [name for name, operation in OPERATIONS.items() if not _is_page(operation)]
    assert "GET /api/v1/certificates" in api


def test_every_success_is_documented_with_a_schema() -> None:
    """``response_model`` on every route: what leaves the server is what the schema lists."""
    undocumented = []
    for name, operation in OPERATIONS.items():
        for status, response in operation["responses"].items():
            if not status.startswith("2") or status == "204":
                continue
            for media_type, content in response.get("content", {}).items():
                if media_type == "application/json" and not content.get("schema"):
                    undocumented.append(f"{name}: {status} {media_type}")
    assert undocumented == []


def _response_properties(operation: dict[str, Any]) -> Iterator[str]:
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            for content in response.get("content", {}).values():
                for where, schema in _walk(content.get("schema", {}), status):
                    for prop in schema.get("properties", {}):
                        yield f"{where}.{prop}"


def test_no_response_schema_carries_a_secret() -> None:
    leaks = [
        f"{name}: {prop}"
        for name, operation in OPERATIONS.items()
        for prop in _response_properties(operation)
        if prop.rsplit(".", 1)[-1] in SECRETS
    ]
    assert leaks == []


def test_no_public_response_schema_carries_personal_data() -> None:
    leaks = [
        f"{name}: {prop}"
        for name, operation in OPERATIONS.items()
        if not operation.get("security")
        for prop in _response_properties(operation)
        if prop.rsplit(".", 1)[-1] in PERSONAL
    ]
    assert leaks == []


def test_every_reference_in_the_document_resolves() -> None:
    refs = {part.split('"', 1)[0] for part in json.dumps(OPENAPI).split('"$ref": "')[1:]}
    assert refs
    for ref in sorted(refs):
        assert resolve(OPENAPI, {"$ref": ref}), ref


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 413, 415, 422, 429, 503])
def test_problem_responses_document_problem_json(status: int) -> None:
    [(code, response)] = problem_responses(status).items()
    assert code == status
    assert response["description"]
    assert set(response["content"]) == {PROBLEM_MEDIA_TYPE}
    schema = resolve(OPENAPI, response["content"][PROBLEM_MEDIA_TYPE]["schema"])
    assert schema["required"] == ["type", "title", "status"]


def test_problem_responses_take_a_route_s_own_description_and_refuse_successes() -> None:
    responses = problem_responses(404, descriptions={404: "No such artisan"})
    assert responses[404]["description"] == "No such artisan"
    assert "Retry-After" in problem_responses(429)[429]["headers"]
    with pytest.raises(ValueError, match="not an error status"):
        problem_responses(200)
