"""Who is calling, and may they call this route? Deny by default.

Every route declares its audience with exactly one of two dependencies:

* ``Depends(allow(Role.ADMIN, Role.INSPECTOR))`` — an authenticated principal with one of
  these roles; anyone else gets 401 (no or bad credentials) or 403 (wrong role);
* ``Depends(public)`` — open to everyone (verification pages, trust list, health).

:func:`assert_every_route_guarded` runs at app start-up and refuses to build an app with a
route that declares neither, and a test walks every route to prove the answers.

Credentials are a bearer token (``Authorization: Bearer kht_…``) for API clients or the same
kind of token in the ``khatem_session`` cookie for the browser pages. Only a token's SHA-256 is
stored; tokens expire and can be revoked; they never appear in logs.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session, select

from core.db import new_session
from core.problems import Forbidden, Unauthorized
from core.settings import Settings, get_settings
from schemas.accounts import ApiToken, UserAccount
from schemas.types import Role, utcnow

__all__ = [
    "SESSION_COOKIE",
    "CurrentPrincipal",
    "Principal",
    "SessionDep",
    "SettingsDep",
    "allow",
    "assert_every_route_guarded",
    "get_session",
    "hash_token",
    "new_token",
    "public",
]

SESSION_COOKIE = "khatem_session"
TOKEN_PREFIX = "kht_"

SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """A database session for one request. Services commit; anything uncommitted is dropped."""
    session = new_session(settings.resolved_database_url)
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


def _authenticate(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise Unauthorized("Send a valid bearer token.")
    row = session.exec(
        select(ApiToken, UserAccount)
        .join(UserAccount, UserAccount.id == ApiToken.user_id)  # type: ignore[arg-type]
        .where(ApiToken.token_hash == hash_token(token))
    ).first()
    now = utcnow()
    if row is None:
        raise Unauthorized("Send a valid bearer token.")
    api_token, user = row
    if api_token.revoked_at is not None or api_token.expires_at <= now or not user.is_active:
        raise Unauthorized("This token has expired or was revoked.")
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=5):
        api_token.last_used_at = now
        session.add(api_token)
        session.commit()
    assert user.id is not None and api_token.id is not None
    return Principal(
        user_id=user.id,
        role=Role(user.role),
        body_id=user.body_id,
        artisan_id=user.artisan_id,
        token_id=api_token.id,
    )


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


def public() -> None:
    """Marks a route as open to everyone (the explicit public allow-list)."""


CurrentPrincipal = Principal  # readable alias for type hints in routes


def route_guard(route: APIRoute) -> _Allow | Callable[[], None] | None:
    """The guard a route declared, if any."""
    found: list[Any] = []

    def walk(dependant: Any) -> None:
        for dep in dependant.dependencies:
            if isinstance(dep.call, _Allow) or dep.call is public:
                found.append(dep.call)
            walk(dep)

    walk(route.dependant)
    return found[0] if found else None


def assert_every_route_guarded(app: FastAPI) -> None:
    """Refuse to serve an app in which some route forgot to declare its audience."""
    unguarded = [
        f"{sorted(route.methods)} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute) and route_guard(route) is None
    ]
    if unguarded:
        raise RuntimeError(f"routes without allow()/public guard: {unguarded}")
