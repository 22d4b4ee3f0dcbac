"""Every public page meets WCAG 2.1 AA as far as axe-core can tell, in every language and size.

axe-core (from npm, ``tests/pages/axe``) runs in headless Chromium on every public page state
— the verdict of each kind, home, certificate pages, the badge, the bulk form, its results
and its errors, the sign-in page and its errors, an error page — in French, English, Spanish
and Arabic, at desktop and phone size: 8 variants per state, one test per state. A state
passes when axe reports no violation of impact *serious* or *critical* and none tagged
WCAG 2.0/2.1 A or AA (whatever its impact).

Pages come from the live demo registry (:mod:`tests.pages.site`); the two verdicts the
online registry cannot produce on demand (*authentic with warnings* and *unknown*, which
come from offline data) are rendered by :func:`verify.pages.render_label_page` from
verdicts the real verifier made (:mod:`tests.pages.sample`) and served at the site's own
origin, with the site's headers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final
from uuid import uuid4

import pytest

from labeling.demo import DEMO_PASSWORD
from tests.pages.site import (
    DESKTOP,
    LANGS,
    PHONE,
    RUN_AXE,
    DemoSite,
    axe_source,
    failing,
    serve_html,
)
from verify.pages import render_label_page
from verify.verdict import Overall

Visit = Callable[[Any, DemoSite, str], None]


@pytest.fixture(scope="module")
def axe_pages(chromium: Any) -> Iterator[dict[str, Any]]:
    """One desktop and one phone page; CSP is bypassed so that axe's script may run (the
    pages themselves allow no script)."""
    contexts = {
        "desktop": chromium.new_context(viewport=DESKTOP, bypass_csp=True),
        "phone": chromium.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, bypass_csp=True
        ),
    }
    yield {name: context.new_page() for name, context in contexts.items()}
    for context in contexts.values():
        context.close()


def audit(
    axe_pages: dict[str, Any],
    site: DemoSite,
    visit: Visit,
    state: str,
    langs: tuple[str, ...] = LANGS,
) -> None:
    source = axe_source()
    found: dict[str, list[dict[str, Any]]] = {}
    for size, page in axe_pages.items():
        for lang in langs:
            visit(page, site, lang)
            assert page.evaluate("document.documentElement.lang") == lang, (state, size)
            page.add_script_tag(content=source)
            bad = failing(page.evaluate(RUN_AXE))
            if bad:
                found[f"{state}/{lang}/{size}"] = bad
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


# ------------------------------------------------------------------------------ states


def _open(path: str) -> Visit:
    def visit(page: Any, site: DemoSite, lang: str) -> None:
        separator = "&" if "?" in path else "?"
        response = page.goto(f"{site.base_url}{path}{separator}lang={lang}")
        assert response is not None and response.status < 500

    return visit


def _label(name: str, *, alter: bool = False) -> Visit:
    def visit(page: Any, site: DemoSite, lang: str) -> None:
        url = site.local(site.labels[name])
        if alter:  # one character of the serial changed: a forgery
            path, query = url.split("?", 1)
            last = path[-1]
            url = path[:-1] + ("2" if last != "2" else "3") + "?" + query
        response = page.goto(url + f"&lang={lang}")
        assert response is not None and response.status == 200

    return visit


def _rendered(kind: Overall) -> Visit:
    """A verdict only offline data produces, served at the site's origin."""

    def visit(page: Any, site: DemoSite, lang: str) -> None:
        from tests.pages.sample import verdict_of  # the verifier's own verdicts

        html = render_label_page(verdict_of(kind), lang=lang, self_url="/rendered")  # type: ignore[arg-type]
        serve_html(page, f"{site.base_url}/rendered-{kind.value.lower()}?lang={lang}", html, lang)

    return visit


def _certificate(name: str) -> Visit:
    """The certificate page of one of the demo's labels (found through its label page)."""

    def visit(page: Any, site: DemoSite, lang: str) -> None:
        page.goto(site.local(site.labels[name]) + f"&lang={lang}")
        page.locator("a[href^='/certificates/']").first.click()
        page.wait_for_load_state()

    return visit


