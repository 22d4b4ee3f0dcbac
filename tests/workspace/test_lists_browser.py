"""The workspace's long lists in Chromium at a phone's width, in Arabic (right to left) and
French: the inspector's audits (its own, an artisan's), the administrator's inspectors, the
artisan's certificates. Each page logs no console error, asks nothing of another origin,
does not scroll sideways; screenshots go to
``test-artifacts/screenshots/workspace-list-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from labeling.demo import DEMO_PASSWORD
from tests.pages.site import PHONE, DemoSite, shot

INSPECTOR = "inspecteur.ouarzazate@demo.khatem.ma"
ADMIN = "admin.draa-tafilalet@demo.khatem.ma"
ARTISAN = "tifaouine@demo.khatem.ma"


@pytest.fixture
def phone(chromium: Any, demo_site: DemoSite) -> Iterator[tuple[Any, list[str], list[str]]]:
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    yield page, requests, errors
    context.close()


def _sign_in(page: Any, base: str, email: str, lang: str) -> None:
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{base}/workspace?lang={lang}")


def _sound(page: Any, lang: str) -> None:
    layout = page.evaluate(
        """() => ({lang: document.documentElement.lang,
                   dir: getComputedStyle(document.body).direction,
                   overflow: document.documentElement.scrollWidth - window.innerWidth})"""
    )
    assert layout["lang"] == lang and layout["dir"] == ("rtl" if lang == "ar" else "ltr")
    assert layout["overflow"] <= 0, (page.url, "the page scrolls sideways on a phone")


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_long_lists_on_a_phone(
    phone: tuple[Any, list[str], list[str]], demo_site: DemoSite, lang: str
) -> None:
    page, requests, errors = phone
    base = demo_site.base_url
    _sign_in(page, base, INSPECTOR, lang)
    page.goto(f"{base}/workspace/artisans?q=Tifaouine")
    artisan = page.locator("main a[href^='/workspace/artisans/']:not([href$='/new'])").first
    href = artisan.get_attribute("href")
    for name, path in (("my-audits", "/workspace/audits"), ("artisan-audits", f"{href}/audits")):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        assert page.locator("main a[href^='/workspace/audits/']").count() >= 1
        _sound(page, lang)
        shot(page, f"workspace-list-{name}-{lang}")
    page.context.clear_cookies()

    _sign_in(page, base, ADMIN, lang)
    assert page.goto(f"{base}/workspace/inspectors").status == 200
    assert page.locator("main a[href^='/workspace/inspectors/']").count() >= 1
    _sound(page, lang)
    shot(page, f"workspace-list-inspectors-{lang}")
    page.context.clear_cookies()

    _sign_in(page, base, ARTISAN, lang)
    assert page.goto(f"{base}/workspace/my/certificates").status == 200
    assert page.locator("main a[href^='/workspace/my/certificates/']").count() >= 1
    _sound(page, lang)
    shot(page, f"workspace-list-certificates-{lang}")

    assert [e for e in errors if e.startswith(f"{base}/workspace")] == []
    assert [u for u in requests if not u.startswith((base + "/", "data:", "blob:"))] == []
