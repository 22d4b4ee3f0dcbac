"""A body administrator issues a 200-label batch, downloads its sheet and suspends the
certificate, in a real Chromium at a phone's size, in French and in Arabic (then looks at
the same pages on a desktop screen).

The pages may ask nothing of another origin and may log no console error, and axe-core finds
no serious or critical violation nor any WCAG 2.1 A/AA failure on any page of the flow;
screenshots go to ``test-artifacts/screenshots/workspace-admin-*.png``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from labeling.demo import DEMO_PASSWORD
from tests.pages.site import DESKTOP, DemoSite, shot
from tests.workspace.screen import Screen

ADMIN = "admin.draa-tafilalet@demo.khatem.ma"
WORDS = {
    "fr": {"issued": "200 étiquettes signées", "suspended": "est suspendu"},
    "ar": {"issued": "200 علامة موقعة", "suspended": "عُلّقت الشهادة"},
}


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
