"""Labels to report, reports sent through the API, photos made in memory."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.retailers.fixtures import issue_labels

__all__ = ["ReportedLabel", "carpet", "jpeg_bytes", "report_body", "send_report"]


@dataclass(frozen=True)
class ReportedLabel:
    id: int
    gtin: str
    serial: str
    uri: str


def jpeg_bytes(size: tuple[int, int] = (800, 600), *, exif: bytes | None = None) -> bytes:
    image = Image.new("RGB", size, (180, 40, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif or b"")
    return out.getvalue()


def report_body(label: ReportedLabel, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "gtin": label.gtin,
        "serial": label.serial,
        "item": "A blue wool carpet, about 2 x 3 m",
        "shop_name": "Bazar Atlas",
        "city": "Marrakech",
        "country": "MA",
        "bought_on": "2026-11-30",
    }
    body.update(extra)
    return body


def send_report(client: TestClient, label: ReportedLabel, **extra: Any) -> Any:
    if isinstance(extra.get("photo"), bytes):
        extra["photo"] = base64.b64encode(extra["photo"]).decode()
    return client.post("/api/v1/reports", json=report_body(label, **extra))


@pytest.fixture
def carpet(verify_client: TestClient, admin: Actor, certificate: CertificateRef) -> ReportedLabel:
    """One carpet label of the Akhiam cooperative (certified by the ``chambre`` body)."""
    row = issue_labels(verify_client, admin, certificate, 1)[0]
    return ReportedLabel(int(row["id"]), str(row["gtin"]), str(row["serial"]), str(row["uri"]))
