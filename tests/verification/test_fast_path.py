"""The label URL's fast path answers ordinary scans before routing, exactly as the declared
route would, and hands every other request to the route."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.auth import Role, allow, public
from labeling.verification import router as verification_router
from labeling.verification import service
from labeling.verification.fast_path import LabelUrlFastPath, label_url_pattern
from labeling.verification.repository import DatabaseUnavailable
from main import create_app
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue

FROZEN = datetime(2026, 11, 27, 10, 30, 15, tzinfo=UTC)
ACCEPTS = [
    None,
    "application/json",
    "application/linkset+json",
    "text/html",
    "text/html;q=0.5, application/json",
    "*/*",
    "image/png",
    "application/json;q=0",
]


def _path(uri: str) -> str:
    return "/" + uri.split("://", 1)[1].split("/", 1)[1]


class _FrozenClock(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> _FrozenClock:
        return cls.fromtimestamp(FROZEN.timestamp(), tz)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both apps check at the same instant, so their answers may be compared byte for byte."""
    monkeypatch.setattr(service, "datetime", _FrozenClock)


@pytest.fixture
def routed(labels_app: FastAPI) -> Iterator[TestClient]:
    """The same app and database with no fast path: every scan is routed."""
    app = create_app(labels_app.state.settings)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not LabelUrlFastPath]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def uris(verify_client: TestClient, inspector: Actor, certificate: CertificateRef) -> list[str]:
    return issue(verify_client, inspector, certificate, 2)


