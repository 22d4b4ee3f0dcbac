"""Sign-ins hash outside any transaction, through a bounded gate, within a per-client budget;
read requests never take SQLite's writer lock. Deterministic: each test holds an Argon2
verification (or the writer lock) with an event, never with a sleep.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from core import passwords
from core.db import begin_write, engine_for, is_sqlite, new_session, read_session
from core.passwords import HashGate
from core.settings import Settings
from main import create_app
from schemas.accounts import ApiToken, UserAccount
from schemas.registry import Body
from schemas.types import Role, utcnow
from tests.fixtures.actors import PASSWORD, Actor, make_user
from tests.security.support import assert_problem

TOKEN_URL = "/api/v1/auth/token"
WAIT = 30.0  # the longest any step here waits for another thread (a bound, not a timing)


@pytest.fixture
def account(session: Session, chambre: Body) -> Actor:
    actor = make_user(session, email="verrou@khatem.ma", role=Role.INSPECTOR, body_id=chambre.id)
    session.close()  # this test's session must hold no transaction while the app works
    return actor


@contextmanager
def serving(settings: Settings, **changes: Any) -> Iterator[tuple[FastAPI, TestClient]]:
    app = create_app(settings.model_copy(update=changes))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield app, client


def _sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post(TOKEN_URL, json={"email": email, "password": password})


def _stranger() -> str:
    return f"personne-{uuid.uuid4().hex[:12]}@khatem.ma"


class WatchedHasher:
    """Wraps the suite's Argon2 hasher; runs ``during`` inside every verification, and holds
    each verification until ``release`` is set if ``hold`` is."""

    def __init__(self, inner: Any, during: Callable[[], None] | None = None, hold: bool = False):
        self.inner = inner
        self.during = during
        self.entered = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def verify(self, password_hash: str, password: str) -> bool:
        if self.during is not None:
            self.during()
        self.entered.set()
        assert self.release.wait(WAIT), "the test never released the verification"
        return bool(self.inner.verify(password_hash, password))

    def hash(self, password: str) -> str:
        return str(self.inner.hash(password))


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., WatchedHasher]]:
    made: list[WatchedHasher] = []

    def install(during: Callable[[], None] | None = None, hold: bool = False) -> WatchedHasher:
        hasher = WatchedHasher(passwords._hasher, during, hold)
        monkeypatch.setattr(passwords, "_hasher", hasher)
        made.append(hasher)
        return hasher

    yield install
    for hasher in made:  # a failed test must not leave a server thread waiting
        hasher.release.set()


def _gate(app: FastAPI) -> HashGate:
    gate: HashGate = app.state.hash_gate
    return gate


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


# --- Argon2 runs with no transaction open ---------------------------------------------------


def _writer_lock_is_free(db_url: str) -> bool:
    """Whether another connection could take SQLite's writer lock right now (no waiting)."""
    path = make_url(db_url).database
    assert path
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def test_argon2_runs_with_no_transaction_open_and_no_connection_held(
    settings: Settings, account: Actor, db_url: str, watch: Callable[..., WatchedHasher]
) -> None:
    """During every verification (right password, wrong one, unknown email, the form) the
    app holds no pooled connection and, on SQLite, the writer lock is free."""
    pool = engine_for(db_url).pool
    seen: list[tuple[int, bool]] = []

    def during() -> None:
        free = _writer_lock_is_free(db_url) if is_sqlite(db_url) else True
        seen.append((pool.checkedout(), free))  # type: ignore[attr-defined]

    with serving(settings) as (_, client):
        watch(during)
        assert _sign_in(client, account.email).status_code == 201
        assert _sign_in(client, account.email, "pas le bon").status_code == 401
        assert _sign_in(client, _stranger()).status_code == 401
        form = {"email": account.email, "password": PASSWORD}
        assert client.post("/login", data=form, follow_redirects=False).status_code == 303
    assert seen == [(0, True)] * 4


