"""The certifying body's cases: what its administrators see and decide, and what nobody
else may (another body's administrator gets 404, other roles 403, strangers the sign-in)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core.settings import Settings
from labeling.reports.service import purge_personal_data
from schemas.types import utcnow
from tests.fixtures.actors import Actor
from tests.reports.fixtures import ReportedLabel, jpeg_bytes, send_report
from tests.retailers.fixtures import RetailerRef
from tests.workspace.support import Browser, SessionMint, csrf_of

EMAIL = "buyer@example.org"


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


def _rows(session: Session, sql: str) -> list[tuple[object, ...]]:
    rows = [tuple(row) for row in session.execute(text(sql)).all()]
    session.rollback()
    return rows


@pytest.fixture
def lahcen(labels_app: FastAPI, admin: Actor, sessions: SessionMint) -> Iterator[Browser]:
    """The administrator of the body that certified the cooperative, signed in."""
    with TestClient(labels_app, raise_server_exceptions=True) as client:
        yield Browser(client, sessions(admin))


@pytest.fixture
def youssef(labels_app: FastAPI, other_admin: Actor, sessions: SessionMint) -> Iterator[Browser]:
    """Another body's administrator, signed in."""
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        yield Browser(client, sessions(other_admin))


@pytest.fixture
def case_id(verify_client: TestClient, carpet: ReportedLabel, session: Session) -> int:
    """A case opened by a report with a photo and a contact address."""
    response = send_report(verify_client, carpet, photo=jpeg_bytes(), contact_email=EMAIL)
    assert response.status_code == 201, response.text
    [(found,)] = _rows(session, "SELECT id FROM report_case")
    return int(str(found))


def _decide(browser: Browser, case: int, **data: str) -> object:
    page = browser.get(f"/workspace/cases/{case}")
    assert page.status_code == 200, page.text[:500]
    return browser.post(
        f"/workspace/cases/{case}/decision", data={"csrf_token": csrf_of(page.text), **data}
    )


def test_the_body_sees_its_case_with_reports_photo_receipts_and_scans(
    session: Session,
    lahcen: Browser,
    case_id: int,
    carpet: ReportedLabel,
    galeries: RetailerRef,
    verify_client: TestClient,
) -> None:
    received = verify_client.post(
        "/api/v1/receipts",
        json={"shipment_ref": "GL-7", "labels": [carpet.uri]},
        headers=galeries.headers,
    )
    assert received.status_code == 200, received.text
    session.execute(
        text("INSERT INTO scan_counter (label_id, day, country, scans) VALUES (:l, :d, 'ES', 17)"),
        {"l": carpet.id, "d": date(2026, 12, 1)},
    )
    session.commit()
    listing = lahcen.get("/workspace/cases")
    assert listing.status_code == 200
    assert f'data-case="{case_id}"' in listing.text and carpet.serial in listing.text
    page = lahcen.get(f"/workspace/cases/{case_id}")
    assert page.status_code == 200
    assert "Bazar Atlas" in page.text and EMAIL in page.text
    assert "Galeries Lafayette" in page.text and "GL-7" in page.text
    assert re.search(r"<td><bdi dir=\"ltr\">ES</bdi></td><td>17</td>", page.text)
    photo_url = re.search(r'<img src="([^"]+photo\.jpg)"', page.text)
    assert photo_url
    photo = lahcen.get(photo_url.group(1))
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    assert photo.headers["cache-control"] == "no-store"


def test_the_list_pages_by_keyset_newest_first(
    lahcen: Browser,
    verify_client: TestClient,
    admin: Actor,
    certificate: object,
    session: Session,
) -> None:
    from tests.retailers.fixtures import issue_labels

    rows = issue_labels(verify_client, admin, certificate, 23)  # type: ignore[arg-type]
    for row in rows:
        label = ReportedLabel(int(row["id"]), str(row["gtin"]), str(row["serial"]), "")
        verify_client.app.state.rate_limiters = None  # type: ignore[attr-defined]
        assert send_report(verify_client, label).status_code == 201
    first = lahcen.get("/workspace/cases")
    ids = [int(i) for i in re.findall(r'data-case="(\d+)"', first.text)]
    assert len(ids) == 20 and ids == sorted(ids, reverse=True)
    more = re.search(r"before=(\d+)", first.text)
    assert more
    second = lahcen.get(f"/workspace/cases?state=open&before={more.group(1)}")
    rest = [int(i) for i in re.findall(r'data-case="(\d+)"', second.text)]
    assert len(rest) == 3 and max(rest) < min(ids)
    closed = lahcen.get("/workspace/cases?state=closed")
    assert 'data-case="' not in closed.text