@pytest.fixture
def routed_scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the requests that reached the label URL route."""
    seen: list[str] = []
    check_bounds = verification_router._check_bounds

    def counting(request: Any) -> None:
        seen.append(request.url.path)
        check_bounds(request)

    monkeypatch.setattr(verification_router, "_check_bounds", counting)
    return seen


def _answer(response: Any) -> tuple[int, dict[str, str], bytes]:
    headers = {k: v for k, v in response.headers.items() if k not in ("date", "server")}
    return response.status_code, headers, response.content


@pytest.mark.usefixtures("frozen")
def test_ordinary_scans_skip_routing_and_match_the_route_byte_for_byte(
    verify_client: TestClient, routed: TestClient, uris: list[str], routed_scans: list[str]
) -> None:
    for accept in ACCEPTS:
        headers = {"Accept": accept} if accept else {}
        fast = verify_client.get(_path(uris[0]), headers=headers)
        assert routed_scans == [], accept
        slow = routed.get(_path(uris[0]), headers=headers)
        assert routed_scans, accept
        routed_scans.clear()
        assert _answer(fast) == _answer(slow), accept
    etag = verify_client.get(_path(uris[0]), headers={"Accept": "application/json"}).headers["etag"]
    for if_none_match in (etag, "*", f'"nope", {etag}', '"nope"'):
        headers = {"Accept": "application/json", "If-None-Match": if_none_match}
        fast = verify_client.get(_path(uris[0]), headers=headers)
        assert _answer(fast) == _answer(routed.get(_path(uris[0]), headers=headers))
        assert fast.status_code == (200 if if_none_match == '"nope"' else 304)
    assert routed_scans == [_path(uris[0]).split("?")[0]] * 4


_TEXT = st.text(
    alphabet=st.sampled_from("0123456789ABCDEFGHJKMNPQRSTVWXYZabcz%~.-_é/?&=#"), max_size=40
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    gtin=_TEXT,
    serial=_TEXT,
    query=st.one_of(st.none(), _TEXT),
    accept=st.sampled_from(ACCEPTS),
    tamper=st.sampled_from(["none", "serial", "signature", "host"]),
)
@pytest.mark.usefixtures("frozen")
def test_any_label_url_gets_the_same_answer_with_or_without_the_fast_path(
    verify_client: TestClient,
    routed: TestClient,
    uris: list[str],
    gtin: str,
    serial: str,
    query: str | None,
    accept: str | None,
    tamper: str,
) -> None:
    """Junk, near-misses and genuine labels alike: the fast path adds no rule of its own."""
    genuine = _path(uris[1])
    candidates = {
        "none": f"/01/{gtin}/21/{serial}" + (f"?{query}" if query is not None else ""),
        "serial": genuine.replace("/21/", "/21/X", 1),
        "signature": genuine[:-3] + ("000" if not genuine.endswith("000") else "111"),
        "host": genuine,
    }
    path = candidates[tamper]
    headers = {"Accept": accept} if accept else {}
    if tamper == "host":
        headers["Host"] = "Evil.Example:8443"
    fast = verify_client.get(path, headers=headers)
    slow = routed.get(path, headers=headers)
    assert fast.status_code < 500
    assert _answer(fast) == _answer(slow), path


def test_requests_that_are_not_ordinary_scans_go_to_the_route(
    verify_client: TestClient, uris: list[str], routed_scans: list[str]
) -> None:
    path = _path(uris[0])
    # HEAD is GET without the body (core.http_conventions): the fast path answers it too.
    head = verify_client.head(path, headers={"Accept": "application/json"})
    get = verify_client.get(path, headers={"Accept": "application/json"})
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == get.headers["content-length"]
    language = verify_client.get(path + "&lang=ar")  # a page language: bounds are checked
    assert language.status_code == 200 and 'dir="rtl"' in language.text
    too_long = verify_client.get(path + "&lang=" + "x" * 40)
    assert too_long.status_code == 422
    assert too_long.headers["content-type"] == "application/problem+json"
    assert len(routed_scans) == 2  # the two GETs naming a language


def test_a_database_that_does_not_answer_is_a_503_problem_not_a_crash(
    verify_client: TestClient, uris: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: list[str] = []

    def unavailable(uri: str, **kwargs: Any) -> Any:
        tries.append(uri)
        raise DatabaseUnavailable("down")

    monkeypatch.setattr(verification_router, "verify_uri", unavailable)
    monkeypatch.setattr(verification_router, "verify_uri_json", unavailable)
    response = verify_client.get(_path(uris[0]), headers={"Accept": "application/json"})
    assert len(tries) == 1  # answered at once, not verified again by the route
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert json.loads(response.content)["type"].endswith("/registry-unavailable")


def test_a_language_name_in_percent_encoding_is_bounded_too(
    verify_client: TestClient, uris: list[str], routed_scans: list[str]
) -> None:
    response = verify_client.get(_path(uris[0]) + "&la%6Eg=" + "x" * 40)
    assert response.status_code == 422
    assert routed_scans  # percent-encoding in the query goes the long way


def test_nul_characters_are_still_refused_by_the_request_guard(
    verify_client: TestClient, uris: list[str]
) -> None:
    response = verify_client.get(_path(uris[0]) + "%00")
    assert response.status_code == 400
    assert response.json()["type"].endswith("/nul-character")


def test_the_fast_path_serves_only_a_public_label_url_route(labels_app: FastAPI) -> None:
    pattern, route_class = label_url_pattern(labels_app)
    assert route_class == "verify"
    assert pattern.match("/01/06111000010013/21/ABC")
    assert not pattern.match("/01/06111000010013/21/ABC/extra")
    assert not pattern.match("/api/v1/verify")

    guarded = FastAPI()
    router = APIRouter()
    router.add_api_route(
        "/01/{gtin}/21/{serial}",
        verification_router.label_url,
        dependencies=[Depends(allow(Role.ADMIN))],
    )
    guarded.include_router(router)
    with pytest.raises(RuntimeError, match="not public"):
        label_url_pattern(guarded)

    bare = FastAPI()
    bare.add_api_route("/hello", public)
    with pytest.raises(RuntimeError, match="no label URL route"):
        label_url_pattern(bare)


def _maintenance() -> None:
    """An app-wide switch (say, maintenance mode) the fast path would not run."""


def test_the_fast_path_refuses_a_label_route_that_depends_on_more(settings: Any) -> None:
    app = create_app(settings)
    switched = FastAPI(dependencies=[Depends(_maintenance)])
    switched.include_router(verification_router.router)
    with pytest.raises(RuntimeError, match="the fast path would skip"):
        label_url_pattern(switched)
    shadowed = FastAPI()
    shadowed.add_api_route("/01/{a}/21/{b}", public, dependencies=[Depends(public)])
    shadowed.include_router(verification_router.router)
    with pytest.raises(RuntimeError, match="a route before"):
        label_url_pattern(shadowed)
    assert label_url_pattern(app)[0].match("/01/1/21/2")
