"""Hostile bodies, sent to every write route the app serves, by a caller the route admits.

Each gets a problem+json answer with the documented status — 400 for JSON the registry
refuses to interpret, 413 over the size limit, 415 for a content type the route does not
take, 422 for a body that does not match the route's schema — never a 500, and nothing in the
database changes (every row of every table is compared before and after).

The JSON write routes are found by walking the OpenAPI document; the form and upload routes
by walking the app (the browser sign-in form is not in the document).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from schemas.types import Role
from tests.fixtures.actors import Actor
from tests.security.support import (
    Snapshot,
    TokenMint,
    assert_problem,
    changed_tables,
    snapshot,
)
from tests.security.test_openapi_contract import OPEN_BY_STANDARD
from tests.security.walk import JSON_BODY_OPERATIONS, OPENAPI, OPERATIONS, Operation, resolve

FORM_OPERATIONS = [op for op in OPERATIONS if op.body in ("form", "upload")]

# Fields the registry owns: a client never sets them, whatever the route.
SERVER_OWNED = (
    "id",
    "status",
    "outcome",
    "certified",
    "public_id",
    "code",
    "body_id",
    "key_id",
    "log_index",
    "created_at",
    "password_hash",
    "token_hash",
    "failed_logins",
    "locked_until",
)


@dataclass(frozen=True)
class Hostile:
    """One hostile request body and the answer it must get."""

    name: str
    body: bytes | None
    content_type: str | None
    status: int
    slug: str | None = None


def _json_cases(op: Operation) -> list[Hostile]:
    strings = _string_properties(op) or ["name"]
    each = 900_000 // len(strings)  # oversized, yet the whole body stays under the limit
    oversized = "{" + ", ".join(f'"{name}": "{"x" * each}"' for name in strings) + "}"
    bad = "malformed-json"
    json_type = "application/json"
    return [
        Hostile("malformed JSON", b'{"name": "Akhiam",', json_type, 400, bad),
        Hostile("trailing garbage", b'{"name": "x"} {"name": "y"}', json_type, 400, bad),
        Hostile("duplicate keys", b'{"name": "a", "name": "b"}', json_type, 400, bad),
        Hostile("NaN", b'{"value": NaN}', json_type, 400, bad),
        Hostile("Infinity", b'{"value": Infinity}', json_type, 400, bad),
        Hostile("-Infinity", b'{"value": [-Infinity]}', json_type, 400, bad),
        Hostile("float overflow", b'{"value": 1e400}', json_type, 400, bad),
        Hostile("10^400", b'{"value": 1' + b"0" * 400 + b"}", json_type, 400, bad),
        Hostile("2^63", b'{"value": 9223372036854775808}', json_type, 400, bad),
        Hostile("-2^63-1", b'{"value": -9223372036854775809}', json_type, 400, bad),
        Hostile("deep arrays", b"[" * 50_000 + b"]" * 50_000, json_type, 400, bad),
        Hostile("deep objects", b'{"a":' * 40 + b"1" + b"}" * 40, json_type, 400, bad),
        Hostile("lone high surrogate", b'{"name": "\\ud800"}', json_type, 400, bad),
        Hostile("lone low surrogate key", b'{"\\udfff": 1}', json_type, 400, bad),
        Hostile("NUL in string", b'{"name": "a\\u0000b"}', json_type, 400, bad),
        Hostile("invalid UTF-8", b'{"name": "\xff\xfe"}', json_type, 400, bad),
        Hostile("overlong UTF-8", b'{"name": "\xc0\xaf"}', json_type, 400, bad),
        Hostile("UTF-16 body", '{"name": "x"}'.encode("utf-16"), json_type, 400, bad),
        Hostile("oversized strings", oversized.encode(), json_type, 422),
        Hostile("JSON null", b"null", json_type, 422),
        Hostile("JSON array", b"[]", json_type, 422),
        Hostile("JSON string", b'"x"', json_type, 422),
        Hostile("text/plain", b"{}", "text/plain", 415, "unsupported-media-type"),
        Hostile("XML", b"<a/>", "application/xml", 415, "unsupported-media-type"),
        Hostile("form", b"name=x", "application/x-www-form-urlencoded", 415),
        Hostile("multipart", b"--b--\r\n", "multipart/form-data; boundary=b", 415),
        Hostile("no content type", b"{}", None, 415, "unsupported-media-type"),
    ]


def _form_cases(op: Operation) -> list[Hostile]:
    form = "application/x-www-form-urlencoded"
    wrong_form = [] if op.body == "form" else [Hostile("urlencoded", b"a=b", form, 415)]
    nul = [Hostile("NUL in form", b"email=a%00b&password=x", form, 400, "nul-character")]
    return [
        *(nul if op.body == "form" else []),
        *wrong_form,
        Hostile("JSON", b'{"email": "a@b.ma"}', "application/json", 415),
        Hostile("text/plain", b"email=x", "text/plain", 415),
        Hostile("no content type", b"email=x", None, 415, "unsupported-media-type"),
    ]


def _string_properties(op: Operation) -> list[str]:
    body = OPENAPI["paths"][op.path][op.method.lower()]["requestBody"]
    schema = resolve(OPENAPI, body["content"]["application/json"]["schema"])
    return [
        name
        for name, prop in schema.get("properties", {}).items()
        if any(_takes_string(resolve(OPENAPI, p)) for p in [prop, *prop.get("anyOf", [])])
    ]


def _takes_string(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")  # a name, or a list of names (core.contract's JsonValue)
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def _allowed(expected: int, op: Operation) -> set[int]:
    # A route may look up its path parameters (say, /artisans/1) before it validates the body:
    # then "no such artisan" is the honest answer. Refusals of the transport come first.
    return {expected, 404} if expected == 422 and op.int_params else {expected}


@contextmanager
def unchanged(db_url: str) -> Iterator[None]:
    """The database after the block is the database before it, row for row."""
    before: Snapshot = snapshot(db_url)
    yield
    assert changed_tables(before, snapshot(db_url)) == {}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Junk is what these tests send, and a lot of it to the public routes: the rate
    limiter, which charges junk too and answers a flood of it with 429 before reading it
    (tests/verification/test_rate_limit.py), is off here, so each answer is the route's."""
    return settings.model_copy(update={"rate_limit_enabled": False})


