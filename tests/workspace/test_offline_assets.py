"""The installable workspace, checked from Python: the web app manifest, its icons, the
favicon and the service worker script are served as browsers need them, the workspace's
pages link them and their policy admits them; ``/login?next=`` returns a person to the
workspace page that sent them, and only to a workspace page of this origin."""

from __future__ import annotations

import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.fixtures.actors import PASSWORD, Actor
from tests.workspace.support import Browser, SessionMint

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize(("lang", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_the_manifest_is_valid_json_with_what_an_installed_app_needs(
    client: TestClient, lang: str, direction: str
) -> None:
    response = client.get(f"/workspace/manifest.webmanifest?lang={lang}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/workspace"
    assert manifest["scope"] == "/workspace"
    assert manifest["id"] == "/workspace"  # one app, whatever the language
    assert manifest["display"] == "standalone"
    assert (manifest["lang"], manifest["dir"]) == (lang, direction)
    assert manifest["name"] and manifest["short_name"]
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= set(sizes)
    for icon in manifest["icons"]:
        answer = client.get(icon["src"])
        assert answer.status_code == 200, icon
        assert answer.headers["content-type"] == icon["type"]
        if icon["type"] == "image/png":
            with Image.open(io.BytesIO(answer.content)) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_arabic_manifest_names_the_app_in_arabic(client: TestClient) -> None:
    manifest = client.get("/workspace/manifest.webmanifest?lang=ar").json()
    assert "خاتم" in manifest["name"]
    unknown = client.get("/workspace/manifest.webmanifest?lang=xx").json()
    assert unknown["lang"] == "fr"


def test_the_service_worker_is_served_as_javascript_for_the_whole_workspace(
    client: TestClient,
) -> None:
    response = client.get("/workspace/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    # Its own directory is /workspace/: the home page /workspace needs the wider scope.
    assert response.headers["service-worker-allowed"] == "/workspace"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert 'addEventListener("fetch"' in response.text


def test_the_favicon_is_served_to_every_page(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    with Image.open(io.BytesIO(response.content)) as icon:
        assert icon.format == "ICO"


def test_workspace_pages_link_the_manifest_and_admit_the_service_worker(
    client: TestClient, inspector: Actor, sessions: SessionMint
) -> None:
    browser = Browser(client, sessions(inspector))
    page = browser.get("/workspace?lang=ar")
    assert page.status_code == 200
    assert '<link rel="manifest" href="/workspace/manifest.webmanifest?lang=ar">' in page.text
    assert '<link rel="icon" href="/favicon.ico"' in page.text
    policy = page.headers["content-security-policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    # The outbox script is inlined and admitted by its hash, like every script of ours.
    assert 'navigator.serviceWorker.register("/workspace/sw.js"' in page.text
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", policy)
    assert "'unsafe-inline'" not in policy


def _sign_in(client: TestClient, actor: Actor, **extra: str) -> str:
    form = {"email": actor.email, "password": PASSWORD, **extra}
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    location: str = response.headers["location"]
    return location


@SQLITE
def test_sign_in_returns_to_the_workspace_page_that_asked(
    client: TestClient, inspector: Actor
) -> None:
    page = client.get("/login?next=%2Fworkspace%2Faudits%3Foffset%3D20&lang=fr")
    assert '<input type="hidden" name="next" value="/workspace/audits?offset=20">' in page.text
    assert (
        _sign_in(client, inspector, next="/workspace/audits?offset=20")
        == "/workspace/audits?offset=20"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/workspace",
        "//evil.example/workspace",
        "/\\evil.example",
        "\\\\evil.example",
        "/workspace/../login",
        "/workspace/%2e%2e/api/v1/audits",
        "/workspaces",
        "/api/v1/audits",
        "/",
        "javascript:alert(1)",
        "/workspace//evil.example",
        "/workspace\r\nLocation: https://evil.example",
        "",
    ],
)
@SQLITE
def test_sign_in_never_sends_anyone_elsewhere(
    client: TestClient, inspector: Actor, hostile: str
) -> None:
    """An open redirect on /login would let a phishing mail end on a lookalike site after a
    genuine sign-in: anything but a plain workspace path lands on the workspace home."""
    assert _sign_in(client, inspector, next=hostile) == "/workspace"
    page = client.get("/login", params={"next": hostile})
    assert page.status_code == 200
    hidden = re.search(r'name="next" value="([^"]*)"', page.text)
    assert hidden is None or hidden.group(1) == "/workspace"
