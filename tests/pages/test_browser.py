"""The public pages in a real headless Chromium, at a phone's size, in all four languages.

A live uvicorn server (started here, on a free port of 127.0.0.1) serves a SQLite registry
with a certified cooperative and its labels; Debian's ``chromium`` opens the pages as a
buyer's phone would. The tests assert what a person sees — the verdict's words in the
page's language, the document's direction, the names in their own scripts, no sideways
scrolling — and that the page asks nothing of any other origin and breaks no rule of its
Content-Security-Policy. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from labeling.verification.service import forget_registry
from schemas.keys import SigningKey
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.tools import require
from tests.verification.fixtures import issue
from verify.label_codec import format_certificate_code

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
VERDICT_WORDS = {"fr": "Authentique", "en": "Authentic", "es": "Auténtico", "ar": "أصلي"}
ACTIVE_WORDS = {"fr": "En vigueur", "en": "Active", "es": "En vigor", "ar": "سارية"}
LATIN, ARABIC = "Coopérative Akhiam", "تعاونية أخيام"
OK_BACKGROUND = "rgb(227, 243, 231)"  # --ok-bg: the stylesheet applied, CSP or not

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@dataclass
class LiveServer:
    base_url: str
    server: uvicorn.Server
    thread: threading.Thread


@pytest.fixture
def live_server(labels_app: FastAPI, label_key: SigningKey) -> Iterator[LiveServer]:
    """The app on a real socket, served by uvicorn in a thread until the test ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(labels_app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the server did not start")
        threading.Event().wait(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", server, thread)
    server.should_exit = True
    thread.join()
    sock.close()
    forget_registry(labels_app.state.settings)


@pytest.fixture
def browser() -> Iterator[Any]:
    require(shutil.which("chromium") is not None, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        yield instance
        instance.close()


@dataclass
class Phone:
    """A phone-sized browser page that records every request and every console error."""

    page: Any
    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith((self.origin + "/", "data:"))]

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def document(self) -> dict[str, Any]:
        result: dict[str, Any] = self.page.evaluate(
            """() => ({
                lang: document.documentElement.lang,
                dir: document.documentElement.dir,
                direction: getComputedStyle(document.body).direction,
                overflow: document.documentElement.scrollWidth - window.innerWidth,
            })"""
        )
        return result

    def text(self, selector: str) -> str:
        return str(self.page.locator(selector).first.inner_text()).strip()

    def style(self, selector: str, prop: str) -> str:
        return str(
            self.page.locator(selector).first.evaluate(
                f"el => getComputedStyle(el).getPropertyValue({prop!r})"
            )
        )


@pytest.fixture
def phone(browser: Any, live_server: LiveServer) -> Iterator[Phone]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    phone = Phone(page=page, origin=live_server.base_url)
    page.on("request", lambda request: phone.requests.append(request.url))
    page.on(
        "console",
        lambda message: phone.errors.append(message.text) if message.type == "error" else None,
    )
    yield phone
    context.close()


def _local(uri: str, base_url: str) -> str:
    """The label URI as this test server serves it (the QR's host is the registry's)."""
    return base_url + "/" + uri.split("/", 3)[3]


def _assert_sound(phone: Phone, lang: str) -> None:
    document = phone.document()
    rtl = lang == "ar"
    assert document["lang"] == lang
    assert document["dir"] == ("rtl" if rtl else "ltr")
    assert document["direction"] == ("rtl" if rtl else "ltr")
    assert document["overflow"] <= 0, "the page scrolls sideways on a phone"
    assert phone.foreign_requests() == []
    assert [e for e in phone.errors if "Content Security Policy" in e] == []


@pytest.mark.parametrize("lang", ["fr", "en", "es", "ar"])
def test_a_buyer_reads_the_verdict_on_a_phone(
    phone: Phone,
    live_server: LiveServer,
    inspector: Actor,
    certificate: CertificateRef,
    lang: str,
) -> None:
    with httpx.Client(base_url=live_server.base_url) as api:
        [uri] = issue(api, inspector, certificate, 1)  # type: ignore[arg-type]
    phone.open(_local(uri, live_server.base_url) + f"&lang={lang}")
    _assert_sound(phone, lang)
    word = phone.text("#verdict-word")
    assert word.casefold() == VERDICT_WORDS[lang].casefold()
    assert phone.page.locator(".verdict svg").first.is_visible()  # an icon, not colour alone
    assert phone.style(".verdict", "background-color") == OK_BACKGROUND
    assert phone.text(".names .latin") == LATIN
    assert phone.text(".names .arabic") == ARABIC
    assert phone.style(".names .arabic", "direction") == "rtl"
    assert phone.style(".names .latin", "direction") == "ltr"
    assert phone.page.locator("[data-check]").count() >= 6
    phone.shot(f"label-{lang}")


@pytest.mark.parametrize("lang", ["fr", "en", "es", "ar"])
def test_an_artisan_s_certificate_page_and_badge_on_a_phone(
    phone: Phone, live_server: LiveServer, certificate: CertificateRef, lang: str
) -> None:
    code = format_certificate_code(certificate.code)
    phone.open(f"{live_server.base_url}/certificates/{code}?lang={lang}")
    _assert_sound(phone, lang)
    assert phone.text("#status-word").casefold() == ACTIVE_WORDS[lang].casefold()
    assert phone.text(".names .arabic") == ARABIC
    badge = phone.page.locator("img[src*='badge.svg']")
    assert badge.evaluate("img => img.complete && img.naturalWidth > 0")  # it loaded
    phone.shot(f"certificate-{lang}")


def test_the_language_switcher_keeps_the_page(
    phone: Phone, live_server: LiveServer, certificate: CertificateRef
) -> None:
    code = format_certificate_code(certificate.code)
    phone.open(f"{live_server.base_url}/certificates/{code}")
    phone.page.locator("nav.langs a[hreflang='ar']").click()
    phone.page.wait_for_load_state()
    assert phone.document()["dir"] == "rtl"
    assert phone.page.url.startswith(f"{live_server.base_url}/certificates/{code}?")
    assert phone.text("#status-word") == ACTIVE_WORDS["ar"]


def test_a_clerk_uploads_scans_and_reads_the_table(
    phone: Phone,
    live_server: LiveServer,
    inspector: Actor,
    certificate: CertificateRef,
    tmp_path: Path,
) -> None:
    with httpx.Client(base_url=live_server.base_url) as api:
        uris = issue(api, inspector, certificate, 5)  # type: ignore[arg-type]
    scans = tmp_path / "scans.csv"
    scans.write_text("url\n" + "\n".join(uris) + "\nHTTPS://KHATEM.MA/01/123\n", encoding="utf-8")
    phone.open(f"{live_server.base_url}/verify/bulk?lang=es")
    phone.page.set_input_files("#file", str(scans))
    phone.page.locator("button[value='html']").click()
    phone.page.wait_for_load_state()
    _assert_sound(phone, "es")
    assert phone.page.locator("tr[data-verdict='AUTHENTIC']").count() == 5
    assert phone.page.locator("tr[data-verdict='INVALID']").count() == 1
    assert phone.text("#results") == "6 etiquetas verificadas"
    phone.shot("bulk-es")
    # The same form's second button downloads the results as CSV.
    phone.open(f"{live_server.base_url}/verify/bulk?lang=es")
    phone.page.set_input_files("#file", str(scans))
    with phone.page.expect_download() as download:
        phone.page.locator("button[value='csv']").click()
    saved = tmp_path / "results.csv"
    download.value.save_as(str(saved))
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    # The clerk's own columns come back first (their file had one, "url"), then the verdict.
    assert lines[0].startswith("url,row,url,verdict") and len(lines) == 7


def test_the_home_page_takes_a_pasted_label(
    phone: Phone, live_server: LiveServer, inspector: Actor, certificate: CertificateRef
) -> None:
    with httpx.Client(base_url=live_server.base_url) as api:
        [uri] = issue(api, inspector, certificate, 1)  # type: ignore[arg-type]
    phone.open(f"{live_server.base_url}/?lang=en")
    _assert_sound(phone, "en")
    phone.shot("home-en")
    phone.page.fill("#url", uri)
    phone.page.locator("form button").click()
    phone.page.wait_for_load_state()
    assert phone.text("#verdict-word").casefold() == "authentic"
    assert "/01/" in phone.page.url


def test_a_buyer_sees_a_suspension_and_its_reason(
    phone: Phone,
    live_server: LiveServer,
    inspector: Actor,
    admin: Actor,
    certificate: CertificateRef,
) -> None:
    with httpx.Client(base_url=live_server.base_url) as api:
        [uri] = issue(api, inspector, certificate, 1)  # type: ignore[arg-type]
        suspended = api.post(
            f"/api/v1/certificates/{certificate.id}/suspend",
            json={"reason_code": "surveillance_nonconformity"},
            headers=admin.headers,
        )
        assert suspended.status_code == 200, suspended.text
    phone.open(_local(uri, live_server.base_url) + "&lang=fr")
    _assert_sound(phone, "fr")
    assert phone.text("#verdict-word").casefold() == "suspendu"
    assert phone.style(".verdict", "background-color") != OK_BACKGROUND
    failed = phone.page.locator("[data-check='certificate_status']")
    assert "non-conformité relevée lors d'un contrôle" in failed.inner_text()
    phone.shot("label-suspended-fr")


def test_a_buyer_sees_that_an_altered_label_is_invalid(
    phone: Phone, live_server: LiveServer, inspector: Actor, certificate: CertificateRef
) -> None:
    with httpx.Client(base_url=live_server.base_url) as api:
        [uri] = issue(api, inspector, certificate, 1)  # type: ignore[arg-type]
    path, query = _local(uri, live_server.base_url).split("?", 1)
    serial = path.rsplit("/", 1)[1]
    altered = serial[:-1] + ("0" if serial[-1] != "0" else "1")
    phone.open(path[: -len(serial)] + altered + "?" + query + "&lang=ar")
    _assert_sound(phone, "ar")
    assert phone.text("#verdict-word") == "غير صالح"
    assert phone.page.locator(".names").count() == 0  # no artisan is vouched for
    phone.shot("label-invalid-ar")
