"""A phone-sized Chromium page for the workspace's browser tests, with the bar every page of
theirs must pass (:meth:`Screen.sound`) and what it asked of other origins or logged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.pages.site import PHONE, DemoSite, accessibility_failures

__all__ = ["Screen", "screen"]


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
        bad = accessibility_failures(self.page)
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
