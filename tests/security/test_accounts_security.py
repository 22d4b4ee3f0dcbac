"""Signing in, lockout, tokens at rest and in logs, and the browser session cookie."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from core.settings import Settings
from labeling.accounts import service
from schemas.accounts import ApiToken, UserAccount
from schemas.registry import Body
from schemas.types import Role, utcnow
from tests.fixtures.actors import PASSWORD, Actor, make_user
from tests.security.support import LiveServer, assert_problem, snapshot

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"


def _login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post(TOKEN_URL, json={"email": email, "password": password})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def account(session: Session, chambre: Body) -> Actor:
    """An inspector whose email has an ordinary (non-reserved) domain."""
    return make_user(
        session, email="inspectrice.errachidia@khatem.ma", role=Role.INSPECTOR, body_id=chambre.id
    )


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[timedelta], None]:
    """Move the accounts service's clock forward (the lockout reads it)."""

    def advance(delta: timedelta) -> None:
        monkeypatch.setattr(service, "utcnow", lambda: utcnow() + delta)

    return advance


def _stranger() -> str:
    """An email that has no account (the unknown-email throttle lives as long as the process)."""
    return f"personne-{uuid.uuid4().hex[:12]}@khatem.ma"


# --- Signing in ------------------------------------------------------------------------------


def test_an_account_signs_in_and_the_token_opens_the_registry(
    client: TestClient, account: Actor, settings: Settings
) -> None:
    response = _login(client, account.email)
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["token_type"] == "bearer"
    assert issued["access_token"].startswith("kht_") and len(issued["access_token"]) > 40
    expires = datetime.fromisoformat(issued["expires_at"])
    expected = utcnow() + timedelta(hours=settings.token_ttl_hours)
    assert abs(expires - expected) < timedelta(minutes=1)

    me = client.get(ME_URL, headers=_bearer(issued["access_token"]))
    assert me.status_code == 200
    assert me.json()["role"] == "inspector" and me.json()["email"] == account.email


def test_the_email_is_not_case_sensitive(client: TestClient, account: Actor) -> None:
    assert _login(client, account.email.upper()).status_code == 201


