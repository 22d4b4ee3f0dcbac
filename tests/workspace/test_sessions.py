"""Sessions for people: the cookie's flags, idle expiry, CSRF on every form, logout, the
language preference, and where a stranger is sent."""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from schemas.types import utcnow
from tests.fixtures.actors import PASSWORD, Actor
from tests.workspace.support import Browser, SessionMint, csrf_of, problem_of

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _cookie(response: object, name: str) -> dict[str, str | bool]:
    """The attributes of cookie ``name`` set by ``response`` (lower-case names)."""
    for header in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        if name in jar:
            morsel = jar[name]
            attributes: dict[str, str | bool] = {"value": morsel.value}
            attributes.update({k.lower(): v for k, v in morsel.items() if v})
            lowered = header.lower()
            attributes["httponly"] = "httponly" in lowered
            attributes["secure"] = "; secure" in lowered
            return attributes
    raise AssertionError(f"no {name} cookie set")


def _sign_in(client: TestClient, actor: Actor) -> object:
    return client.post(
        "/login",
        data={"email": actor.email, "password": PASSWORD},
        follow_redirects=False,
    )


@SQLITE
def test_signing_in_sets_a_strict_http_only_session_cookie(
    client: TestClient, inspector: Actor, settings: Settings
) -> None:
    response = _sign_in(client, inspector)
    assert response.status_code == 303  # type: ignore[attr-defined]
    cookie = _cookie(response, "khatem_session")
    assert cookie["httponly"] is True
    assert str(cookie["samesite"]).lower() == "strict"
    assert cookie["max-age"] == str(settings.session_ttl_hours * 3600)
    assert cookie["secure"] is False  # plain http in this test: a browser would drop it


@SQLITE
def test_signing_in_lands_on_the_workspace(client: TestClient, inspector: Actor) -> None:
    response = _sign_in(client, inspector)
    assert response.headers["location"] == "/workspace"  # type: ignore[attr-defined]


