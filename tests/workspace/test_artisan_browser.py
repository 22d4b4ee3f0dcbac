"""An artisan downloads the badge PNG and the certificate PDF, in a real Chromium at a
phone's size, in French and in Arabic.

Sign in as the demo's Taznakht weaver, open the certificate from the home page, download
the PNG badge and the printable PDF (Chromium's own downloads). Each page may ask nothing
of another origin and log no console error, and axe-core finds no serious or critical
violation on it. Screenshots of the pages, of the badge and of the PDF's page (rendered
with pdftoppm) go to ``test-artifacts/screenshots/workspace-artisan-*.png``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from labeling.demo import DEMO_PASSWORD
from tests.pages.site import ARTIFACTS, DemoSite, shot
from tests.workspace.screen import Screen

ARTISAN = "tifaouine@demo.khatem.ma"
WORDS = {"fr": "Certificat à imprimer", "ar": "الشهادة للطباعة"}


def _keep(name: str, data: bytes) -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_an_artisan_downloads_the_badge_png_and_the_certificate_pdf(
    screen: Screen,
    demo_site: DemoSite,
    lang: str,
    tmp_path: Path,
) -> None:
    page, base = screen.page, demo_site.base_url
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#email", ARTISAN)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/workspace")
    page.goto(f"{base}/workspace?lang={lang}")
    screen.sound(lang)
    shot(page, f"workspace-artisan-home-{lang}")
    code = page.locator("main a[href^='/workspace/my/certificates/'] bdi").first.inner_text()
    assert code.startswith("C-")

    # The certificate page, from the home page's link.
    page.locator("main a[href^='/workspace/my/certificates/']").first.click()
    page.wait_for_load_state()
    assert WORDS[lang] in page.locator("main").inner_text()
    screen.sound(lang)
    shot(page, f"workspace-artisan-certificate-{lang}")

    # The badge as PNG, in the page's language.
    with page.expect_download() as badge_download:
        page.locator(f"a.badge-png[href$='badge={lang}']").click()
    badge = badge_download.value
    assert badge.suggested_filename == f"khatem-{code}-badge-{lang}.png"
    badge_bytes = Path(badge.path()).read_bytes()
    image = Image.open(io.BytesIO(badge_bytes))
    assert image.format == "PNG" and image.size[1] == 80
    _keep(f"workspace-artisan-badge-{lang}.png", badge_bytes)

    # The printable certificate: one A4 page whose QR opens the public page.
    with page.expect_download() as pdf_download:
        page.locator("#certificate-pdf").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename == f"khatem-{code}.pdf"
    pdf_path = tmp_path / "certificate.pdf"
    shutil.copyfile(pdf.path(), pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf_path), str(tmp_path / "page")],
        check=True,
    )
    rendered = (tmp_path / "page.png").read_bytes()
    _keep(f"workspace-artisan-certificate-pdf-{lang}.png", rendered)
    found = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(rendered)))]
    assert len(found) == 1 and found[0].endswith(f"/certificates/{code}")

    # The public page the QR opens, as a buyer sees it.
    page.goto(found[0].replace(found[0].split("/certificates/")[0], base) + f"?lang={lang}")
    assert code in page.locator("main").inner_text()

    assert not screen.errors, screen.errors
    assert not screen.foreign(), screen.foreign()
