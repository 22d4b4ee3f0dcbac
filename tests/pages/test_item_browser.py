"""What the label belongs to, in a real browser at phone width: the demo's Taznakht carpet
(described and photographed by ``khatem demo``) on the verdict page in the four languages,
and its product-line page in the artisan's workspace in Arabic. Screenshots land in
``test-artifacts/screenshots/`` (``item-*``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

import pytest

from labeling.demo import DEMO_PASSWORD
from tests.pages.site import LANGS, PHONE, DemoSite, shot

#: The sentence of each language, as the demo carpet's page says it.
SENTENCES: Final = {
    "fr": "Cette étiquette appartient à : Tapis Ouzguita noué main, laine, "
    "teintures naturelles, 200 × 300 cm",
    "en": "This label belongs to: Tapis Ouzguita noué main, laine, teintures "
    "naturelles, 200 × 300 cm — check that it matches the item in front of you.",
    "es": "Esta etiqueta pertenece a: Tapis Ouzguita noué main",
    "ar": "هذا الملصق يخصّ: Tapis Ouzguita noué main، laine، teintures naturelles، 200 × 300 سم",
}


@pytest.fixture(scope="module")
def phone_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


def _sound(page: Any) -> None:
    """Nothing wider than the phone, and every image loaded."""
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    broken = page.evaluate(
        "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"
    )
    assert broken == 0


@pytest.mark.parametrize("lang", LANGS)
def test_the_buyer_sees_the_carpet_on_a_phone(
    phone_page: Any, demo_site: DemoSite, lang: str
) -> None:
    page = phone_page
    page.goto(demo_site.local(demo_site.labels["authentic"]) + f"&lang={lang}")
    section = page.locator("section[data-item]")
    assert section.is_visible()
    words = " ".join(section.inner_text().split())
    assert SENTENCES[lang] in words, words
    thumbnail = section.locator("img").first
    assert "Tapis Ouzguita noué main" in (thumbnail.get_attribute("alt") or "")
    box = thumbnail.bounding_box()
    assert box is not None and 0 < box["width"] <= PHONE["width"]
    _sound(page)
    shot(page, f"item-verdict-phone-{lang}")


def test_the_artisan_describes_its_carpet_in_arabic_on_a_phone(
    phone_page: Any, demo_site: DemoSite
) -> None:
    page, base = phone_page, demo_site.base_url
    page.goto(f"{base}/login?lang=ar")
    page.fill("#email", "tifaouine@demo.khatem.ma")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/workspace")
    page.goto(f"{base}/workspace/my/products?lang=ar")
    page.locator("main a[href^='/workspace/product-lines/']").first.click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert "200 × 300 سم" in page.locator("#buyer-sentence").inner_text()
    assert page.locator("#f-width").input_value() == "200"
    _sound(page)
    shot(page, "item-workspace-phone-ar")
    page.fill("#f-craft", "noué à la main")
    page.locator("form[action$='/description'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "noué à la main" in page.locator("#buyer-sentence").inner_text()
    # Keyboard: the photo field is reachable and labelled.
    assert page.locator("label[for='f-photo']").is_visible()
