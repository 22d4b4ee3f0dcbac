"""Downloading label artwork: one label's SVG and PNG, a batch's PDF sheet, and who may.

Every printed QR is read back with a real decoder (zxing-cpp) and must be the label's URI.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.artwork.raster import decode, rasterise_svg_qr
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef, queued_batch
from tests.labels.sheets import decoded_sheet
from tests.tools import require

BATCHES = "/api/v1/label-batches"
LABELS = "/api/v1/labels"
PROBLEM = "application/problem+json"


def _issue(client: TestClient, inspector: Actor, cert: CertificateRef, quantity: int) -> Any:
    response = client.post(
        BATCHES,
        json={
            "certificate_id": cert.id,
            "product_line_id": cert.product_line_id,
            "quantity": quantity,
        },
        headers=inspector.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _labels(client: TestClient, actor: Actor, batch_id: int) -> list[dict[str, Any]]:
    page = client.get(LABELS, params={"batch": batch_id, "limit": 200}, headers=actor.headers)
    return list(page.json()["items"])


@pytest.fixture
def batch(labels_client: TestClient, inspector: Actor, certificate: CertificateRef) -> Any:
    return _issue(labels_client, inspector, certificate, 3)


@pytest.fixture
def label(labels_client: TestClient, inspector: Actor, batch: Any) -> dict[str, Any]:
    return _labels(labels_client, inspector, batch["id"])[0]


def _paths(label: dict[str, Any], batch: Any) -> list[str]:
    return [
        f"{LABELS}/{label['id']}",
        f"{LABELS}/{label['id']}/artwork.svg",
        f"{LABELS}/{label['id']}/artwork.png?dpi=300",
        f"{BATCHES}/{batch['id']}/sheet.pdf",
    ]


def test_the_body_s_staff_and_the_artisan_download_its_labels(
    labels_client: TestClient,
    inspector: Actor,
    admin: Actor,
    artisan_user: Actor,
    label: dict[str, Any],
    batch: Any,
) -> None:
    types = ["application/json", "image/svg+xml", "image/png", "application/pdf"]
    for actor in (inspector, admin, artisan_user):
        for path, media_type in zip(_paths(label, batch), types, strict=True):
            response = labels_client.get(path, headers=actor.headers)
            assert response.status_code == 200, (actor.email, path, response.text)
            assert response.headers["content-type"].startswith(media_type)
    one = labels_client.get(f"{LABELS}/{label['id']}", headers=artisan_user.headers).json()
    assert one == label


def test_anyone_else_gets_the_answer_of_a_missing_id(
    labels_client: TestClient,
    other_admin: Actor,
    madmoun_inspector: Actor,
    other_artisan_user: Actor,
    label: dict[str, Any],
    batch: Any,
) -> None:
    """Another body's admin or inspector, another artisan: 404, the very problem a missing
    id gets (nothing says the label exists); nobody signed in: 401."""
    missing = [
        f"{LABELS}/999999",
        f"{LABELS}/999999/artwork.svg",
        f"{LABELS}/999999/artwork.png",
        f"{BATCHES}/999999/sheet.pdf",
    ]
    for actor in (other_admin, madmoun_inspector, other_artisan_user):
        for path, absent in zip(_paths(label, batch), missing, strict=True):
            foreign = labels_client.get(path, headers=actor.headers)
            nothing = labels_client.get(absent, headers=actor.headers)
            assert foreign.status_code == 404, (actor.email, path)
            assert foreign.headers["content-type"] == PROBLEM
            assert foreign.json() == nothing.json()
    for path in _paths(label, batch):
        anonymous = labels_client.get(path)
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == PROBLEM


def test_the_svg_decodes_back_to_the_label_s_uri(
    labels_client: TestClient, artisan_user: Actor, label: dict[str, Any]
) -> None:
    for error in ("m", "q"):
        response = labels_client.get(
            f"{LABELS}/{label['id']}/artwork.svg",
            params={"error": error, "width_mm": 70, "height_mm": 36},
            headers=artisan_user.headers,
        )
        assert response.status_code == 200, response.text
        svg = response.text
        assert 'width="70mm" height="36mm"' in svg
        assert decode(rasterise_svg_qr(svg)) == [label["uri"]]
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment; filename=")
        assert disposition.endswith(f'{label["serial"]}.svg"')


def test_the_png_decodes_back_to_the_label_s_uri(
    labels_client: TestClient, inspector: Actor, label: dict[str, Any]
) -> None:
    response = labels_client.get(
        f"{LABELS}/{label['id']}/artwork.png",
        params={"error": "q", "dpi": 300},
        headers=inspector.headers,
    )
    assert response.status_code == 200, response.text
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (756, 402)  # 64 × 34 mm at 300 dpi
        assert decode(image) == [label["uri"]]


def test_the_pdf_sheet_prints_every_label_of_the_batch_once(
    labels_client: TestClient, inspector: Actor, certificate: CertificateRef
) -> None:
    batch = _issue(labels_client, inspector, certificate, 25)
    uris = {item["uri"] for item in _labels(labels_client, inspector, batch["id"])}
    response = labels_client.get(f"{BATCHES}/{batch['id']}/sheet.pdf", headers=inspector.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="khatem-lot-{batch["id"]}-labels-1-25.pdf"'
    )
    assert "link" not in response.headers
    printed = decoded_sheet(response.content)
    assert len(printed) == 25 and set(printed) == uris


def test_a_large_batch_is_printed_in_parts_that_follow_each_other(
    labels_client: TestClient, artisan_user: Actor, inspector: Actor, certificate: CertificateRef
) -> None:
    """A sheet holds at most MAX_LABELS_PER_SHEET labels; ``Link: rel=next`` walks the parts
    (here 25 labels in sheets of 10, on a 2 × 5 grid of larger labels, level Q)."""
    batch = _issue(labels_client, inspector, certificate, 25)
    uris = {item["uri"] for item in _labels(labels_client, inspector, batch["id"])}
    path: str | None = (
        f"{BATCHES}/{batch['id']}/sheet.pdf?limit=10&columns=2&rows=5&width_mm=80&height_mm=40"
        "&error=q"
    )
    printed: list[str] = []
    names: list[str] = []
    while path is not None:
        response = labels_client.get(path, headers=artisan_user.headers)
        assert response.status_code == 200, response.text
        printed += decoded_sheet(response.content)
        names.append(response.headers["content-disposition"].split("labels-")[1])
        link = response.headers.get("link")
        path = link.split(">")[0].removeprefix("<") if link else None
    assert names == ['1-10.pdf"', '11-20.pdf"', '21-25.pdf"']
    assert len(printed) == 25 and set(printed) == uris


def test_a_real_pdf_renderer_reads_the_downloaded_sheet(
    labels_client: TestClient, inspector: Actor, batch: Any, tmp_path: Path
) -> None:
    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils)")
    response = labels_client.get(f"{BATCHES}/{batch['id']}/sheet.pdf", headers=inspector.headers)
    pdf_file = tmp_path / "sheet.pdf"
    pdf_file.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", str(pdf_file), str(tmp_path / "page")],
        check=True,
    )
    uris = {item["uri"] for item in _labels(labels_client, inspector, batch["id"])}
    with Image.open(tmp_path / "page-1.png") as page:
        assert set(decode(page)) == uris


@pytest.mark.parametrize(
    ("route", "params", "slug"),
    [
        ("svg", {"width_mm": 41.9}, "validation-error"),
        ("svg", {"height_mm": 100.5}, "validation-error"),
        ("svg", {"cut_margin_mm": -1}, "validation-error"),
        ("svg", {"width_mm": "nan"}, "validation-error"),
        ("svg", {"error": "h"}, "validation-error"),
        ("png", {"dpi": 1200}, "validation-error"),
        ("png", {"dpi": 299}, "validation-error"),
        ("svg", {"error": "q", "height_mm": 21}, "label-size-unprintable"),
        ("png", {"cut_margin_mm": 5, "height_mm": 25}, "label-size-unprintable"),
        ("pdf", {"limit": 10_001}, "validation-error"),
        ("pdf", {"limit": 0}, "validation-error"),
        ("pdf", {"offset": -1}, "validation-error"),
        ("pdf", {"offset": 100_000}, "validation-error"),
        ("pdf", {"columns": 0}, "validation-error"),
        ("pdf", {"rows": 21}, "validation-error"),
        ("pdf", {"column_gutter_mm": 20.5}, "validation-error"),
        ("pdf", {"columns": 4}, "sheet-layout-invalid"),
        ("pdf", {"rows": 9}, "sheet-layout-invalid"),
        ("pdf", {"margin_left_mm": 100}, "sheet-layout-invalid"),
        ("pdf", {"error": "q", "height_mm": 21}, "label-size-unprintable"),
        ("pdf", {"offset": 3}, "sheet-range-empty"),
    ],
)
def test_parameters_out_of_bounds_are_refused_as_problems(
    labels_client: TestClient,
    inspector: Actor,
    label: dict[str, Any],
    batch: Any,
    route: str,
    params: dict[str, Any],
    slug: str,
) -> None:
    path = {
        "svg": f"{LABELS}/{label['id']}/artwork.svg",
        "png": f"{LABELS}/{label['id']}/artwork.png",
        "pdf": f"{BATCHES}/{batch['id']}/sheet.pdf",
    }[route]
    response = labels_client.get(path, params=params, headers=inspector.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"].endswith("/" + slug)


@pytest.mark.parametrize("status", ["queued", "running", "failed"])
def test_a_batch_without_labels_yet_has_no_sheet(
    labels_client: TestClient,
    db_url: str,
    inspector: Actor,
    artisan_user: Actor,
    certificate: CertificateRef,
    status: str,
) -> None:
    """Its staff are told it is in progress (409); its artisan does not see it yet (404),
    as with the batch itself."""
    batch_id = queued_batch(db_url, certificate, inspector, 2_000, status=status)
    path = f"{BATCHES}/{batch_id}/sheet.pdf"
    staff = labels_client.get(path, headers=inspector.headers)
    assert staff.status_code == 409
    assert staff.headers["content-type"] == PROBLEM
    assert staff.json()["type"].endswith("/batch-in-progress")
    assert labels_client.get(path, headers=artisan_user.headers).status_code == 404
    assert labels_client.get(f"{BATCHES}/{batch_id}", headers=artisan_user.headers).status_code == (
        404
    )


def test_artwork_is_revalidated_without_being_drawn_again(
    labels_client: TestClient,
    inspector: Actor,
    artisan_user: Actor,
    label: dict[str, Any],
    batch: Any,
) -> None:
    """Private caching with an ETag per label and parameters; If-None-Match answers 304."""
    for path in _paths(label, batch)[1:]:
        first = labels_client.get(path, headers=artisan_user.headers)
        etag = first.headers["etag"]
        assert first.headers["cache-control"] == "private, max-age=3600"
        assert first.headers["x-content-type-options"] == "nosniff"
        again = labels_client.get(path, headers={**artisan_user.headers, "If-None-Match": etag})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
        # Staff get the same file, so the same validator.
        assert labels_client.get(path, headers=inspector.headers).headers["etag"] == etag
        separator = "&" if "?" in path else "?"
        other = labels_client.get(f"{path}{separator}error=q", headers=artisan_user.headers)
        assert other.headers["etag"] != etag
    svg = f"{LABELS}/{label['id']}/artwork.svg"
    first = labels_client.get(svg, headers=inspector.headers)
    assert first.content == labels_client.get(svg, headers=inspector.headers).content
