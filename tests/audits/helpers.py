"""Plain helpers the audit and certificate tests share: request bodies, API calls, rows.

Not step definitions and not fixtures: each test module keeps its own steps and fixtures,
and calls these to avoid repeating the shape of an audit.
"""

from __future__ import annotations

import json
import zlib
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from core import calendar
from schemas.registry import Artisan, ProductLine
from tests.fixtures.actors import Actor

# The smallest files whose magic bytes the registry accepts.
PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n"
    + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    + zlib.crc32(b"IHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00").to_bytes(4, "big")
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WEBP_BYTES = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11"


def days_ago(days: int) -> date:
    return calendar.registry_today() - timedelta(days=days)


def carpet_findings(
    knots: float, *, hand_knotted: bool = True, defect_free: bool = True
) -> list[dict[str, Any]]:
    return [
        {"criterion": "knot_density", "measured_value": knots, "unit": "knots/m2"},
        {"criterion": "hand_knotted", "observed": hand_knotted},
        {"criterion": "no_redhibitory_defects", "observed": defect_free},
    ]


def madmoun_findings(
    lead: float, cadmium: float = 0.01, *, declaration: bool = True
) -> list[dict[str, Any]]:
    return [
        {"criterion": "lead_release", "measured_value": lead, "unit": "mg/dm2"},
        {"criterion": "cadmium_release", "measured_value": cadmium, "unit": "mg/dm2"},
        {"criterion": "food_contact_declaration", "observed": declaration},
    ]


def audit_body(
    workshop: Actor,
    *,
    scheme: str = "TAPIS-SUPERIEURE",
    findings: list[Any] | None = None,
    audit_date: date | None = None,
    evidence: list[dict[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "artisan_id": workshop.artisan_id,
        "scheme": scheme,
        "product_line_ids": [workshop.extra["product_line_id"]],
        "audit_date": (audit_date or days_ago(3)).isoformat(),
        "findings": findings if findings is not None else carpet_findings(96_000),
        "evidence": evidence or [],
    }
    body.update(extra)
    return body


def submit_audit(client: TestClient, auditor: Actor, body: dict[str, Any]) -> httpx.Response:
    return client.post("/api/v1/audits", json=body, headers=auditor.headers)


def record_audit(
    client: TestClient, auditor: Actor, workshop: Actor, **kwargs: Any
) -> dict[str, Any]:
    """Submit an audit that must be accepted; returns the audit document."""
    response = submit_audit(client, auditor, audit_body(workshop, **kwargs))
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def certify(client: TestClient, actor: Actor, audit_id: int, **extra: Any) -> httpx.Response:
    return client.post(
        "/api/v1/certificates", json={"audit_id": audit_id, **extra}, headers=actor.headers
    )


def issue_certificate(
    client: TestClient, inspector: Actor, workshop: Actor, **audit: Any
) -> dict[str, Any]:
    """A passing carpet audit and the certificate issued from it."""
    recorded = record_audit(client, inspector, workshop, **audit)
    response = certify(client, inspector, recorded["id"])
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def upload(
    client: TestClient,
    actor: Actor,
    data: bytes,
    *,
    filename: str = "rapport.pdf",
    content_type: str = "application/pdf",
) -> httpx.Response:
    return client.post(
        "/api/v1/evidence",
        files={"file": (filename, data, content_type)},
        headers=actor.headers,
    )


def problem_slug(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/problem+json", response.text
    slug: str = response.json()["type"].rsplit("/", 1)[-1]
    return slug


def count(session: Session, table: str, *, end_transaction: bool = True) -> int:
    """Rows in a table. By default the read transaction is ended at once: on SQLite every
    transaction begins IMMEDIATE, so a test session left open would block the app's writes.
    Pass ``end_transaction=False`` to count inside someone else's transaction."""
    rows = int(session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
    if end_transaction:
        session.rollback()
    return rows


def log_events(session: Session, event_type: str) -> list[dict[str, Any]]:
    """Payloads of the transparency-log leaves of one type, oldest first."""
    rows = session.execute(
        text("SELECT payload FROM log_entry WHERE event_type = :t ORDER BY leaf_index"),
        {"t": event_type},
    )
    payloads = [json.loads(payload) for (payload,) in rows]
    session.rollback()
    return payloads


def register_workshop(
    session: Session,
    *,
    body_id: int,
    nia: str,
    public_id: str,
    latin: str,
    region: str,
    filiere: str,
    metier: str,
    city: str,
    product: tuple[str, str],
) -> Actor:
    """An artisan row with one product line, straight in the database (no account)."""
    from schemas.types import Role

    row = Artisan(
        public_id=public_id,
        nia=nia,
        kind="artisan",
        display_name_latin=latin,
        display_name_arabic="حرفي",
        region_code=region,
        filiere_code=filiere,
        metier=metier,
        city=city,
        body_id=body_id,
        national_id="CIN-X12345",
        phone="+212611111111",
        address="Rue 1, " + city,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    family, name = product
    line = ProductLine(
        artisan_id=row.id, family=family, name=name, materials=["argile"], gtin_source="registry"
    )
    session.add(line)
    session.commit()
    assert line.id is not None
    return Actor(
        id=0,
        email="",
        role=Role.ARTISAN,
        token="",
        body_id=body_id,
        artisan_id=row.id,
        extra={"product_line_id": line.id},
    )


def add_product_line(session: Session, workshop: Actor, name: str) -> int:
    assert workshop.artisan_id is not None
    line = ProductLine(
        artisan_id=workshop.artisan_id,
        family="tapis",
        name=name,
        materials=["laine"],
        gtin_source="registry",
    )
    session.add(line)
    session.commit()
    assert line.id is not None
    return line.id


def artisan_row(session: Session, artisan_id: int) -> Artisan:
    return session.exec(select(Artisan).where(Artisan.id == artisan_id)).one()
