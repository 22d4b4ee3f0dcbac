"""Lifting a scan-threshold mark from the cases workspace: only the certifying body's
administrators, only a standing threshold mark, other evidence stays, and the offline
snapshot and the verdict forget the lifted mark."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core.db import new_session
from core.settings import Settings
from labeling.snapshots.repository import labels_fingerprint, listed_labels
from labeling.verification.suspicion import counts_since_lift, mark_label
from tests.fixtures.actors import Actor
from tests.reports.fixtures import ReportedLabel
from tests.workspace.support import Browser, SessionMint, csrf_of, problem_of


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


@pytest.fixture
def body_admin(labels_app: FastAPI, admin: Actor, sessions: SessionMint) -> Iterator[Browser]:
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        yield Browser(client, sessions(admin))


@pytest.fixture
def other_body_admin(
    labels_app: FastAPI, other_admin: Actor, sessions: SessionMint
) -> Iterator[Browser]:
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        yield Browser(client, sessions(other_admin))


def _mark(db_url: str, label: ReportedLabel, reason: str, retailer_id: int | None = None) -> None:
    with new_session(db_url) as session:
        assert mark_label(
            session,
            label_id=label.id,
            reason=reason,
            retailer_id=retailer_id,
            evidence='{"scans":600,"window_days":7}' if reason == "scanned_too_often" else None,
        )
        session.commit()


def _lift(browser: Browser, label: ReportedLabel, **extra: str):  # type: ignore[no-untyped-def]
    csrf = browser.csrf("/workspace/cases/marks")
    return browser.post(
        f"/workspace/cases/marks/{label.id}/lift",
        data={"csrf_token": csrf, "note": "Salon de Paris", **extra},
    )


def _verdict(client: TestClient, label: ReportedLabel) -> tuple[str, list[str]]:
    parts = urlsplit(label.uri)
    body = client.get(f"{parts.path}?{parts.query}", headers={"Accept": "application/json"}).json()
    return body["verdict"], body["reasons"]


def test_nothing_to_lift_is_a_conflict(body_admin: Browser, carpet: ReportedLabel) -> None:
    answer = _lift(body_admin, carpet)
    assert answer.status_code == 409
    assert problem_of(answer.text) == "no-mark-to-lift"


def test_another_bodys_administrator_cannot_lift(
    other_body_admin: Browser, carpet: ReportedLabel, db_url: str, verify_client: TestClient
) -> None:
    _mark(db_url, carpet, "scanned_too_often")
    listing = other_body_admin.get("/workspace/cases/marks")
    assert f'data-marked-label="{carpet.id}"' not in listing.text
    answer = _lift(other_body_admin, carpet)
    assert answer.status_code == 404
    assert problem_of(answer.text) == "label-not-found"
    assert _verdict(verify_client, carpet)[0] == "SUSPICIOUS"


def test_a_note_is_required(body_admin: Browser, carpet: ReportedLabel, db_url: str) -> None:
    _mark(db_url, carpet, "scanned_too_often")
    answer = _lift(body_admin, carpet, note="")
    assert answer.status_code == 422


def test_other_evidence_stands_after_a_lift(
    body_admin: Browser,
    carpet: ReportedLabel,
    db_url: str,
    verify_client: TestClient,
    session: Session,
) -> None:
    _mark(db_url, carpet, "scanned_too_often")
    _mark(db_url, carpet, "confirmed_clone")
    answer = _lift(body_admin, carpet)
    assert answer.status_code == 303
    assert answer.headers["location"].endswith("done=lifted_still")
    verdict, reasons = _verdict(verify_client, carpet)
    assert verdict == "SUSPICIOUS" and reasons == ["confirmed_clone"]
    page = body_admin.get(answer.headers["location"])
    assert "stays suspicious" in page.text or "reste suspecte" in page.text


def test_the_snapshot_forgets_a_lifted_mark(
    body_admin: Browser, carpet: ReportedLabel, db_url: str, session: Session
) -> None:
    _mark(db_url, carpet, "scanned_too_often")
    before = labels_fingerprint(session)
    assert listed_labels(session).suspicious.get("scanned_too_often")
    session.rollback()
    assert _lift(body_admin, carpet).status_code == 303
    assert labels_fingerprint(session) != before
    assert not listed_labels(session).suspicious
    session.rollback()


def test_the_case_page_lifts_a_mark_and_comes_back(
    body_admin: Browser,
    carpet: ReportedLabel,
    db_url: str,
    verify_client: TestClient,
    settings: Settings,
    session: Session,
) -> None:
    reported = verify_client.post(
        "/api/v1/reports",
        json={"gtin": carpet.gtin, "serial": carpet.serial, "item": "Tapis bleu"},
    )
    assert reported.status_code == 201
    [(case_id,)] = session.execute(text("SELECT id FROM report_case")).all()
    session.rollback()
    _mark(db_url, carpet, "scanned_too_often")
    page = body_admin.get(f"/workspace/cases/{case_id}")
    assert 'data-liftable="scanned_too_often"' in page.text
    answer = body_admin.post(
        f"/workspace/cases/marks/{carpet.id}/lift",
        data={"csrf_token": csrf_of(page.text), "note": "Vitrine", "case": str(case_id)},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/workspace/cases/{case_id}?done=lifted"
    again = body_admin.get(answer.headers["location"])
    assert "data-liftable" not in again.text
    assert _verdict(verify_client, carpet)[0] == "AUTHENTIC"
    # The case itself stays open: lifting a threshold mark decides nothing about a report.
    [(status,)] = session.execute(text("SELECT status FROM report_case")).all()
    session.rollback()
    assert status == "open"


def test_counts_since_a_lift_subtract_its_baseline(
    body_admin: Browser, carpet: ReportedLabel, db_url: str, session: Session
) -> None:
    with new_session(db_url) as writer:
        writer.execute(
            text(
                "INSERT INTO scan_counter (label_id, day, country, scans) VALUES "
                "(:id, CURRENT_DATE, 'FR', 7), (:id, CURRENT_DATE, '', 3)"
            ),
            {"id": carpet.id},
        )
        writer.commit()
    _mark(db_url, carpet, "scanned_too_often")
    assert _lift(body_admin, carpet).status_code == 303
    with new_session(db_url) as writer:
        writer.execute(
            text(
                "UPDATE scan_counter SET scans = scans + 2 WHERE label_id = :id AND country = 'FR'"
            ),
            {"id": carpet.id},
        )
        writer.execute(
            text(
                "INSERT INTO scan_counter (label_id, day, country, scans) VALUES "
                "(:id, CURRENT_DATE, 'DE', 1)"
            ),
            {"id": carpet.id},
        )
        writer.commit()
    [(today,)] = session.execute(text("SELECT max(day) FROM scan_counter")).all()
    session.rollback()
    from datetime import date

    day = today if isinstance(today, date) else date.fromisoformat(str(today))
    seen = counts_since_lift(session, carpet.id, window_days=7, today=day)
    session.rollback()
    assert seen.scans == 3 and seen.countries == ("DE", "FR")


def test_a_lift_moves_what_every_workers_memory_is_keyed_by(
    body_admin: Browser, carpet: ReportedLabel, db_url: str
) -> None:
    """The state version (the workers' remembered rows) moves with the lift's log leaf, and
    the label row's ``marks`` number (the remembered evidence's key) grows: no worker keeps
    the lifted evidence past the freshness bound, on PostgreSQL as on SQLite."""
    from labeling.verification.freshness import _read_version
    from labeling.verification.repository import read_connection

    _mark(db_url, carpet, "scanned_too_often")
    reader = read_connection(db_url)
    row = reader.label(carpet.gtin, carpet.serial)
    assert row is not None and row.marks == 1 and reader.marks(carpet.id)
    version = _read_version(db_url)
    assert _lift(body_admin, carpet).status_code == 303
    assert _read_version(db_url) != version
    after = reader.label(carpet.gtin, carpet.serial)
    assert after is not None and after.marks == 2  # one mark, lifted: counted twice
    assert reader.marks(carpet.id) == []  # no standing evidence
    # A new mark of another reason gets a key never used before (3), not the lifted one's.
    _mark(db_url, carpet, "confirmed_clone")
    again = reader.label(carpet.gtin, carpet.serial)
    assert again is not None and again.marks == 3
