"""A body administrator issues a 200-label batch, downloads its sheet and suspends the
certificate, in a real Chromium at a phone's size, in French and in Arabic (then looks at
the same pages on a desktop screen).

The pages may ask nothing of another origin and may log no console error, and axe-core finds
no serious or critical violation nor any WCAG 2.1 A/AA failure on any page of the flow;
screenshots go to ``test-artifacts/screenshots/workspace-admin-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from labeling.demo import DEMO_PASSWORD
from tests.pages.site import DESKTOP, PHONE, DemoSite, axe_source, shot
from tests.pages.test_accessibility import failing

ADMIN = "admin.draa-tafilalet@demo.khatem.ma"
WORDS = {
    "fr": {"issued": "200 étiquettes signées", "suspended": "est suspendu"},
    "ar": {"issued": "200 علامة موقعة", "suspended": "عُلّقت الشهادة"},
}

_RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, tags: v.tags, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary),
    }));
}"""


@dataclass
class Screen:
    page: Any
    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.origin + "/", "data:", "blob:"))]

    def sound(self, lang: str) -> None:
        """Language and direction right, nothing wider than the screen, axe-core clean
        (run through the DevTools protocol, which the page's own CSP does not govern)."""
        layout = self.page.evaluate(
            """() => ({
                lang: document.documentElement.lang,
                dir: getComputedStyle(document.body).direction,
                overflow: document.documentElement.scrollWidth - window.innerWidth,
            })"""
        )
        assert layout["lang"] == lang, self.page.url
        assert layout["dir"] == ("rtl" if lang == "ar" else "ltr"), self.page.url
        assert layout["overflow"] <= 0, f"{self.page.url} scrolls sideways"
        self.page.evaluate(axe_source())
        bad = failing(self.page.evaluate(_RUN_AXE))
        assert not bad, (self.page.url, bad)


@pytest.fixture
def screen(chromium: Any, demo_site: DemoSite) -> Iterator[Screen]:
    context = chromium.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, accept_downloads=True
    )
    page = context.new_page()
    screen = Screen(page=page, origin=demo_site.base_url)
    page.on("request", lambda request: screen.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            screen.errors.append(f"{page.url}: {message.text} {message.location}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: screen.errors.append(f"{page.url}: {error}"))
    yield screen
    context.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_an_admin_issues_a_batch_prints_it_and_suspends_the_certificate(
    screen: Screen, demo_site: DemoSite, lang: str, tmp_path: Path
) -> None:
    page, base = screen.page, demo_site.base_url
    words = WORDS[lang]

    page.goto(f"{base}/login?lang={lang}")
    page.fill("#email", ADMIN)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/workspace")
    page.goto(f"{base}/workspace?lang={lang}")
    screen.sound(lang)
    shot(page, f"workspace-admin-home-{lang}")
    visited = [f"{base}/workspace"]

    # The active certificates; the first one's page. (The demo body has few: when an
    # earlier run suspended them, the administrator first reinstates one.)
    first = page.locator("main ul.items a[href^='/workspace/certificates/']").first
    page.goto(f"{base}/workspace/certificates?status=active")
    if first.count() == 0:
        page.goto(f"{base}/workspace/certificates?status=suspended")
        first.click()
        page.wait_for_load_state()
        page.locator("a[href$='/reinstate']").click()
        page.wait_for_load_state()
        screen.sound(lang)
        page.select_option("#f-reason_code", "corrective_action_closed")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{base}/workspace/certificates?status=active")
    screen.sound(lang)
    shot(page, f"workspace-admin-certificates-{lang}")
    first.click()
    page.wait_for_load_state()
    certificate_url = page.url
    visited.append(certificate_url)
    screen.sound(lang)

    # Issue 200 labels under it.
    page.locator("a[href$='/batches/new']").click()
    page.wait_for_load_state()
    screen.sound(lang)
    page.fill("#f-quantity", "200")
    shot(page, f"workspace-admin-batch-form-{lang}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert words["issued"] in page.locator(".success").inner_text()
    batch_url = page.url.split("?")[0]
    visited.append(batch_url)
    screen.sound(lang)
    shot(page, f"workspace-admin-batch-{lang}")

    # Its print sheet: a PDF, downloaded.
    with page.expect_download() as download:
        page.locator("a[href$='/sheet.pdf']").click()
    sheet = tmp_path / "sheet.pdf"
    download.value.save_as(sheet)
    assert sheet.read_bytes().startswith(b"%PDF")

    # Suspend the certificate: its confirmation page, a reason, the decision.
    page.goto(certificate_url)
    page.locator("a[href$='/suspend']").click()
    page.wait_for_load_state()
    screen.sound(lang)
    page.select_option("#f-reason_code", "surveillance_nonconformity")
    page.fill("#f-reason_text", "Contrôle du 7 décembre")
    shot(page, f"workspace-admin-suspend-confirm-{lang}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert words["suspended"] in page.locator(".success").inner_text()
    assert page.locator("h1 .badge.suspended").count() == 1
    screen.sound(lang)
    shot(page, f"workspace-admin-certificate-suspended-{lang}")

    page.goto(f"{base}/workspace/keys")
    screen.sound(lang)
    shot(page, f"workspace-admin-keys-{lang}")
    visited.append(f"{base}/workspace/keys")

    # The same pages on a desktop screen.
    page.set_viewport_size(DESKTOP)
    for number, url in enumerate(visited):
        page.goto(url)
        screen.sound(lang)
        shot(page, f"workspace-admin-desktop-{number}-{lang}")

    # Every workspace page: no console error; nothing asked of another origin.
    assert [e for e in screen.errors if e.startswith(f"{base}/workspace")] == []
    assert screen.foreign() == []
