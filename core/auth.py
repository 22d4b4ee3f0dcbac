"""Who is calling, and may they call this route? Deny by default.

Every route declares its audience with exactly one of two dependencies:

* ``Depends(allow(Role.ADMIN, Role.INSPECTOR))`` — an authenticated principal with one of
  these roles; anyone else gets 401 (no or bad credentials) or 403 (wrong role);
* ``Depends(public)`` — open to everyone (verification pages, trust list, health).

:func:`assert_every_route_guarded` runs at app start-up and refuses to build an app with a
route that declares neither (or both), and a test walks every route to prove the answers. It
also moves each route's guard to the front of its dependencies, so that whatever else a route
depends on (a lookup that answers 404, a body that answers 422) is only evaluated for a caller
the guard admitted: a stranger learns nothing but 401, a wrong role nothing but 403.

Refusals that concern the transport and not the route — a body over the size limit (413), an
unsupported content type (415), malformed JSON (400) — come from :mod:`core.request_guard`
before authentication; they reveal nothing that the public OpenAPI document does not say.

Credentials are a bearer token (``Authorization: Bearer kht_…``) for API clients or the same
kind of token in the ``khatem_session`` cookie for the browser pages. Only a token's SHA-256 is
stored; tokens expire and can be revoked; they never appear in logs. A browser session (a
token of kind ``session``) also ends after ``session_idle_minutes`` without use.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import update
from sqlmodel import Session, col, select
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from core.db import begin_write, new_session, read_session
from core.problems import Forbidden, Unauthorized
from core.settings import Settings
from schemas.accounts import ApiToken, UserAccount
from schemas.types import Role, utcnow

__all__ = [
    "SESSION_COOKIE",
    "CurrentPrincipal",
    "Principal",
    "SessionDep",
    "SettingsDep",
    "allow",
    "api_routes",
    "assert_every_route_guarded",
    "get_session",
    "hash_token",
    "new_token",
    "public",
    "route_guard",
]

SESSION_COOKIE = "khatem_session"
TOKEN_PREFIX = "kht_"


async def app_settings(request: Request) -> Settings:
    """The settings of the app serving this request (``create_app`` keeps them in
    ``app.state``). Not a dependency override: while ``app.dependency_overrides`` holds
    anything, FastAPI re-inspects every route's dependencies on every request."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


#: Methods that change nothing (RFC 9110 safe methods): their requests get a read session.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request, settings: SettingsDep) -> Iterator[Session]:
    """A database session for one request. Services commit; anything uncommitted is dropped.

    A ``GET``/``HEAD``/``OPTIONS`` request gets a read session (``core.db.read_session``):
    on SQLite it never takes the writer lock, so reads are not queued behind writers nor
    writers behind reads, and a write it forgot to announce with ``core.db.begin_write``
    fails at once. Any other method gets a write session, which holds SQLite's writer lock
    from its first statement (``BEGIN IMMEDIATE``), so its writes never fail on a lock
    upgrade. (The routes that read on ``POST``, bulk verification, use no session.)
    """
    url = settings.resolved_database_url
    session = read_session(url) if request.method in READ_METHODS else new_session(url)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller, as every service sees it."""

    user_id: int
    role: Role
    body_id: int | None
    artisan_id: int | None
    token_id: int

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_inspector(self) -> bool:
        return self.role is Role.INSPECTOR

    @property
    def is_artisan(self) -> bool:
        return self.role is Role.ARTISAN


def new_token() -> tuple[str, str]:
    """A fresh bearer token and the hash under which it is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    # Tokens carry 256 bits of entropy, so a fast hash is enough: there is nothing to
    # brute-force, and lookups by hash stay a single index probe.
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")
_INVALID_TOKEN = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


#: How stale a token's ``last_used_at`` may be before a use is written down again.
_USE_PRECISION = timedelta(minutes=5)


def _idle(api_token: ApiToken, now: datetime, settings: Settings) -> bool:
    """Whether a browser session went unused for ``session_idle_minutes`` (API tokens
    only expire). Use is noted to :data:`_USE_PRECISION`, so the session ends between
    that much before the idle limit and the limit itself."""
    if api_token.kind != "session":
        return False
    last = api_token.last_used_at or api_token.created_at
    return now - last > timedelta(minutes=settings.session_idle_minutes)


