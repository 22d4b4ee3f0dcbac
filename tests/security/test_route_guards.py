"""Deny by default, proved on every route the app serves.

Each test walks the app (``tests.security.walk``), so a route added tomorrow is checked the
day it appears: a stranger gets 401 and learns nothing else (not a 404, not a 422), a role the
route does not admit gets 403, and no caller gets a 500. The public routes are an explicit
allow-list here: making a route public takes a conscious change to this file. Workspace
pages (``labeling.workspace``) refuse as people need it: a stranger is sent to the sign-in
page (303), a wrong role gets a 403 page.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

import main
from core.auth import Principal, allow, api_routes, public, route_guard
from core.problems import NotFound
from core.settings import Settings
from schemas.accounts import UserAccount
from schemas.types import Role
from tests.fixtures.actors import Actor, make_user
from tests.security.support import TokenMint, assert_problem
from tests.security.walk import COLLECTION_APP, OPERATIONS, Operation

# The routes anyone may call without signing in. Adding one here is a security decision:
# say in the review why the route reveals nothing private.
PUBLIC_ROUTES = {
    "GET /healthz",  # load-balancer liveness
    "POST /api/v1/auth/token",  # signing in
    "GET /login",  # the browser sign-in form
    "POST /login",
    "GET /api/v1/bodies",  # the catalogue: chambres and certification bodies
    "GET /api/v1/bodies/{code}",
    "GET /api/v1/regions",
    "GET /api/v1/filieres",
    "GET /api/v1/schemes",
    "GET /api/v1/schemes/{code}",
    "GET /api/v1/standards",
    "GET /.well-known/khatem/trust-list.json",  # the published keys, signed by the root
    "GET /log/checkpoint",  # the transparency log is public by design
    "GET /log/proof/inclusion",
    "GET /log/proof/consistency",
    "GET /log/entries",
    # Public verification (issue 5). A verdict carries the artisan's public display names,
    # region and craft and the certificate's facts; never a national id, phone, address,
    # e-mail or a database id.
    "GET /01/{gtin}/21/{serial}",  # the label URL itself: HTML, JSON or GS1 linkset
    "GET /api/v1/verify",  # one label, JSON
    "POST /api/v1/verify",  # up to 1,000 labels, JSON
    "GET /.well-known/khatem/status/labels.json",  # signed status snapshots (hashes only)
    "GET /.well-known/khatem/status/certificates.json",
    "GET /",  # the home page
    "GET /verify",  # the home box: what a person typed or pasted from a label
    "GET /v/{serial}",  # the short address printed on labels: the serial's record
    "GET /verify/bulk",  # the receiving clerk's CSV upload
    "POST /verify/bulk",
    # A buyer's report of a suspected fake (labeling.reports): anonymous by design, rate
    # limited per address and per label; the form also has a honeypot and a time token.
    "GET /report/{gtin}/{serial}",
    "POST /report/{gtin}/{serial}",
    "GET /report/{gtin}/{serial}/sent",
    "POST /api/v1/reports",
    "GET /certificates/{code}",  # an artisan's public certificate page
    "GET /certificates/{code}/badge.svg",  # its embeddable badge
    "GET /photos/{photo_id}/{variant}.webp",  # a photo of an item, on the verdict page
    "GET /docs",  # Swagger UI on the public OpenAPI document (core.docs)
    # The installable workspace (labeling.workspace.offline): static bytes, the same for
    # everyone; browsers fetch a manifest and its icons without cookies.
    "GET /favicon.ico",
    "GET /workspace/manifest.webmanifest",
    "GET /workspace/sw.js",
    "GET /workspace/icon.svg",
    "GET /workspace/icon-192.png",
    "GET /workspace/icon-512.png",
}

# Routes that are not API routes: FastAPI's OpenAPI document and Swagger UI's static files.
# Nothing else may bypass the guards (core.auth.assert_every_route_guarded refuses it; this
# pins the list).
FRAMEWORK_ROUTES = {"/openapi.json", "/docs/assets"}

GUARDED = [op for op in OPERATIONS if not op.is_public]

# The documented 503s of a registry that has no signing key or checkpoint yet.
UNPREPARED = {"checkpoint-unavailable", "key-unavailable", "signer-unavailable"}


def assert_refused(response: Any, op: Operation, status: int, *, slug: str | None = None) -> None:
    """The refusal an API route answers as a problem, and a workspace page as people need
    it: no (valid) session -> 303 to the sign-in page, that comes back here; anything else
    -> an HTML page with the status and the problem's slug."""
    if not op.page:
        assert_problem(response, status, slug=slug)
        return
    if status == 401:
        assert response.status_code == 303, (response.status_code, response.text[:300])
        assert response.headers["location"].startswith("/login?next=%2Fworkspace")
        return
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    if slug is not None:
        assert f'data-problem="{slug}"' in response.text