@pytest.fixture
def caller(
    client: TestClient, actors: dict[Role, Actor], mint: TokenMint
) -> Callable[[Operation], dict[str, str]]:
    """Headers of a caller the route admits (none for a public route), already used once."""

    def headers_for(op: Operation) -> dict[str, str]:
        if op.roles is None:
            return {}
        role = next(
            r for r in (Role.ADMIN, Role.INSPECTOR, Role.ARTISAN, Role.RETAILER) if r in op.roles
        )
        headers = mint.headers(actors[role])
        client.get("/api/v1/auth/me", headers=headers)  # records the token's first use now
        return headers

    return headers_for


def _check(client: TestClient, op: Operation, headers: dict[str, str], case: Hostile) -> None:
    request_headers = dict(headers)
    if case.content_type is not None:
        request_headers["Content-Type"] = case.content_type
    response = client.request(op.method, op.url(), content=case.body, headers=request_headers)
    assert response.status_code in _allowed(case.status, op), (
        response.status_code,
        response.text[:300],
    )
    assert_problem(response, response.status_code, slug=case.slug)


def test_write_routes_refuse_hostile_bodies(
    client: TestClient,
    db_url: str,
    caller: Callable[[Operation], dict[str, str]],
    subtests: pytest.Subtests,
) -> None:
    for op in [*JSON_BODY_OPERATIONS, *FORM_OPERATIONS]:
        headers = caller(op)
        cases = _json_cases(op) if op.body == "json" else _form_cases(op)
        with subtests.test(msg=f"{op}: database unchanged"), unchanged(db_url):
            for case in cases:
                with subtests.test(msg=f"{op}: {case.name}"):
                    _check(client, op, headers, case)


def _limit(op: Operation, settings: Settings) -> int:
    if op.body == "upload":
        return settings.max_evidence_bytes + 64 * 1024
    return settings.max_body_bytes


def _over_limit_body(op: Operation, limit: int) -> tuple[bytes, str]:
    if op.body == "json":
        return b'{"name": "' + b"x" * limit + b'"}', "application/json"
    if op.body == "form":
        return b"email=" + b"x" * limit, "application/x-www-form-urlencoded"
    boundary = "khatem"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + b"x" * limit
    return body + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_bodies_over_the_limit_are_refused_with_or_without_content_length(
    client: TestClient,
    db_url: str,
    settings: Settings,
    caller: Callable[[Operation], dict[str, str]],
    subtests: pytest.Subtests,
) -> None:
    for op in [*JSON_BODY_OPERATIONS, *FORM_OPERATIONS]:
        headers = caller(op)
        limit = _limit(op, settings)
        body, content_type = _over_limit_body(op, limit)
        headers = {**headers, "Content-Type": content_type}

        def chunks(body: bytes = body) -> Iterator[bytes]:
            for start in range(0, len(body), 64 * 1024):
                yield body[start : start + 64 * 1024]

        with subtests.test(msg=str(op)), unchanged(db_url):
            announced = client.request(op.method, op.url(), content=body, headers=headers)
            problem = assert_problem(announced, 413, slug="payload-too-large")
            assert problem["limit"] == limit

            streamed = client.request(op.method, op.url(), content=chunks(), headers=headers)
            assert "content-length" not in streamed.request.headers
            assert streamed.request.headers["transfer-encoding"] == "chunked"
            assert_problem(streamed, 413, slug="payload-too-large")


# --- Server-owned fields ---------------------------------------------------------------------


def _request_schema(op: Operation) -> dict[str, Any]:
    body = OPENAPI["paths"][op.path][op.method.lower()]["requestBody"]
    return resolve(OPENAPI, body["content"]["application/json"]["schema"])


def test_server_owned_fields_in_a_body_are_refused(
    client: TestClient,
    db_url: str,
    caller: Callable[[Operation], dict[str, str]],
    subtests: pytest.Subtests,
) -> None:
    for op in JSON_BODY_OPERATIONS:
        if f"{op.method} {op.path}" in OPEN_BY_STANDARD:
            continue  # ignores unknown members by its standard, keeps none (see that test)
        headers = caller(op)
        inputs = set(_request_schema(op).get("properties", {}))
        # A field that is an input of this route (the code of a scheme to audit against, say)
        # is the route's business; every other server-owned field is refused.
        owned = [name for name in SERVER_OWNED if name not in inputs]
        with subtests.test(msg=f"{op}: database unchanged"), unchanged(db_url):
            for name in owned:
                with subtests.test(msg=f"{op}: {name}"):
                    response = client.request(op.method, op.url(), json={name: 1}, headers=headers)
                    assert response.status_code in _allowed(422, op), response.text[:300]
                    problem = assert_problem(response, response.status_code)
                    if response.status_code == 422:
                        cited = [e for e in problem["errors"] if e["loc"][-1:] == [name]]
                        assert cited and cited[0]["type"] == "extra_forbidden", problem
