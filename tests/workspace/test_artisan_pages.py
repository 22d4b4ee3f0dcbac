"""The artisan's pages and files: my certificates with their printed code, the printable
PDF, the badge (PNG), the card's QR code; my profile, product lines and batches — and
nothing of another artisan's (404, as the API)."""

from __future__ import annotations

import io
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image

from tests.audits.helpers import issue_certificate
from tests.fixtures.actors import Actor
from tests.workspace.support import Browser, SessionMint, problem_of

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def certificate(client: TestClient, inspector: Actor, artisan: Actor) -> dict[str, Any]:
    return issue_certificate(client, inspector, artisan)


@pytest.fixture
def akhiam(client: TestClient, artisan_user: Actor, sessions: SessionMint) -> Browser:
    """The Akhiam cooperative's account, signed in."""
    return Browser(client, sessions(artisan_user))


def _files(certificate_id: int) -> list[str]:
    base = f"/workspace/my/certificates/{certificate_id}"
    return [
        base,
        f"{base}/certificate.pdf",
        f"{base}/badge.png?badge=ar",
        f"{base}/card-qr.png",
        f"{base}/card-qr.svg",
    ]


def _api_files(certificate_id: int) -> list[str]:
    base = f"/api/v1/certificates/{certificate_id}"
    return [
        f"{base}/certificate.pdf",
        f"{base}/badge.png?lang=ar",
        f"{base}/card-qr.png",
        f"{base}/card-qr.svg",
    ]


@SQLITE
def test_home_shows_my_certificate_with_its_printed_code(
    akhiam: Browser, certificate: dict[str, Any]
) -> None:
    home = akhiam.get("/workspace")
    assert home.status_code == 200
    text = unescape(home.text)
    assert certificate["code"].startswith("C-") and certificate["code"] in text
    assert f'href="/workspace/my/certificates/{certificate["id"]}"' in text
    assert f"/certificates/{certificate['code']}?lang=fr" in text  # my public page
    assert f"/certificates/{certificate['code']}/badge.svg" in text  # my badge
    assert 'href="/workspace/my/profile"' in text and 'href="/workspace/my/products"' in text
    page = unescape(akhiam.get(f"/workspace/my/certificates/{certificate['id']}?lang=ar").text)
    assert 'dir="rtl"' in page and "الشهادة للطباعة" in page
    for language in ("fr", "ar", "en"):
        assert f"badge.png?badge={language}" in page


@SQLITE
def test_profile_shows_my_private_details_and_products_my_lines(
    akhiam: Browser, certificate: dict[str, Any]
) -> None:
    profile = unescape(akhiam.get("/workspace/my/profile").text)
    assert "Coopérative Akhiam" in profile and "NIA-08-000123" in profile
    assert "CIN" in profile
    products = unescape(akhiam.get("/workspace/my/products").text)
    assert "Tapis Ouzguita noué main" in products and "06111234000019" in products


@SQLITE
def test_the_certificate_pdf_is_a4_bilingual_with_a_qr_to_the_public_page(
    akhiam: Browser, certificate: dict[str, Any], tmp_path: Path
) -> None:
    response = akhiam.get(f"/workspace/my/certificates/{certificate['id']}/certificate.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    assert "x 841.89 pts (A4)" in info.stdout
    words = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert certificate["code"] in words and "Certificat" in words
    assert "Coopérative Akhiam" in words
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    image = Image.open(tmp_path / "page.png")
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    assert found == [f"http://testserver/certificates/{certificate['code']}"] or (
        len(found) == 1 and found[0].endswith(f"/certificates/{certificate['code']}")
    )


@SQLITE
def test_badge_png_and_card_qr(akhiam: Browser, certificate: dict[str, Any]) -> None:
    for language in ("fr", "ar", "en"):
        badge = akhiam.get(
            f"/workspace/my/certificates/{certificate['id']}/badge.png?badge={language}"
        )
        assert badge.status_code == 200 and badge.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(badge.content))
        assert image.size[1] == 80 and image.size[0] > 200
    qr = akhiam.get(f"/workspace/my/certificates/{certificate['id']}/card-qr.png")
    found = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.content)))]
    assert len(found) == 1 and found[0].endswith(f"/certificates/{certificate['code']}")
    svg = akhiam.get(f"/workspace/my/certificates/{certificate['id']}/card-qr.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.content.startswith(b"<svg") and b"<script" not in svg.content


@SQLITE
def test_the_api_serves_the_same_files(
    client: TestClient, artisan_user: Actor, inspector: Actor, certificate: dict[str, Any]
) -> None:
    """To the artisan, and to its body's staff (who may print them for an artisan who has
    no account)."""
    for reader in (artisan_user, inspector):
        for url in _api_files(certificate["id"]):
            response = client.get(url, headers=reader.headers)
            assert response.status_code == 200, url
            assert "attachment" in response.headers["content-disposition"]


@SQLITE
def test_another_artisan_sees_nothing_of_my_certificate(
    client: TestClient,
    other_artisan_user: Actor,
    sessions: SessionMint,
    certificate: dict[str, Any],
) -> None:
    """Fatima's account asks for Akhiam's certificate, its PDF, badge and QR: 404, as for a
    certificate that does not exist, on the pages and on the API."""
    fatima = Browser(client, sessions(other_artisan_user))
    for url in _files(certificate["id"]) + _files(999_999):
        response = fatima.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
        assert problem_of(response.text) == "certificate-not-found"
    for url in _api_files(certificate["id"]):
        response = client.get(url, headers=other_artisan_user.headers)
        assert response.status_code == 404, url
        assert response.json()["type"].endswith("certificate-not-found")
    home = unescape(fatima.get("/workspace").text)
    assert certificate["code"] not in home and "Coopérative Akhiam" not in home