def _send(
    client: TestClient,
    op: Operation,
    *,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    plausible: bool = True,
) -> Any:
    """Call ``op`` with a body of the kind it takes (empty, or invalid if not plausible)."""
    kwargs: dict[str, Any] = {}
    if op.body == "json":
        kwargs["json"] = {} if plausible else [{"unexpected": ["x"]}]
    elif op.body == "form":
        kwargs["data"] = {"unexpected": "x"}
    elif op.body == "upload":
        kwargs["files"] = {"file": ("evidence.txt", b"x", "text/plain")}
    client.cookies.clear()
    for name, value in (cookies or {}).items():
        client.cookies.set(name, value)
    try:
        return client.request(
            op.method,
            op.url(plausible=plausible),
            headers=headers or {},
            follow_redirects=False,
            **kwargs,
        )
    finally:
        client.cookies.clear()


# --- The declared audiences ------------------------------------------------------------------


def test_the_walk_covers_the_workspace_pages() -> None:
    pages = {str(op) for op in GUARDED if op.page}
    assert {"GET /workspace", "POST /workspace/logout"} <= pages
    assert all(op.path.startswith("/workspace") for op in GUARDED if op.page)


def test_public_routes_are_exactly_the_allow_list() -> None:
    public_now = {str(op) for op in OPERATIONS if op.is_public}
    assert public_now - PUBLIC_ROUTES == set(), "new public routes: review, then allow-list"
    assert PUBLIC_ROUTES - public_now == set(), "allow-listed routes that are no longer public"


def test_no_route_bypasses_the_guards() -> None:
    api_paths = {route.path for route in api_routes(COLLECTION_APP)}
    others = {
        getattr(route, "path", repr(route))
        for route in COLLECTION_APP.router.routes
        if type(route).__name__ != "_IncludedRouter" and getattr(route, "path", None)
    } - api_paths
    assert others == FRAMEWORK_ROUTES


def test_every_guarded_route_is_documented_as_needing_a_bearer_token() -> None:
    document = COLLECTION_APP.openapi()
    for op in GUARDED:
        operation = document["paths"].get(op.path, {}).get(op.method.lower())
        if operation is None:  # a route hidden from the schema (include_in_schema=False)
            continue
        assert operation.get("security") == [{"HTTPBearer": []}], op
        assert {"401", "403"} <= set(operation["responses"]), op


# --- Every guarded route, walked -------------------------------------------------------------


Credentials = tuple[dict[str, str], dict[str, str], str]


@pytest.fixture
def bad_credentials(session: Session, mint: TokenMint, admin: Actor) -> dict[str, Credentials]:
    """Credentials that must each get a 401: (headers, cookies, challenge) by name.

    RFC 6750 section 3.1: the challenge names ``invalid_token`` only when a token was sent.
    """
    inactive = make_user(session, email="parti@khatem.test", role=Role.ADMIN, body_id=admin.body_id)
    user = session.get(UserAccount, inactive.id)
    assert user is not None
    user.is_active = False
    session.add(user)
    session.commit()

    def bearer(token: str) -> Credentials:
        return {"Authorization": f"Bearer {token}"}, {}, 'Bearer error="invalid_token"'

    return {
        "no credentials": ({}, {}, "Bearer"),
        "basic auth": ({"Authorization": "Basic YWRtaW46YWRtaW4="}, {}, "Bearer"),
        "unknown token": bearer("kht_" + "A" * 43),
        "not a Khatem token": bearer("eyJhbGciOiJub25lIn0.e30."),
        "oversized token": bearer("kht_" + "A" * 5000),
        "unknown session cookie": (
            {},
            {"khatem_session": "kht_" + "B" * 43},
            'Bearer error="invalid_token"',
        ),
        "expired token": bearer(mint(admin, valid_for=timedelta(seconds=-1))),
        "revoked token": bearer(mint(admin, revoked=True)),
        "deactivated account": bearer(inactive.token),
    }


def test_every_guarded_route_refuses_a_caller_without_valid_credentials(
    client: TestClient,
    bad_credentials: dict[str, Credentials],
    subtests: pytest.Subtests,
) -> None:
    for op in GUARDED:
        for plausible in (True, False):
            for name, (headers, cookies, challenge) in bad_credentials.items():
                label = f"{op} ({name}, {'plausible' if plausible else 'invalid'} input)"
                with subtests.test(msg=label):
                    response = _send(
                        client, op, headers=headers, cookies=cookies, plausible=plausible
                    )
                    assert_refused(response, op, 401)
                    if not op.page:
                        assert response.headers.get("www-authenticate") == challenge


def test_every_guarded_route_refuses_the_roles_it_does_not_admit(
    client: TestClient,
    actors: dict[Role, Actor],
    mint: TokenMint,
    subtests: pytest.Subtests,
) -> None:
    for op in GUARDED:
        assert op.roles is not None
        for role in sorted(set(Role) - op.roles):
            for plausible in (True, False):
                with subtests.test(msg=f"{op} as {role} ({plausible=})"):
                    response = _send(
                        client, op, headers=mint.headers(actors[role]), plausible=plausible
                    )
                    assert_refused(response, op, 403, slug="forbidden")


