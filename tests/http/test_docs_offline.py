"""Swagger UI at ``/docs`` works without the internet (core.docs): the page names only
assets of its own origin, the registry serves them, and Chromium, with every other origin
cut off, renders the API's operations."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*["']([^"']+)["']""")
_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def _references(html: str) -> list[str]:
    return [a or b for a, b in _REFERENCE.findall(html)]


def test_the_docs_page_names_only_assets_of_its_own_origin(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    references = _references(response.text)
    assert len(references) >= 4  # stylesheet, icon, script, the OpenAPI document
    for reference in references:
        assert reference.startswith("/") and not reference.startswith("//"), reference
        served = client.get(reference)
        assert served.status_code == 200, reference
        suffix = reference[reference.rfind(".") :]
        if suffix in _TYPES:
            assert served.headers["content-type"].startswith(_TYPES[suffix]), reference
            assert len(served.content) > 1000, reference


def test_swagger_ui_renders_the_api_with_every_other_origin_cut_off(
    browser: Any,
    registry: str,
) -> None:
    page = browser.new_page()
    foreign: list[str] = []

    def only_the_registry(route: Any) -> None:
        if route.request.url.startswith(registry + "/"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_registry)
    assert page.goto(registry + "/docs").status == 200
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "Khatem" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/verify" in path for path in paths)
    assert foreign == []
    page.close()
