"""Step definitions of ``item_description.feature``: the real app, on SQLite and PostgreSQL;
the inspector and the artisan use the API, the buyer a browser's requests, the customs
officer the offline verifier over a synced cache directory."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from PIL import Image
from pytest_bdd import given, parsers, scenarios, then, when

import labeling.snapshots.publication as publication
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue
from verify.cli import sync_cache
from verify.offline import OfflineSource
from verify.terminal import render
from verify.verdict import Verdict
from verify.verifier import verify_label

scenarios("item_description.feature")

BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"
ACCEPT_LANGUAGE = {"English": "en-GB,en;q=0.9", "French": "fr-FR,fr;q=0.9", "Arabic": "ar-MA"}
CARPET = {
    "name": "Beni Ouarain carpet",
    "craft": "hand-knotted",
    "materials": ["wool"],
    "size": {"width_mm": 2000, "length_mm": 3000},
}


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


def _path(uri: str) -> str:
    return "/" + uri.split("/", 3)[3]


def _text(page: Response) -> str:
    """The page's words, as a reader sees them (tags dropped, white space folded)."""
    body = re.sub(r"<[^>]+>", "", page.text)
    return re.sub(r"\s+", " ", html.unescape(body))


def _phone_photo() -> bytes:
    """A JPEG as a phone takes it: its camera and the place it was taken in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone X Pro"
    exif[0x8825] = {1: "N", 2: (30.0, 55.0, 12.0), 3: "W", 4: (7.0, 27.0, 3.0)}
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (170, 40, 40)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


## Given


@given(
    "the inspector describes the carpet line as a hand-knotted Beni Ouarain carpet of wool, "
    "200 by 300 cm"
)
def carpet_described(verify_client: TestClient, inspector: Actor, cert: CertificateRef) -> None:
    response = verify_client.put(
        f"/api/v1/product-lines/{cert.product_line_id}/description",
        json=CARPET,
        headers=inspector.headers,
    )
    assert response.status_code == 200, response.text


@given("a carpet of the cooperative carries a Khatem label", target_fixture="label")
def one_label(verify_client: TestClient, inspector: Actor, cert: CertificateRef) -> str:
    [uri] = issue(verify_client, inspector, cert, 1)
    return uri


@given("the label is peeled off and stuck on a small pottery tagine", target_fixture="in_hand")
def moved_to_a_tagine() -> dict[str, str]:
    return {"name": "tagine", "size": "30 cm"}


@given("the artisan adds a photo of the carpet taken with a phone that records its position")
def artisan_adds_photo(
    verify_client: TestClient, artisan_user: Actor, cert: CertificateRef
) -> None:
    response = verify_client.post(
        f"/api/v1/product-lines/{cert.product_line_id}/photos",
        files={"file": ("IMG_0042.jpg", _phone_photo(), "image/jpeg")},
        headers=artisan_user.headers,
    )
    assert response.status_code == 201, response.text


## When


@given(
    parsers.parse("a buyer whose phone speaks {language} scans the label"), target_fixture="page"
)
@when(parsers.parse("a buyer whose phone speaks {language} scans the label"), target_fixture="page")
def buyer_scans(verify_client: TestClient, label: str, language: str) -> Response:
    response = verify_client.get(
        _path(label), headers={"Accept": BROWSER, "Accept-Language": ACCEPT_LANGUAGE[language]}
    )
    assert response.status_code == 200, response.text
    return response


@when("a customs officer checks the label offline with python -m verify", target_fixture="verdict")
def officer_checks_offline(
    verify_client: TestClient,
    label: str,
    tmp_path: Path,
    root_vkey: str,
    snapshots_reset: None,
    monkeypatch: pytest.MonkeyPatch,
) -> Verdict:
    # Snapshots signed a minute on: data made in the label's own minute cannot vouch for it.
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)
    monkeypatch.setattr(publication, "utcnow", lambda: at)
    device = tmp_path / "khatem-verify"
    sync_cache(
        client=verify_client, registry="http://testserver", directory=device, root_key=root_vkey
    )
    return verify_label(label, OfflineSource.from_directory(device), now=at)


@given("a retailer's system scans it too")
def retailer_scans(verify_client: TestClient, label: str) -> None:
    verdict = verify_client.get(_path(label), headers={"Accept": "application/json"}).json()
    assert verdict["item"]["size"]["width_mm"] == 2000


@then("the retailer's system reads 2500 by 3500 mm on its next scan")
def retailer_reads_correction(verify_client: TestClient, label: str) -> None:
    verdict = verify_client.get(_path(label), headers={"Accept": "application/json"}).json()
    assert (verdict["item"]["size"]["width_mm"], verdict["item"]["size"]["length_mm"]) == (
        2500,
        3500,
    )


@when("the inspector corrects the carpet's size to 250 by 350 cm")
def size_corrected(verify_client: TestClient, inspector: Actor, cert: CertificateRef) -> None:
    corrected = {**CARPET, "size": {"width_mm": 2500, "length_mm": 3500}}
    response = verify_client.put(
        f"/api/v1/product-lines/{cert.product_line_id}/description",
        json=corrected,
        headers=inspector.headers,
    )
    assert response.status_code == 200, response.text


## Then


@then(parsers.parse('the page says "{sentence}"'))
def page_says(page: Response, sentence: str) -> None:
    assert sentence in _text(page)


@then("a retailer's system reads the same item in the JSON verdict")
def json_has_item(verify_client: TestClient, label: str) -> None:
    verdict = verify_client.get(_path(label), headers={"Accept": "application/json"}).json()
    assert verdict["verdict"] == "AUTHENTIC"
    item = verdict["item"]
    assert item["name"] == "Beni Ouarain carpet" and item["craft"] == "hand-knotted"
    assert item["materials"] == ["wool"] and item["family"] == "tapis"
    assert item["size"] == {"class": None, "width_mm": 2000, "length_mm": 3000, "height_mm": None}
    assert item["photos"] == []


@then(
    'the page is still "Authentique" but describes a carpet of 200 × 300 cm, '
    "not the tagine in the buyer's hands"
)
def describes_the_carpet(page: Response, in_hand: dict[str, str]) -> None:
    words = _text(page)
    assert "Authentique" in words
    assert (
        "Cette étiquette appartient à : Beni Ouarain carpet, hand-knotted, wool, 200 × 300 cm"
        in words
    )
    assert in_hand["name"] not in words.lower() and in_hand["size"] not in words


@then("the page tells the buyer not to rely on the verdict if the item does not match")
def warns_of_a_mismatch(page: Response) -> None:
    assert "Si l'objet ne correspond pas, l'étiquette a peut-être été déplacée ou copiée" in _text(
        page
    )


@then("the page shows the photo's thumbnail, described by the item's name", target_fixture="photo")
def shows_thumbnail(page: Response) -> dict[str, str]:
    assert 'lang="ar"' in page.text and 'dir="rtl"' in page.text
    found = re.search(r'<a href="([^"]+)"><img src="([^"]+)" alt="([^"]+)"', page.text)
    assert found is not None, "no photo on the page"
    full, thumb, alt = found.groups()
    assert html.unescape(alt) == "الصورة 1: Beni Ouarain carpet"
    assert thumb.endswith("/thumb.webp") and full.endswith("/full.webp")
    return {"full": full, "thumb": thumb}


@then("the photo the registry serves carries no position and no camera data")
def photo_is_clean(verify_client: TestClient, photo: dict[str, str]) -> None:
    for url in photo.values():
        served = verify_client.get(url)
        assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
        assert b"PhoneMaker" not in served.content and b"Phone X Pro" not in served.content
        image = Image.open(io.BytesIO(served.content))
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
        assert max(image.size) <= 1200


@then("the offline verdict describes the same Beni Ouarain carpet of 200 × 300 cm, without photos")
def offline_item(verdict: Verdict) -> None:
    assert verdict.mode == "offline" and verdict.verdict.value == "AUTHENTIC", verdict
    assert verdict.item is not None
    assert verdict.item.name == "Beni Ouarain carpet" and verdict.item.photos == ()
    shown: Any = render(verdict.model_dump(mode="json"))
    assert "item         Beni Ouarain carpet, hand-knotted, wool, 200 × 300 cm" in shown
    assert "check that it matches the item in front of you" in shown