def test_no_caller_gets_a_server_error_from_an_empty_request(
    client: TestClient,
    actors: dict[Role, Actor],
    mint: TokenMint,
    subtests: pytest.Subtests,
) -> None:
    """Admitted roles (and anyone, on public routes) get an answer, never a 500."""
    for op in OPERATIONS:
        callers: list[Role | None] = [None] if op.roles is None else [*sorted(op.roles)]
        for role in callers:
            for plausible in (True, False):
                with subtests.test(msg=f"{op} as {role or 'anyone'} ({plausible=})"):
                    headers = mint.headers(actors[role]) if role else {}
                    response = _send(client, op, headers=headers, plausible=plausible)
                    if response.status_code == 503:
                        # A registry whose keys were never prepared (this test app skips
                        # `khatem serve`) says so with a documented problem, not a crash.
                        assert response.json()["type"].rsplit("/", 1)[-1] in UNPREPARED
                    else:
                        assert response.status_code < 500, response.text[:300]
                    if response.status_code >= 400:
                        assert_refused(response, op, response.status_code)


# --- create_app refuses what the walk could not protect --------------------------------------


@pytest.fixture
def app_with(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Callable[[APIRouter], FastAPI]]:
    """Build the real app with one more router (as a domain would add it to main.ROUTERS)."""

    def build(router: APIRouter) -> FastAPI:
        module = types.ModuleType("tests.security._extra_router")
        module.router = router  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, module.__name__, module)
        monkeypatch.setattr(main, "ROUTERS", (*main.ROUTERS, module.__name__))
        url = f"sqlite:///{tmp_path / 'unmigrated.db'}"
        return main.create_app(Settings(environment="test", database_url=url))

    yield build


def test_create_app_refuses_a_route_without_a_guard(
    app_with: Callable[[APIRouter], FastAPI],
) -> None:
    router = APIRouter()

    @router.get("/api/v1/forgotten")
    def forgotten() -> dict[str, str]:
        return {"secret": "yes"}

    with pytest.raises(RuntimeError, match=r"GET'\] /api/v1/forgotten: no allow\(\)/public"):
        app_with(router)


def test_create_app_refuses_a_route_that_is_both_public_and_guarded(
    app_with: Callable[[APIRouter], FastAPI],
) -> None:
    router = APIRouter(dependencies=[Depends(public)])

    @router.get("/api/v1/ambiguous", dependencies=[Depends(allow(Role.ADMIN))])
    def ambiguous() -> None: ...

    with pytest.raises(RuntimeError, match="both public and allow"):
        app_with(router)


def test_create_app_refuses_guards_that_admit_nobody(
    app_with: Callable[[APIRouter], FastAPI],
) -> None:
    router = APIRouter(dependencies=[Depends(allow(Role.ARTISAN))])

    @router.get("/api/v1/nobody", dependencies=[Depends(allow(Role.ADMIN))])
    def nobody() -> None: ...

    with pytest.raises(RuntimeError, match="admit no role in common"):
        app_with(router)


def test_create_app_refuses_a_plain_starlette_route(
    app_with: Callable[[APIRouter], FastAPI],
) -> None:
    from starlette.responses import PlainTextResponse

    router = APIRouter()
    router.add_route("/backdoor", lambda request: PlainTextResponse("hello"))

    with pytest.raises(RuntimeError, match="Route /backdoor: not an API route"):
        app_with(router)


def test_guards_inherited_from_an_include_are_seen_and_narrowed(
    app_with: Callable[[APIRouter], FastAPI],
) -> None:
    inner = APIRouter()

    @inner.get("/reports", dependencies=[Depends(allow(Role.ADMIN, Role.INSPECTOR))])
    def reports() -> None: ...

    outer = APIRouter()
    outer.include_router(
        inner, prefix="/api/v1/nested", dependencies=[Depends(allow(Role.ADMIN, Role.ARTISAN))]
    )
    app = app_with(outer)
    [route] = [r for r in api_routes(app) if r.path == "/api/v1/nested/reports"]
    guard = route_guard(route)
    assert getattr(guard, "roles", None) == frozenset({Role.ADMIN})


_LOOKED_UP: list[int] = []


def _valid_artisan(artisan_id: int) -> int:
    """A lookup dependency that says what exists (module level: annotations are strings here,
    and FastAPI resolves them in the module's globals)."""
    _LOOKED_UP.append(artisan_id)
    raise NotFound("No such artisan.")


def test_the_guard_runs_before_the_route_s_other_dependencies(
    app_with: Callable[[APIRouter], FastAPI],
) -> None:
    """A lookup declared before the guard must not tell a stranger what exists."""
    router = APIRouter()

    @router.get("/api/v1/lookups/{artisan_id}")
    def lookup(
        artisan: Annotated[int, Depends(_valid_artisan)],
        principal: Annotated[Principal, Depends(allow(Role.ADMIN))],
    ) -> None: ...

    app = app_with(router)
    [route] = [r for r in api_routes(app) if r.path == "/api/v1/lookups/{artisan_id}"]
    assert _valid_artisan in [dep.call for dep in route.dependant.dependencies]  # not vacuous
    _LOOKED_UP.clear()
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/lookups/7")
    assert_problem(response, 401)
    assert _LOOKED_UP == []
