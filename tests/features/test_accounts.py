"""Steps of accounts.feature: signing in, the lockout, signing out, the browser session.

State passes between steps through ``target_fixture`` fixtures: the account (``nadia``), the
last answer (``answer``) and the token she holds (``token``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from core.settings import Settings
from labeling.accounts import service
from schemas.registry import Body
from schemas.types import Role, utcnow
from tests.fixtures.actors import Actor, make_user
from tests.security.support import assert_problem, use_cheap_password_hashing

scenarios("accounts.feature")

PASSWORD = "correct horse battery staple"  # the password make_user gives every account


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    """Steps ask for fixtures lazily; requesting ``db_url`` up front runs every scenario on
    SQLite and on PostgreSQL."""
    return db_url


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_password_hashing(monkeypatch)


def _sign_in(client: TestClient, email: str, password: str) -> Any:
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _attempts(client: TestClient, email: str, count: int) -> list[tuple[int, Any, bool]]:
    answers = []
    for _ in range(count):
        response = _sign_in(client, email, "pas le bon mot de passe")
        answers.append((response.status_code, response.json(), "retry-after" in response.headers))
    return answers


## Given


@given("Nadia, an inspector of the chambre of Drâa-Tafilalet", target_fixture="nadia")
def nadia(session: Session) -> Actor:
    """An inspector account, created by the chambre's admin (here: straight in the database)."""
    body = session.exec(select(Body).where(Body.code == "CHAMBRE-MA-08")).one()
    body_id = body.id
    session.rollback()  # end the read: SQLite transactions begin IMMEDIATE
    return make_user(
        session, email="nadia.benali@chambre-draa.ma", role=Role.INSPECTOR, body_id=body_id
    )


@given("Nadia has signed in", target_fixture="token")
def nadia_has_signed_in(client: TestClient, nadia: Actor) -> str:
    response = _sign_in(client, nadia.email, PASSWORD)
    assert response.status_code == 201
    return str(response.json()["access_token"])


## When


@when("Nadia signs in with her password", target_fixture="answer")
def nadia_signs_in(client: TestClient, nadia: Actor) -> Any:
    return _sign_in(client, nadia.email, PASSWORD)


@when(parsers.parse('Nadia signs in with the password "{password}"'), target_fixture="answer")
def nadia_signs_in_with(client: TestClient, nadia: Actor, password: str) -> Any:
    return _sign_in(client, nadia.email, password)


@when(
    parsers.parse("someone tries {count:d} wrong passwords on Nadia's account"),
    target_fixture="known_answers",
)
def wrong_passwords_on_nadia(
    client: TestClient, nadia: Actor, settings: Settings, count: int
) -> list[tuple[int, Any, bool]]:
    assert count >= settings.login_max_failures, "the scenario means: as many as it takes"
    return _attempts(client, nadia.email, count)


@when(
    parsers.parse("someone tries {count:d} wrong passwords on an email nobody uses"),
    target_fixture="unknown_answers",
)
def wrong_passwords_on_nobody(client: TestClient, count: int) -> list[tuple[int, Any, bool]]:
    return _attempts(client, f"personne-{uuid.uuid4().hex[:10]}@chambre-draa.ma", count)


@when("the lock has passed")
def the_lock_has_passed(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    later = timedelta(seconds=settings.login_lockout_seconds + 1)
    monkeypatch.setattr(service, "utcnow", lambda: utcnow() + later)


@when("Nadia signs out")
def nadia_signs_out(client: TestClient, token: str) -> None:
    assert client.post("/api/v1/auth/logout", headers=_bearer(token)).status_code == 204


@when("Nadia signs in on the sign-in page", target_fixture="answer")
def nadia_uses_the_page(client: TestClient, nadia: Actor) -> Any:
    form = {"email": nadia.email, "password": PASSWORD}
    return client.post("/login", data=form, follow_redirects=False)


@when(
    parsers.parse('Nadia signs in on the sign-in page with the password "{password}"'),
    target_fixture="answer",
)
def nadia_mistypes_on_the_page(client: TestClient, nadia: Actor, password: str) -> Any:
    return client.post("/login", data={"email": nadia.email, "password": password})


## Then


@then("she gets a token", target_fixture="token")
def she_gets_a_token(answer: Any) -> str:
    assert answer.status_code == 201, answer.text
    token = str(answer.json()["access_token"])
    assert token.startswith("kht_")
    return token


@then("her token opens the registry as an inspector")
def token_opens_the_registry(client: TestClient, token: str, nadia: Actor) -> None:
    me = client.get("/api/v1/auth/me", headers=_bearer(token))
    assert me.status_code == 200
    assert me.json()["role"] == "inspector" and me.json()["email"] == nadia.email


@then(parsers.parse('she is refused because "{slug}"'))
def she_is_refused(answer: Any, slug: str) -> None:
    assert_problem(answer, 429 if slug == "login-locked" else 401, slug=slug)
    assert "access_token" not in answer.text


@then("she is told how many seconds to wait")
def told_how_long_to_wait(answer: Any, settings: Settings) -> None:
    assert 0 < int(answer.headers["retry-after"]) <= settings.login_lockout_seconds + 1


@then("both got exactly the same answers")
def same_answers(
    known_answers: list[tuple[int, Any, bool]], unknown_answers: list[tuple[int, Any, bool]]
) -> None:
    assert known_answers == unknown_answers
    assert known_answers[-1][0] == 429  # both locked in the end: the lock reveals nothing


@then("her token no longer opens the registry")
def token_no_longer_opens(client: TestClient, token: str) -> None:
    assert_problem(client.get("/api/v1/auth/me", headers=_bearer(token)), 401)


@then("her browser keeps a session cookie that scripts cannot read")
def session_cookie(answer: Any) -> None:
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith("khatem_session=kht_")
    assert "httponly" in cookie and "samesite=strict" in cookie


@then("her session opens the registry as an inspector")
def session_opens_the_registry(client: TestClient) -> None:
    me = client.get("/api/v1/auth/me")  # the test client sends the cookie back, as a browser
    assert me.status_code == 200 and me.json()["role"] == "inspector"


@then(parsers.parse('the sign-in page says "{message}"'))
def page_says(answer: Any, message: str) -> None:
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("text/html")
    assert message in answer.text
    assert '<form method="post" action="/login">' in answer.text