def _badge(page: Any, site: DemoSite, lang: str) -> None:
    """The badge as another site embeds it: the certificate page's image and text
    alternative, in a page of its own."""
    _certificate("authentic")(page, site, lang)
    badge = page.locator("img[src*='badge.svg']")
    src, alt = badge.evaluate("img => img.src"), badge.get_attribute("alt")
    assert alt and src.startswith(site.base_url)
    page.set_content(
        f'<!doctype html><html lang="{lang}"><title>Badge</title>'
        f'<main><a href="{site.base_url}"><img src="{src}" alt="{alt}" height="20"></a></main>'
    )
    page.wait_for_function("document.images[0].complete")
    assert page.evaluate("document.images[0].naturalWidth") > 0


def _bulk_results(page: Any, site: DemoSite, lang: str) -> None:
    page.goto(f"{site.base_url}/verify/bulk?lang={lang}")
    scans = "\n".join(
        ["url", *(site.labels[k] for k in sorted(site.labels)), "HTTPS://KHATEM.MA/01/123"]
    )
    page.set_input_files(
        "#file", files=[{"name": "scans.csv", "mimeType": "text/csv", "buffer": scans.encode()}]
    )
    page.locator("button[value='html']").click()
    page.wait_for_load_state()
    assert page.locator("tr[data-verdict]").count() == len(site.labels) + 1


def _bulk_error(page: Any, site: DemoSite, lang: str) -> None:
    page.goto(f"{site.base_url}/verify/bulk?lang={lang}")
    page.set_input_files(
        "#file", files=[{"name": "empty.csv", "mimeType": "text/csv", "buffer": b"\n"}]
    )
    page.locator("button[value='html']").click()
    page.wait_for_load_state()
    assert page.locator("[data-problem]").count() == 1


def _login_error(page: Any, site: DemoSite, lang: str) -> None:
    page.goto(f"{site.base_url}/login?lang={lang}")
    page.fill("#email", f"nobody-{uuid4().hex[:8]}@khatem.test")  # never locked out
    page.fill("#password", "not the password")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid='true']").count() == 2


def _report_form(page: Any, site: DemoSite, lang: str) -> None:
    """The buyer's "report a suspected fake" form, reached from the copied label's page."""
    _label("suspicious")(page, site, lang)
    page.locator("a[href^='/report/']").first.click()
    page.wait_for_load_state()
    assert page.locator("form[method=post] textarea, form[method=post] input").count() > 0


STATES: Final[dict[str, Visit]] = {
    "home": _open("/"),
    "verdict-authentic": _label("authentic"),
    "verdict-authentic-with-warnings": _rendered(Overall.AUTHENTIC_WITH_WARNINGS),
    "verdict-suspended-label": _label("suspended"),
    "verdict-suspended-certificate": _label("certificate_suspended"),
    "verdict-revoked": _label("revoked"),
    "verdict-suspicious": _label("suspicious"),
    "report-form": _report_form,
    "verdict-invalid-forged": _label("authentic", alter=True),
    "verdict-invalid-typed": _open("/verify?url=KHATEM.MA%2F01%2F123"),
    "verdict-unknown": _rendered(Overall.UNKNOWN),
    "certificate-active": _certificate("authentic"),
    "certificate-suspended": _certificate("certificate_suspended"),
    "badge": _badge,
    "bulk-form": _open("/verify/bulk"),
    "bulk-results": _bulk_results,
    "bulk-error": _bulk_error,
    "login": _open("/login"),
    "login-error": _login_error,
    "error-certificate-not-found": _open("/certificates/C-0000000"),
}


@pytest.mark.parametrize("state", list(STATES))
def test_every_public_page_meets_wcag_21_aa(
    axe_pages: dict[str, Any], demo_site: DemoSite, state: str
) -> None:
    audit(axe_pages, demo_site, STATES[state], state)


