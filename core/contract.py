"""The OpenAPI document says what the server enforces, also where the rule is the app's own
and not a route's (found by Schemathesis: a request the document calls valid was refused).

* ``limit`` of every list route (:func:`core.paging.page_request`) has the configured
  ``max_page_size`` as its ``maximum``: the server answers 422 ``page-size-too-large``
  above it, so a larger value is not a valid request.
* No string of a request may hold a NUL character: the request guard answers 400 to one in
  the path, the query or a JSON body (PostgreSQL cannot store it). Every request string
  without a pattern of its own gets ``^[^\\x00]*$``; the patterns the schemas declare
  exclude NUL themselves (``tests/security/test_openapi_contract.py`` checks it).
* An ``email`` request string is what pydantic's ``EmailStr`` (email-validator) admits: not
  at a special-use domain (``.test``, ``.invalid``, ``.arpa``, …: email-validator's
  ``SPECIAL_USE_DOMAIN_NAMES``), with a dot in its domain, at most 254 characters: its
  ``pattern`` says so. (Signing in takes any address an account holds, ``.test`` ones too:
  that field is a plain string.)
* A JSON value a body may hold without a schema of its own (EPCIS's ``@context``, a
  master-data ``attribute``, the members an open EPCIS object ignores) is a
  :data:`JSON_VALUE`: what the request guard admits, strings and member names without NUL
  and numbers within the signed 64-bit range (integers beyond it are refused, 400).
* A form field (multipart or urlencoded) is never null: a form has no way to send one (an
  absent field is the null of a form), so an optional field is documented as its type
  alone; and a file field as a file (``contentMediaType: application/octet-stream``), any
  bytes, without a JSON type (a multipart part has none: a file holding ``42`` is a file).
* The ``Idempotency-Key`` header is 1 to 100 printable ASCII characters (what the audit and
  label services check, ``idempotency-key-invalid``), and neither starts nor ends with a
  space: HTTP strips those before the server sees the value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant

from core.auth import api_routes
from core.paging import keyset_page_request, page_request
from core.settings import Settings

__all__ = [
    "EMAIL",
    "IDEMPOTENCY_KEY",
    "JSON_VALUE",
    "NO_NUL",
    "document_contract",
    "request_strings",
]

#: The pattern of a request string that has no other: any text but NUL.
NO_NUL: Final = r"^[^\x00]*$"


def _any_case(word: str) -> str:
    """``test`` -> ``[tT][eE][sS][tT]`` (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


#: An address EmailStr admits: a domain with a dot, not under a special-use name.
EMAIL: Final = (
    r"^[^\x00@]+@(?![^@]*\.(?:"
    + "|".join(_any_case(name) for name in sorted(SPECIAL_USE_DOMAIN_NAMES))
    + r")\.?$)[^\x00@]+\.[^\x00@.]+$"
)
#: The Idempotency-Key header's value, as the services check it and HTTP delivers it.
IDEMPOTENCY_KEY: Final = {
    "type": "string",
    "minLength": 1,
    "maxLength": 100,
    "pattern": r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$",
}

Schema = dict[str, Any]

_INT64: Final = (-(2**63), 2**63 - 1)
_JSON_VALUE_REF: Final = "#/components/schemas/JsonValue"
#: Any JSON value the request guard (:mod:`core.request_guard`) lets through.
JSON_VALUE: Final[Schema] = {
    "type": ["null", "boolean", "number", "string", "array", "object"],
    "description": "Any JSON value: strings and member names without NUL, numbers within "
    "the signed 64-bit range",
    "pattern": NO_NUL,
    "minimum": _INT64[0],
    "maximum": _INT64[1],
    "items": {"$ref": _JSON_VALUE_REF},
    "propertyNames": {"pattern": NO_NUL},
    "additionalProperties": {"$ref": _JSON_VALUE_REF},
}
#: Keywords that give a schema a shape; one with none of them admits any value.
_SHAPING: Final = frozenset(
    {"type", "$ref", "anyOf", "oneOf", "allOf", "not", "enum", "const", "properties", "items"}
)


def _pages(dependant: Dependant) -> bool:
    return any(
        dep.call in (page_request, keyset_page_request) or _pages(dep)
        for dep in dependant.dependencies
    )


def _document_page_limits(app: FastAPI, document: Schema, max_page_size: int) -> None:
    for route in api_routes(app):
        if not _pages(route.dependant):
            continue
        item = document["paths"].get(route.path, {})
        for method in route.methods or ():
            for parameter in item.get(method.lower(), {}).get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] == "limit":
                    _limit_schema(parameter["schema"])["maximum"] = max_page_size


def _limit_schema(schema: Schema) -> Schema:
    """The integer schema of ``limit`` (FastAPI writes ``int | None`` as an ``anyOf``)."""
    for option in schema.get("anyOf", ()):
        if option.get("type") == "integer":
            found: Schema = option
            return found
    return schema


