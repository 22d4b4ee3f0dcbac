"""Cross-origin reads (CORS), over plain HTTP: which routes a page on another origin may
call, and what every answer of theirs carries (core.http_conventions).

The routes open to other origins are pinned here, as the public routes are in
tests/security/test_route_guards.py: every public route but signing in. A guarded route
never answers a CORS header, nor does any route allow credentials.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.security.walk import OPERATIONS
from tests.verification.fixtures import issue

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

ORIGIN = {"Origin": "https://shop.example"}

#: Public routes that another origin may not read: signing in takes credentials.
SAME_ORIGIN_ONLY = {"POST /api/v1/auth/token", "POST /login"}
CROSS_ORIGIN = {str(op) for op in OPERATIONS if op.is_public} - SAME_ORIGIN_ONLY


def _path(uri: str) -> str:
    return "/" + uri.split("://", 1)[1].split("/", 1)[1]


def _send(client: TestClient, method: str, url: str, **kwargs: Any) -> Any:
    headers = {**ORIGIN, **kwargs.pop("headers", {})}
    return client.request(method, url, headers=headers, follow_redirects=False, **kwargs)


def _assert_open(response: Any) -> None:
    assert response.headers.get("access-control-allow-origin") == "*", response.headers
    assert "access-control-allow-credentials" not in response.headers
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "link", "retry-after"} <= exposed


def _assert_closed(response: Any) -> None:
    cors = [name for name in response.headers if name.startswith("access-control-")]
    assert cors == [], response.headers


@pytest.fixture
def uris(verify_client: TestClient, inspector: Actor, certificate: CertificateRef) -> list[str]:
    return issue(verify_client, inspector, certificate, 2)


def test_the_routes_open_to_other_origins_are_the_public_reads() -> None:
    expected = {
        "GET /01/{gtin}/21/{serial}",
        "GET /api/v1/verify",
        "POST /api/v1/verify",
        "GET /.well-known/khatem/trust-list.json",
        "GET /.well-known/khatem/status/labels.json",
        "GET /.well-known/khatem/status/certificates.json",
        "GET /log/checkpoint",
        "GET /log/entries",
        "GET /log/proof/inclusion",
        "GET /log/proof/consistency",
        "GET /api/v1/schemes",
        "GET /api/v1/schemes/{code}",
        "GET /api/v1/standards",
        "GET /api/v1/regions",
        "GET /api/v1/filieres",
        "GET /api/v1/bodies",
        "GET /api/v1/bodies/{code}",
        "GET /certificates/{code}",
        "GET /certificates/{code}/badge.svg",
    }
    assert expected <= CROSS_ORIGIN
    assert not any(op.split()[1].startswith("/api/v1/auth") for op in CROSS_ORIGIN)


@SQLITE
def test_every_route_answers_cors_headers_exactly_when_it_is_open(
    verify_client: TestClient, admin: Actor, subtests: pytest.Subtests
) -> None:
    for op in OPERATIONS:
        body: dict[str, Any] = {"json": {}} if op.body == "json" else {}
        for who, headers in (("anyone", {}), ("admin", admin.headers)):
            with subtests.test(msg=f"{op} as {who}"):
                response = _send(verify_client, op.method, op.url(), headers=headers, **body)
                if str(op) in CROSS_ORIGIN:
                    _assert_open(response)
                else:
                    _assert_closed(response)


@SQLITE
def test_the_label_url_is_open_on_the_fast_path_and_the_routed_path(
    verify_client: TestClient, uris: list[str]
) -> None:
    path = _path(uris[0])
    for url in (path, path + "&lang=en"):  # a page language goes to the route
        for accept in ("application/json", "application/linkset+json", "text/html"):
            response = _send(verify_client, "GET", url, headers={"Accept": accept})
            assert response.status_code == 200
            _assert_open(response)
    head = _send(verify_client, "HEAD", path)
    _assert_open(head)


@SQLITE
def test_errors_and_verdicts_of_open_routes_are_readable_too(
    verify_client: TestClient, uris: list[str]
) -> None:
    label = quote(uris[0], safe="")
    for response in (
        _send(verify_client, "GET", f"/api/v1/verify?label={label}"),
        _send(verify_client, "GET", "/api/v1/verify"),  # 422: no label
        _send(verify_client, "POST", "/api/v1/verify", json={"labels": uris}),
        _send(verify_client, "POST", "/api/v1/verify", json={"nope": 1}),  # 422
        _send(
            verify_client,
            "POST",
            "/api/v1/verify",
            content=b"{",
            headers={"Content-Type": "application/json"},
        ),  # 400
        _send(verify_client, "GET", "/certificates/C-0000000"),  # 404
    ):
        _assert_open(response)


@SQLITE
def test_the_bulk_post_preflight_succeeds(verify_client: TestClient) -> None:
    response = _send(
        verify_client,
        "OPTIONS",
        "/api/v1/verify",
        headers={
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST"} <= methods
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert "content-type" in allowed and "authorization" not in allowed


@SQLITE
def test_a_preflight_to_a_guarded_route_gets_no_cors_headers(
    verify_client: TestClient,
) -> None:
    for path, method in (("/api/v1/artisans", "POST"), ("/api/v1/auth/token", "POST")):
        response = _send(
            verify_client,
            "OPTIONS",
            path,
            headers={"Access-Control-Request-Method": method},
        )
        assert response.status_code == 204
        _assert_closed(response)