def _authenticate(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token:
        # RFC 6750 section 3.1: no error code when the request carried no credentials.
        raise Unauthorized("Send a valid bearer token.")
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise Unauthorized("Send a valid bearer token.", headers=_INVALID_TOKEN)
    row = session.exec(
        select(ApiToken, UserAccount)
        .join(UserAccount, UserAccount.id == ApiToken.user_id)  # type: ignore[arg-type]
        .where(ApiToken.token_hash == hash_token(token))
    ).first()
    now = utcnow()
    if row is None:
        raise Unauthorized("Send a valid bearer token.", headers=_INVALID_TOKEN)
    api_token, user = row
    if api_token.revoked_at is not None or api_token.expires_at <= now or not user.is_active:
        raise Unauthorized("This token has expired or was revoked.", headers=_INVALID_TOKEN)
    if _idle(api_token, now, settings):
        raise Unauthorized("This session ended after a period without use.", headers=_INVALID_TOKEN)
    assert user.id is not None and api_token.id is not None
    principal = Principal(
        user_id=user.id,
        role=Role(user.role),
        body_id=user.body_id,
        artisan_id=user.artisan_id,
        token_id=api_token.id,
    )
    if api_token.last_used_at is None or now - api_token.last_used_at > _USE_PRECISION:
        _record_use(session, api_token.id, now)
    return principal


def _record_use(session: Session, token_id: int, now: datetime) -> None:
    """Note when a token was used (to five minutes): one short write transaction, taken
    with :func:`core.db.begin_write` (a ``GET``'s session only reads otherwise)."""
    begin_write(session)
    session.execute(update(ApiToken).where(col(ApiToken.id) == token_id).values(last_used_at=now))
    session.commit()


class _Allow:
    """A dependency that admits only the listed roles; its ``roles`` are read by the
    route-walk test and by :func:`assert_every_route_guarded`."""

    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    def __call__(self, principal: Annotated[Principal, Depends(_authenticate)]) -> Principal:
        if principal.role not in self.roles:
            raise Forbidden(f"This action is not available to the {principal.role} role.")
        return principal

    def __repr__(self) -> str:
        return f"allow({', '.join(sorted(self.roles))})"


def allow(*roles: Role) -> _Allow:
    if not roles:
        raise ValueError("allow() needs at least one role")
    return _Allow(frozenset(roles))


async def public() -> None:
    """Marks a route as open to everyone (the explicit public allow-list).

    ``async`` because it does nothing: a plain function would cost every public request,
    the verification hot path included, a hop through the thread pool."""


CurrentPrincipal = Principal  # readable alias for type hints in routes


def _declared_guards(dependant: Dependant) -> list[_Allow | Callable[[], Awaitable[None]]]:
    found: list[_Allow | Callable[[], Awaitable[None]]] = []
    for dep in dependant.dependencies:
        if isinstance(dep.call, _Allow) or dep.call is public:
            found.append(dep.call)
        found += _declared_guards(dep)
    return found


def api_routes(app: FastAPI) -> list[RouteContext]:
    """Every API route as the app serves it, with prefixes and inherited dependencies.

    FastAPI (0.165+) keeps included routers nested: ``app.routes`` holds one entry per
    ``include_router`` and the routes as served (prefix, router-level dependencies) exist only
    as effective route contexts. Walk these, never ``app.routes``.
    """
    return [
        context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]


def route_guard(route: APIRoute | RouteContext) -> _Allow | Callable[[], Awaitable[None]] | None:
    """The guard a route declared: ``public``, an ``allow(...)``, or ``None`` if it forgot.

    Pass a route from :func:`api_routes` so that guards inherited from an ``include_router``
    count. A route may narrow a router-wide ``allow()`` with its own; the guard returned then
    admits the roles that all of them admit. Declaring ``public`` and ``allow()`` together is
    an error, refused by :func:`assert_every_route_guarded`.
    """
    guards = _declared_guards(route.dependant)
    allows = [guard for guard in guards if isinstance(guard, _Allow)]
    if len(allows) == 1:
        return allows[0]
    if allows:
        return _Allow(frozenset.intersection(*(guard.roles for guard in allows)))
    return public if guards else None


def _holds_guard(dependant: Dependant) -> bool:
    return (
        isinstance(dependant.call, _Allow)
        or dependant.call is public
        or bool(_declared_guards(dependant))
    )


def _guard_first(route: RouteContext) -> None:
    """Evaluate the dependencies that hold the guard before any other (stable order).

    The dependant sorted is the one the served handler was built from, so the order holds
    for requests; the route-walk test checks the answers, whatever the mechanism.
    """
    dependencies: list[Dependant] = route.dependant.dependencies
    dependencies.sort(key=lambda dep: not _holds_guard(dep))


def _framework_paths(app: FastAPI) -> set[str]:
    """The documentation routes FastAPI adds itself (public by nature)."""
    paths = {app.openapi_url, app.docs_url, app.redoc_url}
    if app.docs_url and app.swagger_ui_oauth2_redirect_url:
        paths.add(app.swagger_ui_oauth2_redirect_url)
    return {path for path in paths if path}


def assert_every_route_guarded(app: FastAPI) -> None:
    """Refuse to serve an app in which some route forgot to declare its audience.

    Every API route declares exactly one audience (``public`` or ``allow()``s that admit at
    least one role); a plain Starlette route, a websocket or a mounted sub-application escapes
    the guards altogether, so only FastAPI's documentation routes and static files may be one.
    Each guarded route is then rearranged so that its guard runs first (see module doc).
    """
    problems: list[str] = []
    framework = _framework_paths(app)
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            name = f"{sorted(context.methods or ())} {context.path}"
            guards = _declared_guards(context.dependant)
            guard = route_guard(context)
            if guard is None:
                problems.append(f"{name}: no allow()/public guard")
            elif public in guards and any(isinstance(g, _Allow) for g in guards):
                problems.append(f"{name}: declares both public and allow()")
            elif isinstance(guard, _Allow) and not guard.roles:
                problems.append(f"{name}: its allow() guards admit no role in common")
            else:
                _guard_first(context)
        elif isinstance(route, Mount) and isinstance(route.app, StaticFiles):
            continue
        elif type(route) is Route and context.path in framework:
            continue
        else:
            problems.append(
                f"{type(route).__name__} {context.path}: not an API route, so never guarded"
            )
    if problems:
        raise RuntimeError("routes without a proper allow()/public guard: " + "; ".join(problems))
