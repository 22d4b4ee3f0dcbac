"""``khatem demo`` builds a realistic registry once, through the same rules as the API."""

from __future__ import annotations

import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from core.settings import Settings
from labeling.demo import ALREADY_LOADED, DEMO_CERTIFICATION_BODY, DEMO_PASSWORD, load_demo
from labeling.labels.demo_labels import LABELS_PER_CERTIFICATE
from schemas.audits import Audit
from schemas.certificates import Certificate
from schemas.keys import SigningKey
from schemas.labels import Label
from schemas.registry import Artisan, Body, ProductLine
from tests.registry.forms import bearer, count_rows
from verify.gtin import is_registry_gtin, is_valid_gtin
from verify.label_codec import parse_label_uri, verify_label_signature


def test_the_demo_loads_once_and_says_so_the_second_time(
    client: TestClient, session: Session
) -> None:
    summary = load_demo(session=session)

    assert DEMO_PASSWORD in summary and "placeholder" in summary
    assert count_rows(session, Artisan) == 10
    assert load_demo(session=session) == ALREADY_LOADED
    assert count_rows(session, Artisan) == 10


def test_the_demo_registry_is_realistic(client: TestClient, session: Session) -> None:
    load_demo(session=session)

    body = session.exec(select(Body).where(Body.code == DEMO_CERTIFICATION_BODY)).one()
    assert body.kind == "certification_body" and body.is_assumption
    artisans = session.exec(select(Artisan)).all()
    assert len({artisan.region_code for artisan in artisans}) >= 5
    assert {"Taznakht", "Boujaad", "Safi", "Fès", "Marrakech", "Tiznit"} <= {
        artisan.city for artisan in artisans
    }
    assert {artisan.kind for artisan in artisans} == {
        "artisan",
        "maalem",
        "cooperative",
        "entreprise",
    }
    lines = session.exec(select(ProductLine)).all()
    assert all(line.gtin and is_valid_gtin(line.gtin) for line in lines)
    assert any(line.gtin and line.gtin.startswith("0611") for line in lines)
    assert any(line.gtin and is_registry_gtin(line.gtin) for line in lines)
    outcomes = sorted(audit.outcome for audit in session.exec(select(Audit)))
    assert outcomes.count("fail") == 1 and len(outcomes) == 4
    statuses = sorted(cert.status for cert in session.exec(select(Certificate)))
    assert statuses == ["active", "active", "suspended"]
    session.rollback()


def test_the_demo_accounts_log_in_with_the_printed_password(
    client: TestClient, session: Session
) -> None:
    load_demo(session=session)

    admin = bearer(client, "admin.draa-tafilalet@demo.khatem.ma", DEMO_PASSWORD)
    listing = client.get("/api/v1/artisans", headers=admin).json()
    assert {item["city"] for item in listing["items"]} == {"Taznakht", "Tamegroute"}
    artisan = bearer(client, "tifaouine@demo.khatem.ma", DEMO_PASSWORD)
    me = client.get("/api/v1/artisans/me", headers=artisan).json()
    assert me["display_name_latin"] == "Coopérative Tifaouine" and me["phone"]


def test_the_demo_with_keys_issues_labels_to_verify(
    client: TestClient, session: Session, settings: Settings
) -> None:
    """With the settings (``khatem demo``, ``serve --demo``) the demo signs labels with the
    registered label key: authentic, revoked, suspended, copied (SUSPICIOUS), and under a
    suspended certificate."""
    summary = load_demo(session=session, settings=settings)

    uris = re.findall(r"HTTPS://\S+", summary)
    assert len(uris) == 5 and "revoked" in summary and "suspended" in summary
    [copied] = re.findall(r"suspicious, copied \(Taznakht\):\s+(HTTPS://\S+)", summary)
    verdict = client.get("/api/v1/verify", params={"label": copied}).json()
    assert verdict["verdict"] == "SUSPICIOUS"
    assert "scanned_in_many_countries" in verdict["reasons"]
    labels = session.exec(select(Label)).all()
    assert len(labels) == 3 * LABELS_PER_CERTIFICATE
    assert sorted(label.status for label in labels).count("active") == len(labels) - 2
    assert {label.status_reason for label in labels} >= {"lost_or_stolen", "inspection_hold"}
    key = session.exec(select(SigningKey).where(SigningKey.purpose == "label")).one()
    session.rollback()
    public_key = Ed25519PublicKey.from_public_bytes(key.public_key)
    for uri in uris:
        token = parse_label_uri(uri)
        assert token.kid == key.kid
        verify_label_signature(token, public_key)
    assert load_demo(session=session, settings=settings) == ALREADY_LOADED
    assert count_rows(session, Label) == 3 * LABELS_PER_CERTIFICATE
