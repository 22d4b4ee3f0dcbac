"""Steps of artisan_prints_certificate.feature: an artisan prints the certificate, takes its
badge and card QR code, through the workspace's links as a browser follows them."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image
from pytest_bdd import given, parsers, scenarios, then, when

from tests.audits.helpers import issue_certificate
from tests.fixtures.actors import Actor
from tests.workspace.support import Browser, SessionMint, problem_of

scenarios("artisan_prints_certificate.feature")


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


@dataclass
class Story:
    certificate: dict[str, Any]
    browser: Browser | None = None
    page: Any = None
    file: Any = None
    text: str = ""
    other: Browser | None = None


@pytest.fixture
def story(client: TestClient, inspector: Actor, artisan: Actor) -> Story:
    return Story(certificate=issue_certificate(client, inspector, artisan))


def _link(html: str, pattern: str) -> str:
    found = re.search(rf'href="({pattern})"', html)
    assert found, f"no link {pattern}"
    return unescape(found.group(1))


@given("the cooperative Akhiam holds an active carpet certificate")
def _certified(story: Story) -> None:
    assert story.certificate["status"] == "active"


@given(parsers.parse('its president is signed in to the workspace in "{lang}"'))
def _signed_in(
    story: Story, client: TestClient, artisan_user: Actor, sessions: SessionMint, lang: str
) -> None:
    story.browser = Browser(client, sessions(artisan_user))
    assert story.browser.get(f"/workspace?lang={lang}").status_code == 200


@given("Fatima, an artisan of the same chambre, is signed in")
def _fatima(
    story: Story, client: TestClient, other_artisan_user: Actor, sessions: SessionMint
) -> None:
    # The same test client: from here on it carries Fatima's session cookie.
    story.other = Browser(client, sessions(other_artisan_user))


@when("she opens her certificate from her home page")
def _open(story: Story) -> None:
    assert story.browser is not None
    home = story.browser.get("/workspace")
    story.page = story.browser.get(_link(home.text, r"/workspace/my/certificates/\d+"))
    assert story.page.status_code == 200


@then(parsers.parse('she sees the certificate\'s code, which starts with "{prefix}"'))
def _code(story: Story, prefix: str) -> None:
    code = story.certificate["code"]
    assert code.startswith(prefix) and code in story.page.text


@when("she downloads the printable certificate")
def _pdf(story: Story, tmp_path: Path) -> None:
    assert story.browser is not None
    story.file = story.browser.get(_link(story.page.text, r"[^\"]*/certificate\.pdf"))
    assert story.file.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(story.file.content)
    story.text = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    story.text += subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    story.file = Image.open(tmp_path / "page.png")


@then("it is one A4 page in French and Arabic")
def _a4(story: Story) -> None:
    assert "Pages:           1" in story.text and "(A4)" in story.text
    assert "Certificat" in story.text and "Décerné à" in story.text
    assert re.search(r"[\u0600-\u06ff]", story.text)  # Arabic text is there, extractable


@then("it names the cooperative in both scripts")
def _names(story: Story) -> None:
    assert "Coopérative Akhiam" in story.text
    assert "تعاونية" in story.text  # تعاونية أخيام, extracted from the shaped glyphs


@then("its QR code opens the certificate's public page")
def _qr(story: Story, client: TestClient) -> None:
    found = [result.text for result in zxingcpp.read_barcodes(story.file)]
    assert len(found) == 1
    assert found[0].endswith(f"/certificates/{story.certificate['code']}")
    path = "/" + found[0].split("/", 3)[3]
    public = client.get(path, headers={"accept": "text/html"})
    assert public.status_code == 200 and story.certificate["code"] in public.text


@when(parsers.parse('she downloads the badge as PNG in "{lang}"'))
def _badge(story: Story, lang: str) -> None:
    assert story.browser is not None
    story.file = story.browser.get(_link(story.page.text, rf"[^\"]*/badge\.png\?badge={lang}"))


@then("she gets a PNG image of the badge")
def _badge_png(story: Story) -> None:
    assert story.file.status_code == 200 and story.file.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(story.file.content))
    assert image.format == "PNG" and image.size[1] == 80


@when("she downloads the QR code for her card")
def _card(story: Story) -> None:
    assert story.browser is not None
    response = story.browser.get(_link(story.page.text, r"[^\"]*/card-qr\.png"))
    assert response.status_code == 200
    story.file = Image.open(io.BytesIO(response.content))


@then(parsers.parse('the page is written right to left and offers "{words}"'))
def _rtl(story: Story, words: str) -> None:
    assert 'dir="rtl"' in story.page.text and words in unescape(story.page.text)


@when("Fatima asks for the cooperative's printable certificate")
def _fatima_asks(story: Story) -> None:
    assert story.other is not None
    story.page = story.other.get(
        f"/workspace/my/certificates/{story.certificate['id']}/certificate.pdf"
    )


@then("Fatima is told that the certificate is not found")
def _not_found(story: Story) -> None:
    assert story.page.status_code == 404
    assert problem_of(story.page.text) == "certificate-not-found"
