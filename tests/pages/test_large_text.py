"""Text at 200% on a phone: no verdict word is cut in pieces, nothing scrolls sideways.

A reader who doubles the browser's default font size (16 px to 32 px, the browser setting,
not a page zoom) on a 390 px wide phone reads every verdict word whole: each word of the
verdict (``RÉVOQUÉ``, ``NON VALIDE``, ``موقوف``…) and of the certificate status sits on a
single line box. Measured in Chromium: a ``Range`` over each word of the word's text node
has exactly one client rectangle. The page never scrolls sideways. Screenshots of the top of
each page (the verdict) go to ``test-artifacts/screenshots/large-text-*``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

import pytest

from tests.pages.site import LANGS, PHONE, DemoSite, serve_html, shot
from verify.pages import render_label_page
from verify.verdict import Overall

#: The browser's default font size, doubled.
LARGE: Final = 32

_WORD_BOXES: Final = """(selector) => {
    const element = document.querySelector(selector);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const words = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent;
        for (const match of text.matchAll(/\\S+/gu)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set(
                [...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))
            );
            words.push([match[0], lines.size]);
        }
    }
    return words;
}"""


@pytest.fixture(scope="module")
def big_phone(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": LARGE, "fixed": LARGE}})
    yield page
    context.close()


def _words(page: Any, selector: str) -> list[tuple[str, int]]:
    return [(str(word), int(lines)) for word, lines in page.evaluate(_WORD_BOXES, selector)]


def _assert_whole(page: Any, selector: str, what: str) -> None:
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == LARGE
    words = _words(page, selector)
    assert words, (what, selector)
    split = [word for word, lines in words if lines != 1]
    assert split == [], f"{what}: split across lines: {split}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what}: the page scrolls sideways by {overflow}px"


def _label_url(site: DemoSite, name: str, lang: str, *, alter: bool = False) -> str:
    path, query = site.local(site.labels[name]).split("?", 1)
    if alter:
        path = path[:-1] + ("2" if path[-1] != "2" else "3")
    return f"{path}?{query}&lang={lang}"


@pytest.mark.parametrize("lang", LANGS)
def test_a_reader_with_large_text_reads_every_verdict_whole(
    big_phone: Any, demo_site: DemoSite, lang: str
) -> None:
    page = big_phone
    for name in ("authentic", "suspended", "certificate_suspended", "revoked"):
        page.goto(_label_url(demo_site, name, lang))
        _assert_whole(page, "#verdict-word", f"{name}/{lang}")
        shot(page, f"large-text-{name}-{lang}", full_page=False)
    page.goto(_label_url(demo_site, "authentic", lang, alter=True))
    _assert_whole(page, "#verdict-word", f"invalid/{lang}")
    shot(page, f"large-text-invalid-{lang}", full_page=False)
    for kind in (Overall.AUTHENTIC_WITH_WARNINGS, Overall.UNKNOWN):
        url = f"{demo_site.base_url}/rendered?lang={lang}"
        from tests.pages.sample import verdict_of  # the verifier's own verdicts

        html = render_label_page(verdict_of(kind), lang=lang)  # type: ignore[arg-type]
        serve_html(page, url, html, lang)
        _assert_whole(page, "#verdict-word", f"{kind.value}/{lang}")
        shot(page, f"large-text-{kind.value.lower()}-{lang}", full_page=False)
    page.goto(_label_url(demo_site, "certificate_suspended", lang))
    page.locator("a[href^='/certificates/']").first.click()
    page.wait_for_load_state()
    _assert_whole(page, "#status-word", f"certificate/{lang}")


def test_the_measure_sees_a_split_word(big_phone: Any) -> None:
    """The measure itself: a word too wide for its box, broken anywhere, is caught."""
    big_phone.goto("about:blank")  # away from the site's CSP, which forbids style attributes
    big_phone.set_content(
        '<!doctype html><meta name="viewport" content="width=device-width">'
        '<p id="w" style="width:1.5em;overflow-wrap:anywhere">RÉVOQUÉ موقوف ok</p>'
    )
    lines = dict(_words(big_phone, "#w"))
    assert lines["RÉVOQUÉ"] > 1 and lines["موقوف"] > 1 and lines["ok"] == 1
