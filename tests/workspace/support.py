"""Helpers of the workspace tests: browser sessions minted straight in the database, the
CSRF token of a page, the problem slug of an error page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from core.auth import SESSION_COOKIE, new_token
from schemas.accounts import ApiToken
from schemas.types import utcnow
from tests.fixtures.actors import Actor

__all__ = ["Browser", "SessionMint", "csrf_of", "problem_of"]

_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
_PROBLEM = re.compile(r'data-problem="([a-z0-9-]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def problem_of(html: str) -> str | None:
    match = _PROBLEM.search(html)
    return match.group(1) if match else None


@dataclass(frozen=True)
class SessionMint:
    """Makes browser sessions (tokens of kind ``session``) as /login would, without Argon2."""

    session: Session

    def __call__(
        self,
        actor: Actor,
        *,
        last_used: datetime | None = None,
        valid_for: timedelta = timedelta(hours=12),
        kind: str = "session",
    ) -> str:
        token, token_hash = new_token()
        now = utcnow()
        self.session.add(
            ApiToken(
                user_id=actor.id,
                token_hash=token_hash,
                name="browser",
                kind=kind,
                created_at=last_used or now,
                expires_at=now + valid_for,
                last_used_at=last_used,
            )
        )
        self.session.commit()
        return token


@dataclass
class Browser:
    """A test client signed in with a session cookie (as a browser after /login)."""

    client: TestClient
    token: str

    def __post_init__(self) -> None:
        self.client.cookies.set(SESSION_COOKIE, self.token)

    def get(self, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.get(url, follow_redirects=False, **kwargs)  # type: ignore[arg-type]

    def post(self, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return self.client.post(url, follow_redirects=False, **kwargs)  # type: ignore[arg-type]

    def csrf(self, url: str = "/workspace") -> str:
        response = self.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return csrf_of(response.text)
