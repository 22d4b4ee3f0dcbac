"""HTTP as clients expect it, on every route the app serves (core.http_conventions).

Walked from the app's own routes (tests.security.walk), so a route added tomorrow is held to
the same rules: every GET answers HEAD with GET's status and headers and no body; a method
a path does not take answers 405 problem+json whose ``Allow`` lists every method the path
takes; OPTIONS answers 204 with the same ``Allow``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from labeling.retailers.service import create_retailer
from schemas.types import Role
from tests.fixtures.actors import Actor
from tests.security.walk import OPERATIONS, Operation

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

#: Headers that may differ between two answers to the same request.
_VOLATILE = {"date", "set-cookie"}
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

GET_ROUTES = [op for op in OPERATIONS if op.method == "GET"]


def _methods_by_path() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for op in OPERATIONS:
        found[op.path].add(op.method)
    return found


PATHS = _methods_by_path()
_URLS = {op.path: op.url() for op in OPERATIONS}


def _expected_allow(methods: set[str]) -> set[str]:
    return methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())


def _allow(response: Any) -> set[str]:
    return {method.strip() for method in response.headers["allow"].split(",")}


def _headers(response: Any) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in _VOLATILE}


def _caller(op: Operation, actors: dict[Role, Actor]) -> dict[str, str]:
    """Credentials of a role the route admits (none for a public route)."""
    if op.roles is None:
        return {}
    return actors[sorted(op.roles)[0]].headers


@pytest.fixture
def actors(
    session: Session, admin: Actor, inspector: Actor, artisan_user: Actor
) -> dict[Role, Actor]:
    retailer, key = create_retailer(session=session, name="Galeries Lafayette", country="FR")
    shop = Actor(id=retailer.account_id, email="", role=Role.RETAILER, token=key.access_token)
    return {
        Role.ADMIN: admin,
        Role.INSPECTOR: inspector,
        Role.ARTISAN: artisan_user,
        Role.RETAILER: shop,
    }


def test_every_get_route_answers_head_like_get_without_a_body(
    client: TestClient, actors: dict[Role, Actor], subtests: pytest.Subtests
) -> None:
    assert len(GET_ROUTES) > 30  # the walk found the app's routes
    for op in GET_ROUTES:
        for who, headers in (("anyone", {}), ("admitted", _caller(op, actors))):
            with subtests.test(msg=f"HEAD {op.path} as {who}"):
                get = client.get(op.url(), headers=headers, follow_redirects=False)
                head = client.head(op.url(), headers=headers, follow_redirects=False)
                assert head.status_code == get.status_code, op
                assert head.status_code != 405, op
                assert head.content == b"", op
                assert _headers(head) == _headers(get), op


def test_every_method_a_path_does_not_take_is_405_with_every_allowed_method(
    client: TestClient, actors: dict[Role, Actor], subtests: pytest.Subtests
) -> None:
    for path, methods in PATHS.items():
        for method in sorted(set(_METHODS) - methods):
            with subtests.test(msg=f"{method} {path}"):
                response = client.request(method, _URLS[path], headers=actors[Role.ADMIN].headers)
                assert response.status_code == 405, response.text
                assert response.headers["content-type"] == "application/problem+json"
                assert response.json()["type"].endswith("/method-not-allowed")
                assert _allow(response) == _expected_allow(methods)


def test_every_path_answers_options_with_its_methods(
    client: TestClient, subtests: pytest.Subtests
) -> None:
    for path, methods in PATHS.items():
        with subtests.test(msg=f"OPTIONS {path}"):
            response = client.options(_URLS[path])
            assert response.status_code == 204
            assert response.content == b""
            assert _allow(response) == _expected_allow(methods)


def test_the_bulk_verify_path_lists_post_in_its_405(client: TestClient) -> None:
    response = client.put("/api/v1/verify", json={"labels": []})
    assert response.status_code == 405
    assert _allow(response) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_an_artisan_record_lists_patch_in_its_405(client: TestClient, admin: Actor) -> None:
    response = client.put("/api/v1/artisans/1", json={}, headers=admin.headers)
    assert response.status_code == 405
    assert _allow(response) == {"GET", "HEAD", "PATCH", "OPTIONS"}


def test_patching_my_own_artisan_record_is_a_method_not_allowed(
    client: TestClient, admin: Actor, artisan_user: Actor
) -> None:
    for caller in (admin, artisan_user, None):
        headers = caller.headers if caller else {}
        response = client.patch("/api/v1/artisans/me", json={"city": "Fès"}, headers=headers)
        assert response.status_code == 405, response.text
        assert _allow(response) == {"GET", "HEAD", "OPTIONS"}


def test_a_path_no_route_serves_is_still_a_404(client: TestClient) -> None:
    for method in ("GET", "HEAD", "PUT", "OPTIONS"):
        response = client.request(method, "/api/v1/nothing-here")
        assert response.status_code == 404, method