def test_every_account_the_registry_holds_can_sign_in_through_the_api(
    client: TestClient, inspector: Actor
) -> None:
    form = client.post(
        "/login",
        data={"email": inspector.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert form.status_code == 303
    assert _login(client, inspector.email).status_code == 201


def test_a_wrong_password_is_refused(client: TestClient, account: Actor) -> None:
    response = _login(client, account.email, "wrong horse battery staple")
    assert_problem(response, 401, slug="login-failed")
    assert response.headers["www-authenticate"] == "Bearer"


def _answers(client: TestClient, email: str, attempts: int) -> list[tuple[int, Any, str | None]]:
    answers = []
    for _ in range(attempts):
        response = _login(client, email, "wrong horse battery staple")
        retry = response.headers.get("retry-after")
        answers.append((response.status_code, response.json(), retry and "present"))
    return answers


def test_an_unknown_email_gets_exactly_the_answers_of_a_wrong_password(
    client: TestClient, account: Actor, settings: Settings
) -> None:
    """Also after repeated failures: a lockout must not reveal that an account exists."""
    attempts = settings.login_max_failures + 2
    known = _answers(client, account.email, attempts)
    unknown = _answers(client, _stranger(), attempts)
    assert known == unknown
    assert [status for status, _, _ in known][-2:] == [429, 429]


def test_repeated_failures_lock_the_account_even_against_the_right_password(
    client: TestClient,
    account: Actor,
    settings: Settings,
    clock: Callable[[timedelta], None],
) -> None:
    for _ in range(settings.login_max_failures - 1):
        assert _login(client, account.email, "wrong").status_code == 401
    assert _login(client, account.email, "wrong").status_code == 401  # this one locks

    locked = _login(client, account.email)
    assert_problem(locked, 429, slug="login-locked")
    assert 0 < int(locked.headers["retry-after"]) <= settings.login_lockout_seconds + 1
    assert "access_token" not in locked.text

    clock(timedelta(seconds=settings.login_lockout_seconds - 5))
    assert _login(client, account.email).status_code == 429  # still within the lock

    clock(timedelta(seconds=settings.login_lockout_seconds + 1))
    assert _login(client, account.email).status_code == 201  # the lock has passed


def test_a_successful_sign_in_resets_the_failure_count(
    client: TestClient, account: Actor, settings: Settings
) -> None:
    for _ in range(2):
        for _ in range(settings.login_max_failures - 1):
            assert _login(client, account.email, "wrong").status_code == 401
        assert _login(client, account.email).status_code == 201


def test_concurrent_wrong_guesses_are_all_counted(
    client: TestClient, account: Actor, settings: Settings, session: Session
) -> None:
    """The failure count is one atomic UPDATE: parallel guesses cannot outrun the lockout."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(
                lambda _: _login(client, account.email, "wrong").status_code,
                range(settings.login_max_failures * 2),
            )
        )
    assert set(statuses) <= {401, 429}
    assert _login(client, account.email).status_code == 429


def test_a_deactivated_account_cannot_sign_in(
    client: TestClient, account: Actor, session: Session
) -> None:
    user = session.get(UserAccount, account.id)
    assert user is not None
    user.is_active = False
    session.add(user)
    session.commit()
    assert_problem(_login(client, account.email), 401, slug="login-failed")


# --- Tokens ----------------------------------------------------------------------------------


def _database_files(db_url: str) -> list[Path]:
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return []
    main = Path(url.database)
    return [path for path in (main, Path(f"{main}-wal")) if path.exists()]


def test_tokens_are_stored_only_as_their_hash(
    client: TestClient, account: Actor, db_url: str, session: Session
) -> None:
    api_token = _login(client, account.email).json()["access_token"]
    form = client.post(
        "/login", data={"email": account.email, "password": PASSWORD}, follow_redirects=False
    )
    cookie_token = form.cookies["khatem_session"]
    client.cookies.clear()
    extra = client.post(
        "/api/v1/auth/tokens", json={"name": "integration"}, headers=_bearer(api_token)
    ).json()["access_token"]

    rows = repr(snapshot(db_url))
    raw = b"".join(path.read_bytes() for path in _database_files(db_url))
    for token in (api_token, cookie_token, extra):
        secret = token.removeprefix("kht_")
        assert secret not in rows
        assert secret.encode() not in raw
        digest = hashlib.sha256(token.encode()).hexdigest()
        stored = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).one()
        assert stored.user_id == account.id
    session.rollback()  # every transaction here takes SQLite's write lock: end it

    listing = client.get("/api/v1/auth/tokens", headers=_bearer(api_token))
    assert listing.status_code == 200 and len(listing.json()) >= 3
    for token in (api_token, cookie_token, extra):
        assert token.removeprefix("kht_") not in listing.text
    assert "hash" not in listing.text


def test_a_revoked_token_no_longer_opens_the_registry(client: TestClient, account: Actor) -> None:
    token = _login(client, account.email).json()["access_token"]
    assert client.post("/api/v1/auth/logout", headers=_bearer(token)).status_code == 204
    response = client.get(ME_URL, headers=_bearer(token))
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_a_token_revoked_by_id_is_refused_and_others_cannot_revoke_it(
    client: TestClient, account: Actor, admin: Actor
) -> None:
    issued = _login(client, account.email).json()
    token, token_id = issued["access_token"], issued["token_id"]

    by_other = client.delete(f"/api/v1/auth/tokens/{token_id}", headers=admin.headers)
    assert_problem(by_other, 404)  # not yours: indistinguishable from "no such token"
    assert client.get(ME_URL, headers=_bearer(token)).status_code == 200

    mine = client.delete(f"/api/v1/auth/tokens/{token_id}", headers=account.headers)
    assert mine.status_code == 204
    assert_problem(client.get(ME_URL, headers=_bearer(token)), 401)
    again = client.delete(f"/api/v1/auth/tokens/{token_id}", headers=account.headers)
    assert_problem(again, 404)


def test_an_expired_token_is_refused(client: TestClient, account: Actor, session: Session) -> None:
    issued = _login(client, account.email).json()
    row = session.get(ApiToken, issued["token_id"])
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert_problem(client.get(ME_URL, headers=_bearer(issued["access_token"])), 401)


def test_huge_token_ids_are_refused_not_overflowed(client: TestClient, account: Actor) -> None:
    response = client.delete(f"/api/v1/auth/tokens/{10**30}", headers=account.headers)
    assert_problem(response, 422)


# --- Tokens never appear in logs ----------------------------------------------------------


def test_no_token_or_password_ever_reaches_a_log(
    live_server: LiveServer,
    account: Actor,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Everything logged at every level — uvicorn's access log and ASGI trace, SQLAlchemy's
    statements with parameters and rows (what ``echo="debug"`` shows), httpx — while a token
    is issued, used as a bearer and as a cookie, and revoked."""
    caplog.set_level(1)  # below DEBUG: uvicorn's TRACE too
    for name in ("sqlalchemy.engine", "uvicorn", "uvicorn.access", "uvicorn.error", "httpx"):
        caplog.set_level(1, logger=name)

    with httpx.Client(base_url=live_server.url) as http:
        issued = http.post(TOKEN_URL, json={"email": account.email, "password": PASSWORD})
        assert issued.status_code == 201
        token = issued.json()["access_token"]
        assert http.get(ME_URL, headers=_bearer(token)).status_code == 200

        form = http.post("/login", data={"email": account.email, "password": PASSWORD})
        assert form.status_code == 303
        cookie = form.cookies["khatem_session"]
        assert http.get(ME_URL).status_code == 200  # the client keeps the cookie
        http.cookies.clear()
        assert http.post("/api/v1/auth/logout", headers=_bearer(token)).status_code == 204
        assert http.get(ME_URL, headers=_bearer(token)).status_code == 401

    # httpx/httpcore are this test's HTTP client, not the server: at DEBUG they print the
    # response headers they receive, Set-Cookie included. What the server logs is the rest.
    server_records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in server_records
    )
    out, err = capfd.readouterr()
    everything = logged + out + err
    # The capture worked: the requests and the SQL are there ...
    assert f"POST {TOKEN_URL} HTTP/1.1" in logged
    assert "ASGI [" in logged and "api_token" in logged
    # ... and no secret is.
    for secret in (token, cookie):
        assert secret.removeprefix("kht_") not in everything
    assert PASSWORD not in everything


# --- The browser sign-in form ----------------------------------------------------------------


def test_the_sign_in_page_is_a_form(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<form method="post" action="/login">' in page.text
    assert 'type="password"' in page.text


def test_signing_in_through_the_form_sets_a_strict_http_only_cookie(
    client: TestClient, account: Actor, settings: Settings
) -> None:
    response = client.post(
        "/login",
        data={"email": account.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/workspace"
    set_cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in set_cookie.split(";")}
    assert set_cookie.startswith("khatem_session=kht_")
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=strict" in set_cookie.lower()
    assert f"max-age={settings.session_ttl_hours * 3600}" in set_cookie.lower()
    assert "secure" not in attributes  # plain http in this test; see the https test

    me = client.get(ME_URL)  # the client sends the cookie back
    assert me.status_code == 200 and me.json()["email"] == account.email


def test_the_cookie_is_secure_over_https(app: FastAPI, account: Actor) -> None:
    with TestClient(app, base_url="https://khatem.test") as client:
        response = client.post(
            "/login",
            data={"email": account.email, "password": PASSWORD},
            follow_redirects=False,
        )
    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()


def test_a_wrong_password_shows_the_form_again_with_a_message(
    client: TestClient, account: Actor
) -> None:
    response = client.post("/login", data={"email": account.email, "password": "wrong"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/html")
    assert '<form method="post" action="/login">' in response.text
    assert "Email ou mot de passe incorrect." in response.text
    assert f'value="{account.email}"' in response.text
    assert "khatem_session" not in response.headers.get("set-cookie", "")


def test_the_form_escapes_what_it_echoes(client: TestClient) -> None:
    hostile = '"><script>alert(1)</script>@x.ma'
    response = client.post("/login", data={"email": hostile, "password": "wrong"})
    assert response.status_code == 401
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_a_locked_account_is_told_to_wait_in_the_form(
    client: TestClient, account: Actor, settings: Settings
) -> None:
    for _ in range(settings.login_max_failures):
        client.post("/login", data={"email": account.email, "password": "wrong"})
    response = client.post("/login", data={"email": account.email, "password": PASSWORD})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "verrouillé" in response.text and "Réessayez dans 1 minute." in response.text
    assert "khatem_session" not in response.headers.get("set-cookie", "")


def test_logging_out_revokes_the_session_and_clears_the_cookie(
    client: TestClient, account: Actor
) -> None:
    form = client.post(
        "/login",
        data={"email": account.email, "password": PASSWORD},
        follow_redirects=False,
    )
    token = form.cookies["khatem_session"]
    response = client.post("/api/v1/auth/logout")
    assert response.status_code == 204
    assert 'khatem_session=""' in response.headers["set-cookie"]
    assert "khatem_session" not in client.cookies
    client.cookies.set("khatem_session", token)
    assert_problem(client.get(ME_URL), 401)


def test_failed_logins_are_not_logged_with_their_password(
    client: TestClient, account: Actor, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _login(client, account.email, "a-typo-of-the-real-password")
    assert "a-typo-of-the-real-password" not in caplog.text
