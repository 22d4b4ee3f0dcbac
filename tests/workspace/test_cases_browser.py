"""A body administrator, on a phone, finds the label the scan thresholds marked and lifts
the mark (the carpet was scanned at a trade fair): in French, then in Arabic.

The demo registry's copied Taznakht label was scanned in five countries this week, so it
stands marked SUSPICIOUS. Every page passes the workspace's bar (language and direction,
nothing wider than the screen, axe-core clean, no request to another origin, no console
error); after the lift the buyer's page says the label is authentic.
"""

from __future__ import annotations

from typing import Any

from labeling.demo import DEMO_PASSWORD
from tests.pages.site import DemoSite, shot
from tests.workspace.screen import Screen
from tests.workspace.test_admin_browser import ADMIN


def test_an_admin_lifts_a_scan_threshold_mark_from_a_phone(
    screen: Screen, demo_site: DemoSite
) -> None:
    page, base = screen.page, demo_site.base_url
    serial = demo_site.labels["suspicious"].split("/21/")[1].split("?")[0]
    label_page = demo_site.local(demo_site.labels["suspicious"])
    page.goto(f"{base}/login?lang=fr")
    page.fill("#email", ADMIN)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/workspace")

    for lang in ("fr", "ar"):
        page.goto(f"{base}/workspace/cases?lang={lang}")
        screen.sound(lang)
        page.locator("a[href='/workspace/cases/marks']").first.click()
        page.wait_for_load_state()
        screen.sound(lang)
        marked = page.locator("[data-marked-label]", has_text=serial)
        assert marked.count() == 1, page.url
        shot(page, f"workspace-cases-marks-{lang}")

    marked.locator("textarea[name=note]").fill("Salon international de l'artisanat, Paris")
    marked.locator("button[type=submit]").click()
    page.wait_for_load_state()
    screen.sound("ar")
    assert page.locator(".success").count() == 1
    assert page.locator("[data-marked-label]", has_text=serial).count() == 0
    shot(page, "workspace-cases-lifted-ar")

    page.goto(label_page + "&lang=ar")
    verdict: Any = page.locator("[data-verdict]").first.get_attribute("data-verdict")
    assert verdict == "AUTHENTIC", verdict
    assert not screen.foreign(), screen.foreign()
    assert not screen.errors, screen.errors