def _workspace(email: str, path: str = "/workspace") -> Visit:
    """A workspace page, signed in on ``/login`` as one of the demo's accounts."""

    def visit(page: Any, site: DemoSite, lang: str) -> None:
        page.goto(f"{site.base_url}/login?lang={lang}")
        page.fill("#email", email)
        page.fill("#password", DEMO_PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()
        response = page.goto(f"{site.base_url}{path}?lang={lang}")
        assert response is not None and response.status == 200, path
        page.context.clear_cookies()

    return visit


def _artisan_certificate(page: Any, site: DemoSite, lang: str) -> None:
    """The artisan's certificate page, reached from the home page's link (ids vary)."""
    page.goto(f"{site.base_url}/login?lang={lang}")
    page.fill("#email", "tifaouine@demo.khatem.ma")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{site.base_url}/workspace?lang={lang}")
    href = page.locator("main a[href^='/workspace/my/certificates/']").first.get_attribute("href")
    response = page.goto(f"{site.base_url}{href}?lang={lang}")
    assert response is not None and response.status == 200, href
    page.context.clear_cookies()


def _artisan_product_line(page: Any, site: DemoSite, lang: str) -> None:
    """The artisan's product-line page (description and photos), from its products page."""
    page.goto(f"{site.base_url}/login?lang={lang}")
    page.fill("#email", "tifaouine@demo.khatem.ma")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{site.base_url}/workspace/my/products?lang={lang}")
    href = page.locator("main a[href^='/workspace/product-lines/']").first.get_attribute("href")
    response = page.goto(f"{site.base_url}{href}?lang={lang}")
    assert response is not None and response.status == 200, href
    page.context.clear_cookies()


#: The workspace (issue 14) as it lands: its languages are French, Arabic and English.
WORKSPACE_STATES: Final[dict[str, Visit]] = {
    "workspace-inspector": _workspace("inspecteur.ouarzazate@demo.khatem.ma"),
    "workspace-admin": _workspace("admin.draa-tafilalet@demo.khatem.ma"),
    # The administrator's lists (its forms and a record's pages: tests/workspace/
    # test_admin_browser.py runs axe-core on each of them as the administrator uses them).
    **{
        f"workspace-admin-{name}": _workspace(
            "admin.draa-tafilalet@demo.khatem.ma", f"/workspace/{name}"
        )
        for name in ("inspectors", "certificates", "batches", "keys")
    },
    # The inspector's and the artisan's keyset lists (issue 14).
    "workspace-inspector-audits": _workspace(
        "inspecteur.ouarzazate@demo.khatem.ma", "/workspace/audits"
    ),
    "workspace-artisan-certificates": _workspace(
        "tifaouine@demo.khatem.ma", "/workspace/my/certificates"
    ),
    "workspace-artisan": _workspace("tifaouine@demo.khatem.ma"),
    # The artisan's pages (issue 14): a certificate with its downloads, profile, products.
    "workspace-artisan-certificate": _artisan_certificate,
    **{
        f"workspace-artisan-{name}": _workspace("tifaouine@demo.khatem.ma", f"/workspace/my/{name}")
        for name in ("profile", "products")
    },
    # What a label belongs to (issue 15): the description form and the photos.
    "workspace-artisan-product-line": _artisan_product_line,
}


@pytest.mark.parametrize("state", list(WORKSPACE_STATES))
def test_every_workspace_page_meets_wcag_21_aa(
    axe_pages: dict[str, Any], demo_site: DemoSite, state: str
) -> None:
    audit(axe_pages, demo_site, WORKSPACE_STATES[state], state, langs=("fr", "en", "ar"))


def test_the_audit_catches_what_it_should(axe_pages: dict[str, Any], demo_site: DemoSite) -> None:
    """The harness itself: a page with known faults fails it (so a green run means
    something), and the WCAG filter keeps a moderate WCAG failure as well."""
    page = axe_pages["phone"]
    page.goto("about:blank")
    faults = (
        '<!doctype html><html><title></title><body><img src="x.png">'
        '<p style="color:#bbb;background:#fff">faint</p><input id="q"></body></html>'
    )
    page.set_content(faults)
    page.add_script_tag(content=axe_source())
    ids = {v["id"] for v in failing(page.evaluate(RUN_AXE))}
    assert {"html-has-lang", "image-alt", "color-contrast", "label"} <= ids
    assert failing([{"id": "x", "impact": "moderate", "tags": ["wcag2aa"]}])
    assert not failing([{"id": "x", "impact": "moderate", "tags": ["best-practice"]}])


def test_axe_is_the_locked_version() -> None:
    lock = json.loads((Path(__file__).parent / "axe" / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/axe-core"]["version"]
    assert axe_source().startswith(f"/*! axe v{version}")
