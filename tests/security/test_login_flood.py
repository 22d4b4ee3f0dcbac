"""A flood of anonymous sign-ins against a real uvicorn, on SQLite and on PostgreSQL.

120 sign-ins, 32 at a time, at the production Argon2 cost (64 MiB, a few hundred ms each):
half with the right password of an account, half with emails nobody uses. Staff requests
(an authenticated read and an authenticated write) are made in the middle of it. Before the
fix every sign-in hashed while holding SQLite's writer lock (PostgreSQL: a pooled
connection), unbounded: sign-ins and staff requests failed with 500 "database is locked".

Now: no answer is ever a 500; what the server will not take is refused 429 (the per-client
sign-in budget, ``rate-limited``) or 503 (the hash gate is full, ``login-busy``), with
``Retry-After`` and as problem+json; the staff requests succeed. Status only, no timing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlmodel import Session

from core import passwords
from core.problems import PROBLEM_MEDIA_TYPE
from core.settings import Settings
from schemas.accounts import UserAccount
from schemas.registry import Body
from schemas.types import Role
from tests.fixtures.actors import PASSWORD, Actor, make_user
from tests.security.support import LiveServer

SIGN_INS = 120
PARALLEL = 32
LOGIN_BURST = 40  # sign-ins the per-client budget admits at once; the rest of the flood: 429
TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A small hash gate (one Argon2 at a time, two waiting) and a sign-in budget smaller
    than the flood, so that both refusals happen; everything else as configured."""
    return settings.model_copy(
        update={
            "login_hash_concurrency": 1,
            "login_hash_queue": 2,
            "login_hash_wait_seconds": 5.0,
            "rate_limit_login_burst": LOGIN_BURST,
            "rate_limit_login_per_minute": 1,
        }
    )


@pytest.fixture
def production_argon2(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """The production Argon2 profile for this test (the suite's default is a cheap one):
    the point is what holding a lock for a real hash does."""
    hasher = PasswordHasher()
    monkeypatch.setattr(passwords, "_hasher", hasher)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", hasher.hash("khatem-dummy-password-for-timing"))
    return hasher


@pytest.fixture
def flooded(session: Session, chambre: Body, production_argon2: PasswordHasher) -> Actor:
    """The account the flood signs in to, its password hashed at the production cost."""
    actor = make_user(
        session, email="cible.flood@khatem.ma", role=Role.INSPECTOR, body_id=chambre.id
    )
    user = session.get(UserAccount, actor.id)
    assert user is not None
    user.password_hash = production_argon2.hash(PASSWORD)
    session.add(user)
    session.commit()
    session.close()  # the app must not wait for this test's transaction
    return actor


def _sign_in(http: httpx.Client, index: int, email: str) -> tuple[str, httpx.Response]:
    # Even: the account's right password. Odd: an email nobody uses (a fresh one each, so
    # that no unknown email reaches the lockout and every one costs a dummy hash).
    if index % 2:
        email = f"personne-{uuid.uuid4().hex[:12]}@khatem.ma"
    return "sign-in", http.post(TOKEN_URL, json={"email": email, "password": PASSWORD})


def _staff(http: httpx.Client, admin: Actor, index: int) -> tuple[str, httpx.Response]:
    if index % 2:
        return "staff-write", http.post(
            "/api/v1/auth/tokens", json={"name": f"during-flood-{index}"}, headers=admin.headers
        )
    return "staff-read", http.get("/api/v1/inspectors", headers=admin.headers)


def test_a_sign_in_flood_is_refused_politely_and_staff_keep_working(
    live_server: LiveServer, flooded: Actor, admin: Actor, session: Session
) -> None:
    session.close()
    # Staff requests go in among the sign-ins, so they run while 31 others are in flight.
    staff_at = {SIGN_INS // 4 + 10 * k: k for k in range(6)}  # 3 reads, 3 writes
    # A connection per request: uvicorn closes idle keep-alive connections after 5 s, and a
    # POST sent on one as it closes fails in the client, whatever the server would answer.
    limits = httpx.Limits(max_connections=PARALLEL * 2, max_keepalive_connections=0)
    with (
        httpx.Client(base_url=live_server.url, timeout=60.0, limits=limits) as http,
        ThreadPoolExecutor(max_workers=PARALLEL) as pool,
    ):
        assert http.get("/api/v1/auth/me", headers=admin.headers).status_code == 200
        futures = []
        for index in range(SIGN_INS):
            futures.append(pool.submit(_sign_in, http, index, flooded.email))
            if index in staff_at:
                futures.append(pool.submit(_staff, http, admin, staff_at[index]))
        answers = [future.result() for future in futures]

    sign_ins = [response for kind, response in answers if kind == "sign-in"]
    staff = [(kind, response) for kind, response in answers if kind != "sign-in"]
    statuses = Counter(response.status_code for response in sign_ins)
    assert set(statuses) <= {201, 401, 429, 503}, [
        (r.status_code, r.text[:200]) for r in sign_ins if r.status_code not in (201, 401, 429, 503)
    ]
    refused = [response for response in sign_ins if response.status_code in (429, 503)]
    assert any(response.status_code == 429 for response in refused), statuses
    assert len(refused) >= SIGN_INS - LOGIN_BURST - 1  # the budget admits no more than this
    for response in refused:
        _assert_polite_refusal(response)
    assert any(response.status_code in (201, 401) for response in sign_ins), statuses
    for kind, response in staff:
        expected = 201 if kind == "staff-write" else 200
        assert response.status_code == expected, (kind, response.status_code, response.text[:300])


def _assert_polite_refusal(response: httpx.Response) -> None:
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["content-type"].split(";")[0] == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    slug = {429: "rate-limited", 503: "login-busy"}[response.status_code]
    assert body["type"] == f"https://khatem.ma/problems/{slug}", body