def test_a_password_verified_while_the_account_was_locked_signs_nobody_in(
    settings: Settings, account: Actor, db_url: str, watch: Callable[..., WatchedHasher]
) -> None:
    """The outcome is recorded after the hash, in a transaction that reads the account
    again: a lock that parallel wrong guesses set meanwhile still holds."""
    hasher = watch(hold=True)
    with serving(settings) as (_, client), ThreadPoolExecutor(1) as pool:
        pending = pool.submit(_sign_in, client, account.email)
        assert hasher.entered.wait(WAIT)
        with new_session(db_url) as other:  # the app must not hold the lock now
            other.execute(
                text("UPDATE user_account SET locked_until = :until WHERE id = :id"),
                {"until": utcnow() + timedelta(seconds=60), "id": account.id},
            )
            other.commit()
        hasher.release.set()
        answer = pending.result(WAIT)
    assert_problem(answer, 429, slug="login-locked")
    assert "access_token" not in answer.text


# --- The hash gate --------------------------------------------------------------------------


def test_a_full_hash_queue_is_answered_503_with_retry_after(
    settings: Settings, account: Actor, watch: Callable[..., WatchedHasher]
) -> None:
    hasher = watch(hold=True)
    gated = {"login_hash_concurrency": 1, "login_hash_queue": 1, "login_hash_wait_seconds": 30}
    with serving(settings, **gated) as (app, client), ThreadPoolExecutor(2) as pool:
        hashing = pool.submit(_sign_in, client, account.email)
        assert hasher.entered.wait(WAIT)
        waiting = pool.submit(_sign_in, client, _stranger())
        _until(lambda: _gate(app).admitted == 2, "the second sign-in waits for the slot")

        busy = _sign_in(client, account.email)
        assert_problem(busy, 503, slug="login-busy")
        assert busy.headers["retry-after"] == "30"
        page = client.post("/login", data={"email": account.email, "password": PASSWORD})
        assert page.status_code == 503 and page.headers["retry-after"] == "30"
        assert page.headers["content-type"].startswith("text/html")
        assert "Trop de connexions en ce moment" in page.text
        assert "khatem_session" not in page.headers.get("set-cookie", "")

        hasher.release.set()
        assert hashing.result(WAIT).status_code == 201
        assert waiting.result(WAIT).status_code == 401
        assert _gate(app).admitted == 0


def test_a_sign_in_waits_for_a_slot_no_longer_than_the_setting(
    settings: Settings, account: Actor, watch: Callable[..., WatchedHasher]
) -> None:
    hasher = watch(hold=True)
    gated = {"login_hash_concurrency": 1, "login_hash_queue": 4, "login_hash_wait_seconds": 0.2}
    with serving(settings, **gated) as (app, client), ThreadPoolExecutor(1) as pool:
        hashing: Future[Any] = pool.submit(_sign_in, client, account.email)
        assert hasher.entered.wait(WAIT)
        gave_up = _sign_in(client, _stranger())  # the slot stays taken: it must give up
        assert_problem(gave_up, 503, slug="login-busy")
        assert gave_up.headers["retry-after"] == "1"
        hasher.release.set()
        assert hashing.result(WAIT).status_code == 201


def test_the_gate_admits_its_concurrency_plus_its_queue() -> None:
    gate = HashGate(concurrency=2, queue=1, wait_seconds=30)
    release = threading.Event()
    inside = threading.Barrier(3)

    def hold() -> None:
        with gate.slot():
            inside.wait(WAIT)
            release.wait(WAIT)

    def queued() -> None:
        with gate.slot():
            pass

    with ThreadPoolExecutor(3) as pool:
        running = [pool.submit(hold) for _ in range(2)]
        inside.wait(WAIT)  # both slots taken
        waiting = pool.submit(queued)
        _until(lambda: gate.admitted == 3, "the third waits")
        with pytest.raises(passwords.HashingBusy) as refused:
            with gate.slot():
                pass
        assert refused.value.retry_after == 30
        release.set()
        for future in [*running, waiting]:
            future.result(WAIT)
    assert gate.admitted == 0


