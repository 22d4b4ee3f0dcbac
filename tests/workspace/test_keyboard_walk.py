"""The workspace with the keyboard alone, in a real Chromium: an inspector signs in and
records an audit (on a phone's screen, in French and in Arabic), an administrator reaches
a certificate and confirms its suspension. No mouse: Tab and Shift+Tab move, Enter follows
a link or sends a form, Space ticks a box or a radio, the arrow keys choose in a list.

At every step the focused element shows it: its outline or shadow differs from the same
element unfocused (a twin of it, not focused, laid beside it in the page), and is not
nothing. Each page starts with a skip link that, followed, puts the focus on the main
content. The pages may log no console error and ask nothing of another origin; the
screenshots go to ``test-artifacts/screenshots/workspace-keyboard-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from labeling.demo import DEMO_PASSWORD
from tests.pages.site import DESKTOP, PHONE, DemoSite, shot

INSPECTOR = "inspecteur.ouarzazate@demo.khatem.ma"
ADMIN = "admin.draa-tafilalet@demo.khatem.ma"
SAVED = {"fr": "Audit enregistré", "ar": "تم حفظ التدقيق"}
SUSPENDED = {"fr": "suspendu"}

# The focused element's look against its unfocused twin's (same place, same rules, no focus).
_FOCUS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) {
        return {ok: false, what: "nothing has the focus"};
    }
    const look = (el) => {
        const s = getComputedStyle(el);
        const none = s.outlineStyle === "none" || parseFloat(s.outlineWidth) === 0;
        return {
            outline: none ? "none" : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            shadow: s.boxShadow,
        };
    };
    const focused = look(e);
    const twin = e.cloneNode(false);
    for (const name of ["id", "name", "autofocus", "checked"]) twin.removeAttribute(name);
    twin.setAttribute("aria-hidden", "true");
    twin.style.position = "absolute";
    twin.style.visibility = "hidden";
    e.after(twin);
    const plain = look(twin);
    twin.remove();
    const what = `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} ` +
        (e.getAttribute("href") || e.getAttribute("name") || e.textContent.trim().slice(0, 30));
    const shows = focused.outline !== "none" || focused.shadow !== "none";
    const differs = focused.outline !== plain.outline || focused.shadow !== plain.shadow;
    return {ok: shows && differs, what, focused, plain};
}"""


@dataclass
class Keyboard:
    """A page driven by the keyboard only, checking the focus after every key."""

    page: Any
    origin: str
    steps: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.focus_shows()

    def focus_shows(self) -> str:
        seen: dict[str, Any] = self.page.evaluate(_FOCUS)
        self.steps.append(str(seen["what"]))
        assert seen["ok"], (self.page.url, seen)
        return str(seen["what"])

    def is_focused(self, selector: str) -> bool:
        return bool(
            self.page.evaluate(
                "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
            )
        )

    def tab_to(self, selector: str, *, back: bool = False, limit: int = 150) -> None:
        """Tab (or Shift+Tab) until ``selector`` has the focus."""
        for _ in range(limit):
            self.press("Shift+Tab" if back else "Tab")
            if self.is_focused(selector):
                return
        raise AssertionError(f"{selector} never had the focus on {self.page.url}: {self.steps}")

    def choose(self, selector: str, value: str, *, limit: int = 40) -> None:
        """The focused list's ``value``, with the arrow keys."""
        assert self.is_focused(selector)
        for _ in range(limit):
            if self.page.eval_on_selector(selector, "(e) => e.value") == value:
                return
            self.press("ArrowDown")
        raise AssertionError(f"{value} is not among {selector}'s options")

    def follow(self, key: str = "Enter") -> None:
        """Send the focused link or form, and wait for the page it opens."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state()

    def skip_to_content(self) -> None:
        """The page's first stop is its skip link; it moves the focus to the main content."""
        self.press("Tab")
        assert self.is_focused("a.skip"), (self.page.url, self.steps[-1])
        self.page.keyboard.press("Enter")
        assert self.is_focused("main#main"), (self.page.url, self.page.evaluate(_FOCUS))
        self.focus_shows()

    def sign_in(self, email: str) -> None:
        self.skip_to_content()
        self.tab_to("#email")
        self.page.keyboard.type(email)
        self.tab_to("#password")
        self.page.keyboard.type(DEMO_PASSWORD)
        self.follow()  # Enter in a field sends its form

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not u.startswith((self.origin + "/", "data:", "blob:"))]


