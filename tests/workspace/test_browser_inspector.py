"""An inspector records an audit and certifies, in a real Chromium at a phone's size, in
French and in Arabic: sign in, register an artisan and a product line, fill the audit form
(the outcome shows as the inspector types), attach a photo, save, certify.

The page may ask nothing of another origin and may log no console error, and axe-core finds
no serious or critical violation nor any WCAG 2.1 A/AA failure on any page of the flow;
screenshots of every step go to ``test-artifacts/screenshots/workspace-inspector-*.png``.
"""

from __future__ import annotations

import secrets

import pytest

from labeling.demo import DEMO_PASSWORD
from tests.audits.helpers import JPEG_BYTES
from tests.pages.site import DemoSite, shot
from tests.workspace.screen import Screen

INSPECTOR = "inspecteur.ouarzazate@demo.khatem.ma"
WORDS = {
    "fr": {"pass": "Conforme", "saved": "Audit enregistré", "issued": "délivré"},
    "ar": {"pass": "مطابق", "saved": "تم حفظ التدقيق", "issued": "مُنحت الشهادة"},
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_an_inspector_records_an_audit_and_certifies_on_a_phone(
    screen: Screen,
    demo_site: DemoSite,
    lang: str,
) -> None:
    page, base = screen.page, demo_site.base_url
    words = WORDS[lang]

    # Sign in; the workspace home opens.
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#email", INSPECTOR)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/workspace")
    page.goto(f"{base}/workspace?lang={lang}")
    screen.sound(lang)
    shot(page, f"workspace-inspector-home-{lang}")

    # Register an artisan (a fresh NIA each run).
    page.goto(f"{base}/workspace/artisans/new")
    screen.sound(lang)  # the language was remembered
    page.fill("#f-nia", f"NIA-08-{secrets.randbelow(10**6):06d}")
    page.select_option("#f-kind", "cooperative")
    page.fill("#f-display_name_latin", "Coopérative Tilelli")
    page.fill("#f-display_name_arabic", "تعاونية تيليلي")
    page.select_option("#f-filiere_code", "F01")
    page.fill("#f-metier", "Tapis noué main")
    page.fill("#f-city", "Taznakht")
    shot(page, f"workspace-inspector-register-{lang}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".success").count() == 1

    # Add a product line (the form is folded under its summary).
    page.locator("#lines summary").click()
    page.fill("#f-family", "tapis")
    page.fill("#f-name", "Tapis Ouzguita")
    page.fill("#f-materials", "laine, teintures naturelles")
    page.locator("form[action$='/product-lines'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#lines li").count() == 1

    # Open the audit form: each criterion shows its limit, unit and method.
    page.select_option("#f-scheme", "TAPIS-SUPERIEURE")
    page.locator("form[action$='/audits/new'] button[type=submit]").click()
    page.wait_for_load_state()
    screen.sound(lang)
    density = page.locator("fieldset[data-criterion='knot_density']")
    assert "knots/m2" in density.inner_text()
    page.fill("#f-c-knot_density", "96000")
    page.check("input[name='c-hand_knotted'][value='yes']")
    assert page.locator("#overall").inner_text() != words["pass"]  # one criterion to go
    page.check("input[name='c-no_redhibitory_defects'][value='yes']")
    assert page.locator("#overall").inner_text() == words["pass"]  # computed as she types
    page.set_input_files(
        "#f-photos", files=[{"name": "metier.jpg", "mimeType": "image/jpeg", "buffer": JPEG_BYTES}]
    )
    shot(page, f"workspace-inspector-audit-form-{lang}")
    page.locator("#audit-form button[type=submit]").click()
    page.wait_for_load_state()

    # The registry's answer: the audit passed, the photo is attached.
    assert words["saved"] in page.locator(".success").inner_text()
    assert page.locator("h1 .badge.pass").inner_text() == words["pass"]
    assert page.locator("a[href^='/api/v1/evidence/']").inner_text() == "metier.jpg"
    screen.sound(lang)
    shot(page, f"workspace-inspector-audit-{lang}")

    # Certify from it.
    page.locator("form[action$='/certify'] button[type=submit]").click()
    page.wait_for_load_state()
    success = page.locator(".success").inner_text()
    assert words["issued"] in success and "C-" in success
    screen.sound(lang)
    shot(page, f"workspace-inspector-certified-{lang}")

    # Every workspace page: no console error. (The public /login page, not the workspace's,
    # still lets the browser ask for a /favicon.ico it does not have.)
    assert [e for e in screen.errors if e.startswith(f"{base}/workspace")] == []
    assert screen.foreign() == []
