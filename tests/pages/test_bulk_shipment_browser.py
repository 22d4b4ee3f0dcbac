"""The bulk results of a shipment with a copied label, in headless Chromium: readable on a
390 px phone in French and Arabic (no sideways scrolling, every row a card), the "rows to
look at" view working without JavaScript, and axe-core finding nothing (issue 13, item 12).

Screenshots: ``test-artifacts/screenshots/bulk-repeated-{lang}-phone.png`` and
``…-problems-{lang}-phone.png``.
"""

from __future__ import annotations

from typing import Any, Final

import pytest

from tests.pages.site import PHONE, DemoSite, shot
from tests.pages.test_accessibility import audit, axe_pages  # noqa: F401 - the fixture

#: The demo's labels, the suspended one twice (a copy), then a misread: rows 2 … 7 under a
#: header. Only row 2 (authentic, once) needs no look.
_ORDER: Final = ("authentic", "suspended", "revoked", "suspended", "certificate_suspended")


def _spreadsheet(site: DemoSite) -> bytes:
    rows = ["Date;Scan;Pallet"]
    rows += [f"2026-11-20;{site.labels[name]};P{n}" for n, name in enumerate(_ORDER, start=1)]
    rows.append("2026-11-20;HTTPS://KHATEM.MA/01/123;P6")
    return "\n".join(rows).encode()


def _upload(page: Any, site: DemoSite, lang: str) -> None:
    page.goto(f"{site.base_url}/verify/bulk?lang={lang}")
    page.set_input_files(
        "#file",
        files=[{"name": "delivery.csv", "mimeType": "text/csv", "buffer": _spreadsheet(site)}],
    )
    page.locator("button[value='html']").click()
    page.wait_for_load_state()
    assert page.locator("tr[data-repeated]").count() == 2


def _problems_only(page: Any, site: DemoSite, lang: str) -> None:
    _upload(page, site, lang)
    page.locator("a.only").click()
    assert page.evaluate("location.hash") == "#problems"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_phone_shows_the_shipment_results_as_cards_and_the_rows_to_look_at(
    chromium: Any, demo_site: DemoSite, lang: str
) -> None:
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    try:
        _upload(page, demo_site, lang)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        rows = page.locator("tr[data-row]")
        assert rows.count() == 6
        # The first row is a card: its cells stacked, each with its column's name.
        first = rows.nth(0).locator("td")
        boxes = [first.nth(i).bounding_box() for i in range(first.count())]
        assert all(b is not None for b in boxes)
        assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)  # type: ignore[index]
        assert len({round(b["y"]) for b in boxes}) == len(boxes)  # type: ignore[index]
        label = first.nth(0).evaluate("td => getComputedStyle(td, '::before').content")
        assert label.strip('"') in ("Ligne", "السطر")
        shot(page, f"bulk-repeated-{lang}-phone")

        page.locator("a.only").click()  # no script on the page: CSS :target does it
        visible = [r for r in range(rows.count()) if rows.nth(r).is_visible()]
        shown = [rows.nth(r).get_attribute("data-row") for r in visible]
        assert shown == ["3", "4", "5", "6", "7"]  # all but the authentic, unrepeated label
        assert page.locator("a.all").is_visible() and not page.locator("a.only").is_visible()
        shot(page, f"bulk-repeated-problems-{lang}-phone")
        page.locator("a.all").click()
        assert all(rows.nth(r).is_visible() for r in range(rows.count()))
    finally:
        context.close()


@pytest.mark.parametrize("state", ["bulk-results-repeated", "bulk-results-problems-only"], ids=str)
def test_the_shipment_results_meet_wcag_21_aa(
    axe_pages: dict[str, Any],  # noqa: F811 - the imported fixture
    demo_site: DemoSite,
    state: str,
) -> None:
    visit = _upload if state == "bulk-results-repeated" else _problems_only
    audit(axe_pages, demo_site, visit, state)