def _keyboard(
    chromium: Any, demo_site: DemoSite, viewport: dict[str, int], lang: str
) -> Iterator[Keyboard]:
    # The browser asks for the person's language: /login?lang= is the public page's choice,
    # not yet the workspace's preference (the workspace follows Accept-Language).
    context = chromium.new_context(viewport=viewport, locale={"fr": "fr-FR", "ar": "ar-MA"}[lang])
    page = context.new_page()
    keyboard = Keyboard(page=page, origin=demo_site.base_url)
    page.on("request", lambda request: keyboard.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            keyboard.errors.append(f"{page.url}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: keyboard.errors.append(f"{page.url}: {error}"))
    yield keyboard
    context.close()


@pytest.fixture
def phone_keys(
    chromium: Any, demo_site: DemoSite, request: pytest.FixtureRequest
) -> Iterator[Keyboard]:
    yield from _keyboard(chromium, demo_site, PHONE, request.node.callspec.params["lang"])


@pytest.fixture
def desk_keys(chromium: Any, demo_site: DemoSite) -> Iterator[Keyboard]:
    yield from _keyboard(chromium, demo_site, DESKTOP, "fr")


def _clean(keys: Keyboard, base: str) -> None:
    assert [e for e in keys.errors if e.startswith(f"{base}/workspace")] == []
    assert keys.foreign() == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_an_inspector_records_an_audit_with_the_keyboard_alone(
    phone_keys: Keyboard, demo_site: DemoSite, lang: str
) -> None:
    keys, page, base = phone_keys, phone_keys.page, demo_site.base_url
    page.goto(f"{base}/login?lang={lang}")
    keys.sign_in(INSPECTOR)
    assert page.url.startswith(f"{base}/workspace")

    # Home → the artisans' search (the main menu), find the cooperative by name.
    keys.skip_to_content()
    keys.tab_to("a[href='/workspace/artisans']", back=True)  # the menu is above the content
    keys.follow()
    keys.tab_to("input[name=q]")
    page.keyboard.type("Tifaouine")
    keys.follow()
    keys.tab_to("main a[href^='/workspace/artisans/']:not([href$='/new'])")
    keys.follow()
    shot(page, f"workspace-keyboard-artisan-{lang}")

    # Its page: choose the scheme with the arrow keys, open the audit form.
    keys.tab_to("#f-scheme")
    keys.choose("#f-scheme", "TAPIS-SUPERIEURE")
    keys.tab_to("form[action$='/audits/new'] button[type=submit]")
    keys.follow()

    # The form: every product line comes ticked; untick the one not audited (Space), type
    # the measure, answer with Space.
    keys.tab_to("input[name=product_line_ids]")
    keys.press("Tab")
    assert keys.is_focused("input[name=product_line_ids]:checked")  # the second line
    keys.press("Space")
    assert page.locator("input[name=product_line_ids]:checked").count() == 1
    keys.tab_to("#f-c-knot_density")
    page.keyboard.type("96000")
    keys.tab_to("#f-c-hand_knotted")
    keys.press("Space")
    keys.tab_to("#f-c-no_redhibitory_defects")
    keys.press("Space")
    assert page.is_checked("#f-c-no_redhibitory_defects")
    shot(page, f"workspace-keyboard-audit-form-{lang}")
    keys.tab_to("#audit-form button[type=submit]")
    # The form keeps the audit in the browser's outbox first, then sends it.
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/workspace/audits/*", timeout=60_000)
    assert SAVED[lang] in page.locator(".success").inner_text()
    shot(page, f"workspace-keyboard-audit-{lang}")
    _clean(keys, base)


def test_an_admin_suspends_a_certificate_with_the_keyboard_alone(
    desk_keys: Keyboard, demo_site: DemoSite
) -> None:
    keys, page, base = desk_keys, desk_keys.page, demo_site.base_url
    page.goto(f"{base}/login?lang=fr")
    keys.sign_in(ADMIN)

    # The certificates in force (the status filter, chosen with the arrow keys).
    keys.skip_to_content()
    keys.tab_to("a[href='/workspace/certificates']", back=True)
    keys.follow()
    keys.tab_to("#f-status")
    keys.choose("#f-status", "active")
    keys.tab_to("main form button[type=submit]")
    keys.follow()
    keys.tab_to("main a[href^='/workspace/certificates/']")
    keys.follow()

    # Its page offers the suspension; the confirmation page says what it does.
    keys.tab_to("a[href$='/suspend']")
    keys.follow()
    assert page.url.endswith("/suspend")
    keys.tab_to("main button[type=submit]")
    keys.tab_to("#f-reason_code", back=True)  # the reason first
    keys.choose("#f-reason_code", "fraud")
    shot(page, "workspace-keyboard-suspend-confirm-fr")
    keys.tab_to("main button[type=submit]")
    keys.follow()
    assert "done=suspended" in page.url
    assert SUSPENDED["fr"] in page.locator(".success").inner_text().lower()
    shot(page, "workspace-keyboard-suspended-fr")
    _clean(keys, base)