def test_confirming_marks_the_label_tells_retailers_and_logs_no_personal_data(
    lahcen: Browser,
    case_id: int,
    carpet: ReportedLabel,
    galeries: RetailerRef,
    verify_client: TestClient,
    session: Session,
) -> None:
    hook = verify_client.post(
        "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hooks"}, headers=galeries.headers
    )
    assert hook.status_code == 201, hook.text
    verify_client.post(
        "/api/v1/receipts",
        json={"shipment_ref": "GL-7", "labels": [carpet.uri]},
        headers=galeries.headers,
    )
    answer = _decide(lahcen, case_id, decision="confirm")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert _rows(session, "SELECT status, revoked FROM report_case") == [("confirmed", False)]
    assert _rows(session, "SELECT label_id, reason, retailer_id FROM label_mark") == [
        (carpet.id, "confirmed_clone", None)
    ]
    [(payload,)] = _rows(
        session, "SELECT payload FROM webhook_event WHERE type = 'label.suspicious'"
    )
    event = json.loads(str(payload))
    assert event["data"]["label"] == {"gtin": carpet.gtin, "serial": carpet.serial}
    assert event["data"]["reason_code"] == "confirmed_clone"
    [(leaf,)] = _rows(
        session, "SELECT payload FROM log_entry WHERE event_type = 'label.clone_confirmed'"
    )
    logged = json.loads(str(leaf))
    assert logged["case"] == case_id and logged["decision"] == "confirmed_clone"
    assert logged["serial"] == carpet.serial and logged["revoked"] is False
    assert EMAIL not in str(leaf) and "Bazar" not in str(leaf) and "carpet" not in str(leaf)
    assert _rows(session, f"SELECT status FROM label WHERE id = {carpet.id}") == [("active",)]


def test_confirming_with_revocation_revokes_through_the_lifecycle(
    lahcen: Browser, case_id: int, carpet: ReportedLabel, session: Session
) -> None:
    answer = _decide(lahcen, case_id, decision="confirm", revoke="yes")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert _rows(session, f"SELECT status, status_reason FROM label WHERE id = {carpet.id}") == [
        ("revoked", "counterfeit_suspected")
    ]
    types = [
        str(t) for (t,) in _rows(session, "SELECT event_type FROM log_entry ORDER BY leaf_index")
    ]
    assert types[-2:] == ["label.clone_confirmed", "label.revoked"]
    assert _rows(session, "SELECT revoked FROM report_case") == [(True,)]


def test_dismissing_closes_the_case_and_marks_nothing(
    lahcen: Browser, case_id: int, session: Session
) -> None:
    answer = _decide(lahcen, case_id, decision="dismiss")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert _rows(session, "SELECT status FROM report_case") == [("dismissed",)]
    assert _rows(session, "SELECT count(*) FROM label_mark") == [(0,)]
    assert _rows(
        session, "SELECT count(*) FROM log_entry WHERE event_type = 'label.report_dismissed'"
    ) == [(1,)]
    again = _decide(lahcen, case_id, decision="confirm")
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert _rows(session, "SELECT count(*) FROM label_mark") == [(0,)]


def test_a_later_report_opens_a_new_case_after_the_first_closed(
    lahcen: Browser,
    case_id: int,
    carpet: ReportedLabel,
    verify_client: TestClient,
    session: Session,
) -> None:
    _decide(lahcen, case_id, decision="dismiss")
    assert send_report(verify_client, carpet).status_code == 201
    assert _rows(session, "SELECT status FROM report_case ORDER BY id") == [
        ("dismissed",),
        ("open",),
    ]


def test_another_bodys_admin_sees_nothing_and_decides_nothing(
    youssef: Browser, lahcen: Browser, case_id: int, session: Session
) -> None:
    assert f'data-case="{case_id}"' not in youssef.get("/workspace/cases").text
    assert youssef.get(f"/workspace/cases/{case_id}").status_code == 404
    [(report_id,)] = _rows(session, "SELECT id FROM fake_report")
    photo = f"/workspace/cases/{case_id}/reports/{report_id}/photo.jpg"
    assert youssef.get(photo).status_code == 404
    forged = youssef.post(
        f"/workspace/cases/{case_id}/decision",
        data={"csrf_token": youssef.csrf(), "decision": "confirm"},
    )
    assert forged.status_code == 404
    assert _rows(session, "SELECT status FROM report_case") == [("open",)]
    assert lahcen.get(photo).status_code == 200


def test_other_roles_and_strangers_are_kept_out(
    labels_app: FastAPI,
    inspector: Actor,
    sessions: SessionMint,
    case_id: int,
    session: Session,
) -> None:
    [(report_id,)] = _rows(session, "SELECT id FROM fake_report")
    photo = f"/workspace/cases/{case_id}/reports/{report_id}/photo.jpg"
    with TestClient(labels_app, raise_server_exceptions=False) as client:
        assert client.get(photo, follow_redirects=False).status_code == 303  # to /login
        inspecting = Browser(client, sessions(inspector))
        assert inspecting.get(photo).status_code == 403
        assert inspecting.get(f"/workspace/cases/{case_id}").status_code == 403


def test_a_decision_without_the_csrf_token_changes_nothing(
    lahcen: Browser, case_id: int, session: Session
) -> None:
    refused = lahcen.post(f"/workspace/cases/{case_id}/decision", data={"decision": "confirm"})
    assert refused.status_code == 403
    assert _rows(session, "SELECT status FROM report_case") == [("open",)]


def test_retention_erases_closed_cases_personal_data(
    lahcen: Browser, case_id: int, settings: Settings, session: Session
) -> None:
    assert purge_personal_data(session=session, settings=settings) == 0  # still open
    _decide(lahcen, case_id, decision="dismiss")
    assert purge_personal_data(session=session, settings=settings) == 0  # closed today
    session.execute(
        text("UPDATE report_case SET closed_at = :at"),
        {"at": utcnow() - timedelta(days=91)},
    )
    session.commit()
    assert purge_personal_data(session=session, settings=settings) == 1
    assert _rows(session, "SELECT contact_email, photo, item, shop_name FROM fake_report") == [
        (None, None, "", "Bazar Atlas")
    ]
    assert purge_personal_data(session=session, settings=settings) == 0