@SQLITE
def test_the_language_chosen_on_the_sign_in_page_is_the_workspace_s(
    client: TestClient, inspector: Actor
) -> None:
    response = client.post(
        "/login",
        data={"email": inspector.email, "password": PASSWORD, "lang": "ar"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/workspace"
    assert _cookie(response, "khatem_lang")["value"] == "ar"
    home = client.get("/workspace", headers={"Accept-Language": "en"})
    assert '<html lang="ar" dir="rtl">' in home.text
    # Spanish is a public pages' language, not the workspace's: the browser's then decides.
    client.cookies.delete("khatem_lang")
    spanish = client.post(
        "/login",
        data={"email": inspector.email, "password": PASSWORD, "lang": "es"},
        follow_redirects=False,
    )
    assert "khatem_lang" not in spanish.headers.get("set-cookie", "")


@SQLITE
def test_the_session_cookie_is_secure_behind_https(
    db_url: str, tmp_path: Path, inspector: Actor
) -> None:
    from main import create_app

    settings = Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        public_base_url="https://registry.khatem.test",
    )
    with TestClient(create_app(settings)) as client:
        cookie = _cookie(_sign_in(client, inspector), "khatem_session")
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


@SQLITE
def test_a_stranger_is_sent_to_sign_in_and_back(client: TestClient) -> None:
    response = client.get("/workspace?lang=ar", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fworkspace%3Flang%3Dar&lang=ar"


@SQLITE
def test_a_form_sent_after_the_session_ended_signs_in_back_to_its_page(
    client: TestClient,
) -> None:
    """A POST address has no page: sign-in returns to the page the form was on, or home."""
    form_page = "http://testserver/workspace/artisans/7/audits/new?scheme=MFM-1"
    sent = client.post(
        "/workspace/artisans/7/audits",
        headers={"referer": form_page},
        data={"x": "1"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert parse_qs(urlsplit(sent.headers["location"]).query)["next"] == [
        "/workspace/artisans/7/audits/new?scheme=MFM-1"
    ]
    for referer in ["https://evil.example/workspace/x", "http://testserver/api/v1/labels", ""]:
        sent = client.post(
            "/workspace/artisans/7/audits", headers={"referer": referer}, follow_redirects=False
        )
        assert parse_qs(urlsplit(sent.headers["location"]).query)["next"] == ["/workspace"]


def test_a_session_ends_after_the_idle_time(
    client: TestClient, inspector: Actor, sessions: SessionMint, settings: Settings
) -> None:
    idle = timedelta(minutes=settings.session_idle_minutes)
    dozing = Browser(client, sessions(inspector, last_used=utcnow() - idle + timedelta(minutes=2)))
    assert dozing.get("/workspace").status_code == 200
    client.cookies.clear()
    gone = Browser(client, sessions(inspector, last_used=utcnow() - idle - timedelta(minutes=1)))
    response = gone.get("/workspace")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    # The API answers the same stale cookie with 401: one rule for the session, everywhere.
    assert client.get("/api/v1/auth/me").status_code == 401


@SQLITE
def test_an_api_token_has_no_idle_time(
    client: TestClient, inspector: Actor, sessions: SessionMint
) -> None:
    token = sessions(inspector, last_used=utcnow() - timedelta(days=3), kind="api")
    response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_logout_without_the_csrf_token_is_refused_and_changes_nothing(
    client: TestClient, inspector: Actor, sessions: SessionMint
) -> None:
    browser = Browser(client, sessions(inspector))
    for data in ({}, {"csrf_token": ""}, {"csrf_token": "0" * 64}):
        response = browser.post("/workspace/logout", data=data)
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/html")
        assert problem_of(response.text) == "csrf-refused"
        assert "Rechargez la page" in response.text
    assert browser.get("/workspace").status_code == 200  # still signed in


@SQLITE
def test_another_session_s_csrf_token_is_refused(
    client: TestClient, inspector: Actor, sessions: SessionMint
) -> None:
    other = Browser(client, sessions(inspector)).csrf()
    client.cookies.clear()
    browser = Browser(client, sessions(inspector))
    assert browser.csrf() != other
    response = browser.post("/workspace/logout", data={"csrf_token": other})
    assert response.status_code == 403
    assert problem_of(response.text) == "csrf-refused"


def test_logout_ends_the_session(
    client: TestClient, inspector: Actor, sessions: SessionMint
) -> None:
    browser = Browser(client, sessions(inspector))
    response = browser.post("/workspace/logout", data={"csrf_token": browser.csrf()})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?lang=fr"
    cleared = _cookie(response, "khatem_session")
    assert cleared["value"] == "" and cleared["max-age"] == "0"
    browser.__post_init__()  # a browser that kept the cookie anyway
    assert browser.get("/workspace").status_code == 303


@SQLITE
def test_the_language_is_a_remembered_preference(
    client: TestClient, inspector: Actor, sessions: SessionMint
) -> None:
    browser = Browser(client, sessions(inspector))
    first = browser.get("/workspace")
    assert '<html lang="fr" dir="ltr">' in first.text  # French by default
    arabic = browser.get("/workspace?lang=ar")
    assert '<html lang="ar" dir="rtl">' in arabic.text
    remembered = _cookie(arabic, "khatem_lang")
    assert remembered["value"] == "ar" and remembered["httponly"] is True
    client.cookies.set("khatem_lang", "ar")
    later = browser.get("/workspace", headers={"Accept-Language": "en"})
    assert '<html lang="ar" dir="rtl">' in later.text
    assert "تسجيل الخروج" in later.text
    client.cookies.delete("khatem_lang")
    english = browser.get("/workspace", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en" dir="ltr">' in english.text


@SQLITE
def test_every_page_carries_the_person_the_role_the_menu_and_a_logout_form(
    client: TestClient, inspector: Actor, sessions: SessionMint
) -> None:
    response = Browser(client, sessions(inspector)).get("/workspace")
    html = response.text
    assert 'class="skip" href="#main"' in html and '<main class="wrap" id="main"' in html
    assert "Inspecteur Ouarzazate" in html and "(inspecteur)" in html
    assert 'aria-current="page">Accueil' in html
    assert csrf_of(html)
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy  # nothing from another origin
    assert response.headers["cache-control"] == "no-store"


@SQLITE
def test_the_session_cookie_is_secure_in_production_whatever_the_scheme(
    db_url: str, tmp_path: Path, inspector: Actor
) -> None:
    """Behind a TLS-terminating proxy the app sees http, and an operator may forget
    KHATEM_PUBLIC_BASE_URL: in production the cookie is Secure all the same."""
    from main import create_app

    settings = Settings(
        environment="production",
        database_url=db_url,
        data_dir=tmp_path / "data",
        public_base_url="http://registry.internal:8000",
    )
    with TestClient(create_app(settings)) as client:
        cookie = _cookie(_sign_in(client, inspector), "khatem_session")
    assert cookie["secure"] is True