def _resolve(document: Schema, schema: Schema) -> Schema:
    while "$ref" in schema:
        target: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _schemas(document: Schema, schema: Schema, seen: set[int]) -> Iterator[Schema]:
    """``schema`` and every schema under it, references followed (each once)."""
    schema = _resolve(document, schema)
    if id(schema) in seen:
        return
    seen.add(id(schema))
    yield schema
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for option in schema.get(key, ()):
            yield from _schemas(document, option, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _schemas(document, schema[key], seen)
    for option in schema.get("properties", {}).values():
        yield from _schemas(document, option, seen)


def _request_schemas(document: Schema) -> Iterator[tuple[str, Schema]]:
    """Every schema of a request (parameters and JSON bodies), with where it is."""
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            seen: set[int] = set()
            for parameter in operation.get("parameters", []):
                where = f"{method.upper()} {path} {parameter['in']} {parameter['name']}"
                for schema in _schemas(document, parameter.get("schema", {}), seen):
                    yield where, schema
            content = operation.get("requestBody", {}).get("content", {})
            for media_type, body in content.items():
                if "json" in media_type:
                    for schema in _schemas(document, body.get("schema", {}), seen):
                        yield f"{method.upper()} {path} body", schema


def request_strings(document: Schema) -> Iterator[tuple[str, Schema]]:
    """Every string schema of a request (parameters and JSON bodies), with where it is."""
    for where, schema in _request_schemas(document):
        if schema.get("type") == "string":
            yield where, schema


def _document_json_values(document: Schema) -> None:
    """Values without a shape, and the unknown members of open objects, are JSON_VALUEs."""
    found = [schema for _, schema in _request_schemas(document) if schema is not JSON_VALUE]
    document.setdefault("components", {}).setdefault("schemas", {})["JsonValue"] = JSON_VALUE
    for schema in found:
        if not _SHAPING & schema.keys():
            schema["$ref"] = _JSON_VALUE_REF
        elif "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = {"$ref": _JSON_VALUE_REF}
            schema["propertyNames"] = {"pattern": NO_NUL}


def _document_nul_refusal(document: Schema) -> None:
    for _, schema in request_strings(document):
        plain = not ({"pattern", "enum", "const", "format"} & schema.keys())
        if plain and "contentMediaType" not in schema:
            schema["pattern"] = NO_NUL


def _document_email_addresses(document: Schema) -> None:
    for _, schema in request_strings(document):
        if schema.get("format") == "email" and "pattern" not in schema:
            schema["pattern"] = EMAIL
            schema["maxLength"] = min(schema.get("maxLength", 254), 254)


def _document_idempotency_keys(document: Schema) -> None:
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "header" and parameter["name"] == "Idempotency-Key":
                    parameter["schema"] = dict(IDEMPOTENCY_KEY)


_FORMS: Final = ("multipart/form-data", "application/x-www-form-urlencoded")


def _document_form_fields(document: Schema) -> None:
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            content = operation.get("requestBody", {}).get("content", {})
            for media_type in _FORMS:
                if media_type in content:
                    body = _resolve(document, content[media_type].get("schema", {}))
                    for name, field in body.get("properties", {}).items():
                        body["properties"][name] = _file_any_bytes(_not_null(field))


def _not_null(field: Schema) -> Schema:
    """``{"anyOf": [X, {"type": "null"}], ...}`` -> X with the field's title and description."""
    options = [option for option in field.get("anyOf", ()) if option.get("type") != "null"]
    if "anyOf" not in field or len(options) != 1:
        return field
    kept = {key: value for key, value in field.items() if key in ("title", "description")}
    return {**options[0], **kept}


def _file_any_bytes(field: Schema) -> Schema:
    """A file part is bytes, whatever they spell: ``1052419346`` is a CSV file too. Its
    schema keeps the media type and drops the JSON type, which multipart cannot carry."""
    file = field.get("contentMediaType") == "application/octet-stream"
    if file or field.get("format") == "binary":
        kept = {key: value for key, value in field.items() if key != "type"}
        # A part is never null (it is sent or not), nor an array: a client sends an array
        # as one part per item, so ``[]`` would be no part at all.
        return kept | {"not": {"type": ["null", "array"]}}
    return field


def document_contract(app: FastAPI, settings: Settings) -> None:
    """Make ``app.openapi()`` state the app-wide rules above (after the routes' own)."""
    generate: Callable[[], Schema] = app.openapi

    def openapi() -> Schema:
        if not getattr(app.state, "contract_documented", False):
            document = generate()
            _document_page_limits(app, document, settings.max_page_size)
            _document_nul_refusal(document)
            _document_email_addresses(document)
            _document_idempotency_keys(document)
            _document_json_values(document)
            _document_form_fields(document)
            app.state.contract_documented = True
        return generate()

    app.openapi = openapi  # type: ignore[method-assign]