# --- The per-client sign-in budget ----------------------------------------------------------


def test_sign_ins_are_rate_limited_per_client_through_the_api_and_the_form(
    settings: Settings,
) -> None:
    tight = {"rate_limit_login_burst": 2, "rate_limit_login_per_minute": 1}
    app = create_app(settings.model_copy(update=tight))
    with (
        TestClient(app, raise_server_exceptions=False, client=("203.0.113.7", 5000)) as flooder,
        TestClient(app, raise_server_exceptions=False, client=("198.51.100.2", 5000)) as other,
    ):
        assert _sign_in(flooder, _stranger()).status_code == 401
        form = flooder.post("/login", data={"email": _stranger(), "password": "x"})
        assert form.status_code == 401
        refused = _sign_in(flooder, _stranger())
        assert_problem(refused, 429, slug="rate-limited")
        assert int(refused.headers["retry-after"]) >= 1
        page = flooder.post("/login", data={"email": _stranger(), "password": "x"})
        assert_problem(page, 429, slug="rate-limited")
        assert _sign_in(other, _stranger()).status_code == 401  # another client's budget


# --- Reads take no writer lock --------------------------------------------------------------


@contextmanager
def _writer_holding_the_lock(db_url: str, user_id: int) -> Iterator[None]:
    """Another connection in the middle of a write transaction on the user's row."""
    statement = "UPDATE user_account SET display_name = display_name WHERE id = {}"
    if is_sqlite(db_url):
        path = make_url(db_url).database
        assert path
        sqlite_writer = sqlite3.connect(path, isolation_level=None)
        sqlite_writer.execute("BEGIN IMMEDIATE")
        sqlite_writer.execute(statement.format("?"), (user_id,))
        try:
            yield
        finally:
            sqlite_writer.execute("ROLLBACK")
            sqlite_writer.close()
        return
    url = make_url(db_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as pg_writer:
        pg_writer.execute(statement.format("%s"), (user_id,))
        try:
            yield
        finally:
            pg_writer.rollback()


def test_reads_are_answered_while_a_writer_holds_the_lock(
    settings: Settings, admin: Actor, session: Session
) -> None:
    session.close()
    with serving(settings) as (_, client):
        me = client.get("/api/v1/auth/me", headers=admin.headers)  # notes the token's use
        assert me.status_code == 200
        with _writer_holding_the_lock(settings.resolved_database_url, admin.id):
            for path in ("/api/v1/auth/me", "/api/v1/inspectors", "/api/v1/auth/tokens"):
                response = client.get(path, headers=admin.headers)
                assert response.status_code == 200, (path, response.text[:300])


def test_a_read_request_still_notes_when_a_token_was_used(
    settings: Settings, admin: Actor, session: Session
) -> None:
    """The one write a GET makes goes through ``begin_write``."""
    session.close()
    with serving(settings) as (_, client):
        assert client.get("/api/v1/auth/me", headers=admin.headers).status_code == 200
    row = session.exec(select(ApiToken).where(ApiToken.user_id == admin.id)).one()
    assert row.last_used_at is not None
    session.rollback()


def test_a_read_session_cannot_write_without_begin_write(db_url: str, account: Actor) -> None:
    rename = text("UPDATE user_account SET display_name = 'Renommée' WHERE id = :id")
    if is_sqlite(db_url):
        with read_session(db_url) as reader, pytest.raises(Exception, match="readonly"):
            reader.execute(rename, {"id": account.id})
    with read_session(db_url) as reader:
        assert reader.get(UserAccount, account.id) is not None
        begin_write(reader)
        reader.execute(rename, {"id": account.id})
        reader.commit()
    with read_session(db_url) as reader:
        user = reader.get(UserAccount, account.id)
        assert user is not None and user.display_name == "Renommée"
        if is_sqlite(db_url):  # ending the read transaction would lose this change
            user.display_name = "Changée sans écrire"
            with pytest.raises(RuntimeError):
                begin_write(reader)
