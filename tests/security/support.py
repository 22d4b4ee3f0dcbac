"""Helpers of the security suite (fixtures live in ``conftest.py`` and use these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import MetaData, select
from sqlmodel import Session

from core import passwords
from core.auth import new_token
from core.db import engine_for
from core.problems import PROBLEM_MEDIA_TYPE
from schemas.accounts import ApiToken
from schemas.types import utcnow
from tests.fixtures.actors import Actor

__all__ = [
    "LiveServer",
    "Snapshot",
    "TokenMint",
    "assert_problem",
    "changed_tables",
    "use_cheap_password_hashing",
    "snapshot",
]

Snapshot = dict[str, list[str]]


def use_cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with the production profile costs 0.1-0.5 s a hash on these machines; these
    tests check what logins answer, not what they cost, so they use a cheap profile (still
    Argon2id, so every hash the code meets verifies the same way)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("khatem-dummy-password-for-timing"))


@dataclass(frozen=True)
class LiveServer:
    """The app served by a real uvicorn (see the ``live_server`` fixture)."""

    url: str


@dataclass(frozen=True)
class TokenMint:
    """Makes bearer tokens straight in the database (no Argon2, no login throttling)."""

    session: Session

    def __call__(
        self, actor: Actor, *, valid_for: timedelta = timedelta(hours=1), revoked: bool = False
    ) -> str:
        token, token_hash = new_token()
        now = utcnow()
        self.session.add(
            ApiToken(
                user_id=actor.id,
                token_hash=token_hash,
                name="security-suite",
                expires_at=now + valid_for,
                revoked_at=now if revoked else None,
            )
        )
        self.session.commit()
        return token

    def headers(self, actor: Actor) -> dict[str, str]:
        return {"Authorization": f"Bearer {self(actor)}"}


@lru_cache(maxsize=8)
def _tables(db_url: str) -> MetaData:
    metadata = MetaData()
    metadata.reflect(engine_for(db_url))
    return metadata


def snapshot(db_url: str) -> Snapshot:
    """Every row of every table, as sortable text: equal snapshots mean nothing changed."""
    engine = engine_for(db_url)
    rows: Snapshot = {}
    with engine.connect() as connection:
        for name, table in sorted(_tables(db_url).tables.items()):
            rows[name] = sorted(repr(tuple(row)) for row in connection.execute(select(table)))
        connection.rollback()
    return rows


def changed_tables(before: Snapshot, after: Snapshot) -> dict[str, str]:
    """Which tables differ, and how (row counts first: that is what a reader wants first)."""
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, []), after.get(name, [])
        if old != new:
            changes[name] = f"{len(old)} rows -> {len(new)} rows"
    return changes


def assert_problem(response: Any, status: int, *, slug: str | None = None) -> dict[str, Any]:
    """The answer is an RFC 9457 problem with this status (and type slug, if given)."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    media_type = response.headers.get("content-type", "").split(";")[0]
    assert media_type == PROBLEM_MEDIA_TYPE, media_type
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://khatem.ma/problems/")
    assert isinstance(body["title"], str) and body["title"]
    if slug is not None:
        assert body["type"] == f"https://khatem.ma/problems/{slug}", body
    return body
