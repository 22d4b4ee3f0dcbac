"""The pages of a typed code (issue 13, item 8) in headless Chromium: axe-core finds nothing
on the record of a typed serial, a revoked one, or the what-to-type page, in the four
languages at desktop and phone size; and a phone shows the record in Arabic without
sideways scrolling (``test-artifacts/screenshots/typed-serial-ar-phone.png``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.pages.site import PHONE, DemoSite, shot
from tests.pages.test_accessibility import Visit, audit, axe_pages  # noqa: F401 - the fixture
from verify.label_codec import parse_label_uri


def _serial(name: str) -> Visit:
    def visit(page: Any, site: DemoSite, lang: str) -> None:
        serial = parse_label_uri(site.labels[name]).serial
        response = page.goto(f"{site.base_url}/verify?url={serial.lower()}&lang={lang}")
        assert response is not None and response.status == 200
        assert page.locator("[data-proof]").count() == 1

    return visit


def _nonsense(page: Any, site: DemoSite, lang: str) -> None:
    response = page.goto(f"{site.base_url}/verify?url=bonjour&lang={lang}")
    assert response is not None and response.status == 404
    assert page.locator("[data-typed='unknown']").count() == 1


STATES = {
    "typed-serial": _serial("authentic"),
    "typed-serial-revoked": _serial("revoked"),
    "typed-nothing": _nonsense,
}


@pytest.mark.parametrize("state", list(STATES))
def test_the_typed_code_pages_meet_wcag_21_aa(
    axe_pages: dict[str, Any],  # noqa: F811 - the imported fixture
    demo_site: DemoSite,
    state: str,
) -> None:
    audit(axe_pages, demo_site, STATES[state], state)


def test_a_phone_shows_a_typed_serial_in_arabic(chromium: Any, demo_site: DemoSite) -> None:
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        _serial("authentic")(page, demo_site, "ar")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "typed-serial-ar-phone")
    finally:
        context.close()
