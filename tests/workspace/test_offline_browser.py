"""An inspector records an audit without signal, in a real Chromium at a phone's size, in
French and in Arabic: she opens an artisan's page while connected (the service worker keeps
the audit forms of its schemes), loses the connection, opens the audit form from what the
phone kept, saves the audit — it waits on the phone, "waiting to send", and survives a
reload — and when the connection returns it is sent and recorded once. Then the answer to a
saved audit is lost on the way back (the request reaches the registry, the response never
reaches the phone): the phone sends it again, with the same idempotency key, and the
registry still holds one audit. Last, a refusal that comes back while she is away (a date
the registry will not take) is shown with the draft kept, and "open the draft" gives her the
form back as she filled it.

The pages may ask nothing of another origin and log no console error (but the two the test
provokes: the answer it aborts, the refusal it asks for), and axe-core finds no serious or
critical violation on the form with its outbox showing; screenshots go to
``test-artifacts/screenshots/workspace-offline-*.png``.
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from sqlalchemy import text

from core.db import engine_for
from labeling.demo import DEMO_PASSWORD
from tests.pages.site import DemoSite, shot
from tests.workspace.screen import Screen
from tests.workspace.test_browser_inspector import INSPECTOR

WORDS = {
    "fr": {"waiting": "En attente d'envoi", "sent": "Envoyé", "saved": "Audit enregistré"},
    "ar": {"waiting": "في انتظار الإرسال", "sent": "أُرسل", "saved": "تم حفظ التدقيق"},
}
SCHEME = "TAPIS-SUPERIEURE"
CACHE = "khatem-workspace-v1"


def _audits_of(site: DemoSite, artisan_id: int) -> int:
    with engine_for(site.settings.database_url).connect() as connection:
        found = connection.execute(
            text("SELECT count(*) FROM audit WHERE artisan_id = :a"), {"a": artisan_id}
        ).scalar_one()
    return int(found)


def _an_artisan_with_a_line(page: Any, base: str) -> int:
    page.goto(f"{base}/workspace/artisans/new")
    page.fill("#f-nia", f"NIA-08-{secrets.randbelow(10**6):06d}")
    page.select_option("#f-kind", "artisan")
    page.fill("#f-display_name_latin", "Atelier Aït Benhaddou")
    page.fill("#f-display_name_arabic", "ورشة آيت بنحدو")
    page.select_option("#f-filiere_code", "F01")
    page.fill("#f-metier", "Tapis noué main")
    page.fill("#f-city", "Ouarzazate")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    artisan_id = int(page.url.split("/workspace/artisans/", 1)[1].split("?", 1)[0])
    page.locator("#lines summary").click()
    page.fill("#f-family", "tapis")
    page.fill("#f-name", "Tapis Glaoui")
    page.fill("#f-materials", "laine")
    page.locator("form[action$='/product-lines'] button[type=submit]").click()
    page.wait_for_load_state()
    return artisan_id


def _fill_a_passing_audit(page: Any) -> None:
    page.fill("#f-c-knot_density", "96000")
    page.check("input[name='c-hand_knotted'][value='yes']")
    page.check("input[name='c-no_redhibitory_defects'][value='yes']")


def _kept(page: Any, url: str) -> None:
    """Wait until the service worker has kept ``url`` (it fetches it in the background)."""
    page.wait_for_function(
        "async ([name, url]) => !!(await (await caches.open(name)).match(url))",
        arg=[CACHE, url],
        polling=100,
    )


def _outbox(page: Any) -> list[str]:
    items: list[str] = page.locator("#outbox-list li").all_inner_texts()
    return items


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_an_audit_recorded_without_signal_is_sent_once_when_the_signal_returns(
    screen: Screen,
    demo_site: DemoSite,
    lang: str,
) -> None:
    page, base, words = screen.page, demo_site.base_url, WORDS[lang]
    context = page.context
    aborted: list[str] = []

    page.goto(f"{base}/login?lang={lang}&next=%2Fworkspace%2Fartisans%2Fnew%3Flang%3D{lang}")
    page.fill("#email", INSPECTOR)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/workspace/artisans/new?lang={lang}")  # where sign-in started
    artisan_id = _an_artisan_with_a_line(page, base)
    form_url = f"/workspace/artisans/{artisan_id}/audits/new?scheme={SCHEME}"

    # At the office: the artisan's page is enough for its audit forms to be kept.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker's control
    page.wait_for_function("() => !!navigator.serviceWorker.controller")
    _kept(page, base + form_url)

    # In the workshop: no signal. The form opens from what the phone kept.
    context.set_offline(True)
    page.goto(base + form_url)
    assert page.locator("#audit-form").count() == 1, page.content()[:1500]
    key = page.input_value("input[name=idempotency_key]")
    _fill_a_passing_audit(page)
    page.locator("#audit-form button[type=submit]").click()
    page.wait_for_selector("#outbox-list li[data-state=waiting]")
    assert words["waiting"] in _outbox(page)[0]
    assert _audits_of(demo_site, artisan_id) == 0
    screen.sound(lang)
    shot(page, f"workspace-offline-waiting-{lang}")

    # A reload (or a closed tab) loses nothing: the audit waits in the phone's IndexedDB.
    page.reload()
    page.wait_for_selector("#outbox-list li[data-state=waiting]")
    assert page.get_attribute("#outbox-list li", "data-outbox-id") == key

    # The signal returns: the audit goes by itself, once.
    context.set_offline(False)
    page.wait_for_function("() => document.querySelectorAll('#outbox-list li').length === 0")
    assert words["sent"] in page.inner_text("#outbox-status")
    assert _audits_of(demo_site, artisan_id) == 1
    shot(page, f"workspace-offline-sent-{lang}")

    # A saved audit whose answer is lost: the registry records it, the phone hears nothing.
    page.goto(base + form_url)
    _fill_a_passing_audit(page)
    action = f"{base}/workspace/artisans/{artisan_id}/audits"

    def lose_the_answer(route: Any) -> None:
        route.fetch()  # reaches the registry, which records the audit
        aborted.append(route.request.url)
        route.abort()  # the phone never hears back

    # The context's routes see what the page's fetch() sends (it passes the service worker,
    # which lets POSTs through untouched).
    context.route(action, lose_the_answer)
    page.locator("#audit-form button[type=submit]").click()
    page.wait_for_function(
        "(saved) => document.getElementById('outbox-status').textContent === saved",
        arg=page.get_attribute("#outbox", "data-w-saved"),
    )
    assert page.get_attribute("#outbox-list li", "data-state") == "waiting"
    assert aborted == [action]
    assert _audits_of(demo_site, artisan_id) == 2  # recorded, though the phone does not know
    context.unroute(action)

    # Sent again (the inspector taps "send now"; a reload or the next page would too): the
    # same key, so the registry answers with the audit it holds and records nothing more.
    page.locator("#outbox-list li button").first.click()
    page.wait_for_function("() => document.querySelectorAll('#outbox-list li').length === 0")
    assert _audits_of(demo_site, artisan_id) == 2
    shot(page, f"workspace-offline-resent-{lang}")

    # A refusal while she was away (here a date the registry will not take): the registry's
    # sentence is shown, the draft stays on the phone, and "open the draft" brings it back.
    page.goto(base + form_url)
    today = page.get_attribute("#f-audit_date", "max")
    _fill_a_passing_audit(page)
    page.fill("#f-audit_date", "2099-01-01")
    context.set_offline(True)
    page.locator("#audit-form button[type=submit]").click()
    page.wait_for_selector("#outbox-list li[data-state=waiting]")
    context.set_offline(False)
    page.wait_for_selector("#outbox-list li[data-state=refused]")
    refused = _outbox(page)[0]
    assert page.get_attribute("#outbox", "data-w-refused") in refused
    assert _audits_of(demo_site, artisan_id) == 2
    screen.sound(lang)
    shot(page, f"workspace-offline-refused-{lang}")
    page.locator("#outbox-list li a").first.click()
    page.wait_for_function("() => document.getElementById('f-audit_date').value === '2099-01-01'")
    assert page.input_value("#f-c-knot_density") == "96000"
    page.fill("#f-audit_date", today)
    page.locator("#audit-form button[type=submit]").click()
    page.wait_for_url(f"{base}/workspace/audits/*")
    assert words["saved"] in page.locator(".success").inner_text()
    assert _audits_of(demo_site, artisan_id) == 3
    assert page.locator("#outbox-list li").count() == 0

    # Chromium logs the two failures the test provokes: the answer it aborted, the refusal.
    provoked = ("net::ERR_FAILED", "the server responded with a status of 422")
    unexpected = [e for e in screen.errors if not (action in e and any(p in e for p in provoked))]
    assert unexpected == []
    assert screen.foreign() == []
