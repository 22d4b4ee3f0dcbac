"""A buyer on a phone reports a suspected fake from the label page, in Arabic and in Spanish,
without JavaScript; the chambre's administrator opens the case on a phone and confirms it.

Each page: language and direction right, nothing wider than the screen, no request to
another origin, no console error, axe-core clean (no serious or critical violation, no WCAG
2.1 A/AA failure). Screenshots: ``test-artifacts/screenshots/report-*.png``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image

from labeling.demo import DEMO_PASSWORD
from tests.pages.site import PHONE, DemoSite, shot
from tests.workspace.test_admin_browser import Screen

ADMIN = "admin.draa-tafilalet@demo.khatem.ma"
SENT = {"ar": "شكراً", "es": "Gracias"}


@pytest.fixture
def screen(chromium: Any, demo_site: DemoSite) -> Iterator[Screen]:
    context = chromium.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    screen = Screen(page=page, origin=demo_site.base_url)
    page.on("request", lambda request: screen.requests.append(request.url))
    page.on("console", lambda m: screen.errors.append(m.text) if m.type == "error" else None)
    yield screen
    context.close()


def _photo(tmp_path: Any) -> str:
    path = tmp_path / "IMG_2041.jpg"
    image = Image.new("RGB", (1200, 900), (40, 70, 150))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.mark.parametrize("lang", ["ar", "es"])
def test_a_buyer_reports_and_the_chambre_confirms_on_a_phone(
    screen: Screen, chromium: Any, demo_site: DemoSite, lang: str, tmp_path: Any
) -> None:
    page, base = screen.page, demo_site.base_url
    page.goto(demo_site.local(demo_site.labels["authentic"]) + f"&lang={lang}")
    screen.sound(lang)
    page.locator("#report-fake").scroll_into_view_if_needed()
    shot(page, f"report-label-link-{lang}", full_page=False)
    page.locator("section[aria-labelledby=report-fake] a").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{base}/report/")
    screen.sound(lang)
    page.fill("#item", "سجادة زرقاء 2×3 م" if lang == "ar" else "Alfombra azul de 2 x 3 m")
    page.fill("#shop_name", "Bazar Atlas")
    page.fill("#city", "Madrid")
    page.select_option("#country", "ES")
    page.fill("#bought_on", "2026-11-30")
    page.set_input_files("#photo", _photo(tmp_path))
    shot(page, f"report-form-{lang}")
    page.wait_for_timeout(3_200)  # a person takes longer than the form's minimum time
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert SENT[lang] in page.locator("h1").inner_text()
    screen.sound(lang)
    shot(page, f"report-sent-{lang}")
    assert not screen.foreign() and not screen.errors

    admin = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    office = Screen(page=admin.new_page(), origin=base)
    try:
        desk = office.page
        desk.goto(f"{base}/login?lang={lang if lang == 'ar' else 'fr'}")
        desk.fill("#email", ADMIN)
        desk.fill("#password", DEMO_PASSWORD)
        desk.locator("main form button[type=submit]").click()
        desk.wait_for_url(f"{base}/workspace")
        ws_lang = "ar" if lang == "ar" else "fr"
        desk.goto(f"{base}/workspace/cases?lang={ws_lang}")
        office.sound(ws_lang)
        shot(desk, f"report-cases-{lang}")
        desk.locator("main ul.items a[href^='/workspace/cases/']").first.click()
        desk.wait_for_load_state()
        office.sound(ws_lang)
        assert "Bazar Atlas" in desk.content()
        loaded = desk.evaluate("() => document.querySelector('img.report-photo').naturalWidth")
        assert loaded == 1200
        shot(desk, f"report-case-{lang}")
        desk.locator("button[value=confirm]").click()
        desk.wait_for_load_state()
        assert desk.locator(".success").count() == 1
        office.sound(ws_lang)
        shot(desk, f"report-case-confirmed-{lang}")
    finally:
        admin.close()
