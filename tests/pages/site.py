"""A live demo registry in a real browser, shared by the accessibility and layout tests.

:func:`demo_site` builds, once per test module, what ``khatem serve --demo`` serves: the
packaged catalogue, the demo registry (artisans in four regions, certificates active and
suspended, signed labels, one revoked, one suspended), on a SQLite copy of the session's
template database, served by uvicorn on a free port of 127.0.0.1. Rate limits are off (the
tests open a few hundred pages in a minute). Debian's ``chromium`` opens the pages.

axe-core comes from npm (``tests/pages/axe/package.json``, locked; ``.ci/run`` installs it
with ``npm ci --prefix tests/pages/axe``).
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest
import uvicorn

from core.db import engine_for, new_session
from core.settings import Settings
from labeling.demo import load_demo
from labeling.startup import prepare_registry
from labeling.verification.service import forget_registry
from tests.tools import require

ARTIFACTS: Final = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE_JS: Final = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
LANGS: Final = ("fr", "en", "es", "ar")
DESKTOP: Final = {"width": 1280, "height": 800}
PHONE: Final = {"width": 390, "height": 844}


@dataclass(frozen=True)
class DemoSite:
    base_url: str
    settings: Settings
    #: The demo's label URIs by what they show: authentic, revoked, suspicious, suspended,
    #: certificate_suspended (as printed by ``khatem demo``).
    labels: dict[str, str]

    def local(self, uri: str) -> str:
        """The label URI as this server serves it (the QR's host is the registry's)."""
        return self.base_url + "/" + uri.split("/", 3)[3]


_SUMMARY_LINES: Final = {
    "authentic (Taznakht carpet)": "authentic",
    "revoked, stolen": "revoked",
    "suspicious, copied": "suspicious",
    "suspended label": "suspended",
    "certificate suspended": "certificate_suspended",
}


def _label_uris(summary: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in summary.splitlines():
        match = re.search(r"(HTTPS://\S+)", line)
        for prefix, name in _SUMMARY_LINES.items():
            if match and prefix in line:
                found[name] = match.group(1)
    assert set(found) == set(_SUMMARY_LINES.values()), summary
    return found


@pytest.fixture(scope="module")
def demo_site(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoSite]:
    from main import create_app

    folder = tmp_path_factory.mktemp("demo-site")
    database = folder / "khatem.db"
    shutil.copyfile(sqlite_template, database)
    database.chmod(0o600)
    url = f"sqlite:///{database}"
    settings = Settings(
        environment="test",
        database_url=url,
        data_dir=folder / "data",
        rate_limit_enabled=False,
    )
    with new_session(url) as session:
        summary = load_demo(session=session, settings=settings)
    prepare_registry(settings)
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the server did not start")
        threading.Event().wait(0.05)
    try:
        yield DemoSite(f"http://127.0.0.1:{port}", settings, _label_uris(summary))
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
        forget_registry(settings)
        engine_for(url).dispose()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    require(shutil.which("chromium") is not None, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        yield browser
        browser.close()


#: Violations that fail a page: these impacts (any rule), or any of these tags.
FAILING_IMPACTS: Final = frozenset({"serious", "critical"})
WCAG_TAGS: Final = frozenset({"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"})

#: axe-core's run, once its source is in the page: the violations, three nodes each.
RUN_AXE: Final = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, tags: v.tags, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary),
    }));
}"""


def failing(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations that break the bar: a serious or critical impact, or a WCAG 2.0/2.1
    A or AA tag (whatever the impact)."""
    return [v for v in violations if v["impact"] in FAILING_IMPACTS or WCAG_TAGS & set(v["tags"])]


def accessibility_failures(page: Any) -> list[dict[str, Any]]:
    """axe-core on the page as it stands. Evaluated through the DevTools protocol, which
    the page's Content-Security-Policy does not govern, so the page keeps its own policy
    (and a script it refuses still shows as a console error)."""
    page.evaluate(axe_source())
    return failing(page.evaluate(RUN_AXE))


def axe_source() -> str:
    require(AXE_JS.is_file(), "axe-core (npm ci --prefix tests/pages/axe)")
    return AXE_JS.read_text(encoding="utf-8")


def shot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """A screenshot under ``test-artifacts/screenshots/``: the full page, or what the screen
    shows (a full-page capture re-emulates the device, which drops a font size set through
    CDP: large-text pictures are taken of the screen)."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def serve_html(page: Any, url: str, html: str, lang: str) -> None:
    """Open ``url`` in ``page`` answered with ``html`` and the public pages' headers (for
    verdicts only offline data produces, rendered by the page code)."""
    from verify.pages.http import HTML_MEDIA_TYPE, page_headers

    headers = {**page_headers(lang), "Content-Type": HTML_MEDIA_TYPE}  # type: ignore[arg-type]

    def answer(route: Any) -> None:
        route.fulfill(status=200, headers=headers, body=html)

    page.route(url, answer)
    try:
        page.goto(url)
    finally:
        page.unroute(url)
