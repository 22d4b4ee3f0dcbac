"""``POST /api/v1/reports``: a buyer's report opens or joins its label's case; bad input and
floods get problem+json and change nothing."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core.settings import Settings
from tests.reports.fixtures import ReportedLabel, jpeg_bytes, send_report


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> str:
    return db_url


def _rows(session: Session, sql: str) -> list[tuple[object, ...]]:
    rows = [tuple(row) for row in session.execute(text(sql)).all()]
    session.rollback()
    return rows


def test_a_report_opens_a_case_for_the_certifying_body(
    verify_client: TestClient, carpet: ReportedLabel, session: Session, admin: object
) -> None:
    first = send_report(verify_client, carpet)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "received"
    second = send_report(verify_client, carpet, contact_email="buyer@example.org")
    assert second.status_code == 201, second.text
    cases = _rows(session, "SELECT id, label_id, body_id, status, reports_count FROM report_case")
    assert len(cases) == 1
    case_id, label_id, body_id, status, count = cases[0]
    assert (label_id, status, count) == (carpet.id, "open", 2)
    assert body_id == admin.body_id  # type: ignore[attr-defined]
    reports = _rows(session, "SELECT case_id, contact_email FROM fake_report ORDER BY id")
    assert reports == [(case_id, None), (case_id, "buyer@example.org")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"item": ""}, "item"),
        ({"item": "x" * 501}, "item"),
        ({"country": "Morocco"}, "country"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"bought_on": "yesterday"}, "bought_on"),
        ({"serial": "lower"}, "serial"),
        ({"ip": "1.2.3.4"}, "ip"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(
    verify_client: TestClient,
    carpet: ReportedLabel,
    session: Session,
    change: dict[str, str],
    field: str,
) -> None:
    response = send_report(verify_client, carpet, **change)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text
    assert _rows(session, "SELECT count(*) FROM fake_report") == [(0,)]


def test_a_label_the_registry_never_issued_is_404(
    verify_client: TestClient, carpet: ReportedLabel, session: Session
) -> None:
    stranger = ReportedLabel(0, carpet.gtin, "ZZZZZZZZZZ", "")
    response = send_report(verify_client, stranger)
    assert response.status_code == 404
    assert response.json()["type"].endswith("/label-not-found")
    assert _rows(session, "SELECT count(*) FROM report_case") == [(0,)]


def test_a_purchase_in_the_future_is_refused(
    verify_client: TestClient, carpet: ReportedLabel
) -> None:
    response = send_report(verify_client, carpet, bought_on="2999-01-01")
    assert response.status_code == 422
    assert response.json()["type"].endswith("/bought-in-the-future")


def test_the_photo_is_kept_without_its_metadata(
    verify_client: TestClient, carpet: ReportedLabel, session: Session
) -> None:
    response = send_report(verify_client, carpet, photo=jpeg_bytes((3000, 1000)))
    assert response.status_code == 201, response.text
    [(photo,)] = _rows(session, "SELECT photo FROM fake_report")
    assert isinstance(photo, bytes) and photo[:2] == b"\xff\xd8"


def test_a_photo_that_is_no_image_is_refused(
    verify_client: TestClient, carpet: ReportedLabel, session: Session
) -> None:
    response = send_report(verify_client, carpet, photo=b"%PDF-1.7 not an image")
    assert response.status_code == 422
    assert response.json()["type"].endswith("/photo-invalid")
    assert _rows(session, "SELECT count(*) FROM fake_report") == [(0,)]


def test_one_address_is_rate_limited(
    settings: Settings, verify_client: TestClient, carpet: ReportedLabel, labels_app: FastAPI
) -> None:
    answers = [send_report(verify_client, carpet).status_code for _ in range(6)]
    burst = settings.rate_limit_report_burst
    assert answers[:burst] == [201] * burst
    limited = send_report(verify_client, carpet)
    assert limited.status_code == 429
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert int(limited.headers["retry-after"]) >= 1


def test_one_label_takes_a_bounded_number_of_reports_a_day(
    settings: Settings,
    verify_client: TestClient,
    carpet: ReportedLabel,
    labels_app: FastAPI,
    session: Session,
) -> None:
    limit = settings.report_max_per_label_per_day
    labels_app.state.rate_limiters = None  # per-address limits off: the label's limit alone
    labels_app.state.settings = settings.model_copy(update={"rate_limit_enabled": False})
    for _ in range(limit):
        assert send_report(verify_client, carpet).status_code == 201
    over = send_report(verify_client, carpet)
    assert over.status_code == 429
    assert over.json()["type"].endswith("/report-limit-label")
    assert _rows(session, "SELECT count(*) FROM fake_report") == [(limit,)]
