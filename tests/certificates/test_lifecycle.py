"""A certificate's life: active ⇄ suspended, → withdrawn, expired by the calendar.

Body admins decide; every change carries actor, time and reason, is kept in the history and
logged with its reason code only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from core import calendar
from tests.audits.helpers import count, issue_certificate, log_events, problem_slug
from tests.fixtures.actors import Actor
from verify.label_codec import parse_certificate_code


def change(
    client: TestClient,
    actor: Actor,
    certificate: dict[str, Any],
    action: str,
    reason_code: str = "surveillance_nonconformity",
    **extra: Any,
) -> httpx.Response:
    return client.post(
        f"/api/v1/certificates/{certificate['id']}/{action}",
        json={"reason_code": reason_code, **extra},
        headers=actor.headers,
    )


@pytest.fixture
def certificate(client: TestClient, inspector: Actor, artisan: Actor) -> dict[str, Any]:
    return issue_certificate(client, inspector, artisan)


def test_suspend_and_reinstate_with_reasons(
    client: TestClient, admin: Actor, certificate: dict[str, Any], session: Session
) -> None:
    suspended = change(
        client,
        admin,
        certificate,
        "suspend",
        reason_text="Densité mesurée 84 000 nœuds/m² au contrôle de Tinghir",
    )
    assert suspended.status_code == 200, suspended.text
    assert suspended.json()["status"] == "suspended"
    reinstated = change(client, admin, certificate, "reinstate", "corrective_action_closed")
    assert reinstated.json()["status"] == "active"

    history = client.get(
        f"/api/v1/certificates/{certificate['id']}/history", headers=admin.headers
    ).json()
    assert [(e["action"], e["from_status"], e["to_status"], e["reason_code"]) for e in history] == [
        ("issued", None, "active", "audit_passed"),
        ("suspended", "active", "suspended", "surveillance_nonconformity"),
        ("reinstated", "suspended", "active", "corrective_action_closed"),
    ]
    assert history[1]["reason_text"].startswith("Densité mesurée")
    assert history[1]["actor_id"] == admin.id
    assert history[0]["at"] <= history[1]["at"] <= history[2]["at"]


def test_status_changes_are_logged_without_free_text(
    client: TestClient, admin: Actor, certificate: dict[str, Any], session: Session
) -> None:
    change(
        client,
        admin,
        certificate,
        "suspend",
        "fraud",
        reason_text="Dénoncé par M. Benali, tél. 0661000000",
    )
    change(client, admin, certificate, "withdraw", "fraud")
    suspended = log_events(session, "certificate.suspended")
    code = parse_certificate_code(certificate["code"])  # the log keeps the integer
    withdrawn = log_events(session, "certificate.withdrawn")
    assert [
        (e["certificate_code"], e["scheme"], e["reason_code"], e["from_status"], e["to_status"])
        for e in suspended + withdrawn
    ] == [
        (code, "TAPIS-SUPERIEURE", "fraud", "active", "suspended"),
        (code, "TAPIS-SUPERIEURE", "fraud", "suspended", "withdrawn"),
    ]
    payloads = session.execute(text("SELECT payload FROM log_entry")).scalars().all()
    assert not any("Benali" in p or "0661" in p for p in payloads)


@pytest.mark.parametrize(
    ("path", "action", "status_now"),
    [
        (["suspend"], "suspend", "suspended"),  # already suspended
        ([], "reinstate", "active"),  # not suspended
        (["withdraw"], "reinstate", "withdrawn"),
        (["withdraw"], "suspend", "withdrawn"),
        (["withdraw"], "withdraw", "withdrawn"),
        (["suspend", "withdraw"], "reinstate", "withdrawn"),
    ],
)
def test_invalid_transitions_are_409(
    client: TestClient,
    admin: Actor,
    certificate: dict[str, Any],
    session: Session,
    path: list[str],
    action: str,
    status_now: str,
) -> None:
    for step in path:
        assert change(client, admin, certificate, step).status_code == 200
    events = count(session, "certificate_event")
    response = change(client, admin, certificate, action)
    assert response.status_code == 409
    assert problem_slug(response) == "invalid-transition"
    assert response.json()["status_now"] == status_now
    assert count(session, "certificate_event") == events


def test_withdrawal_is_final_from_active_or_suspended(
    client: TestClient,
    admin: Actor,
    inspector: Actor,
    artisan: Actor,
    certificate: dict[str, Any],
) -> None:
    assert change(client, admin, certificate, "withdraw", "label_misuse").json()["status"] == (
        "withdrawn"
    )
    second = issue_certificate(client, inspector, artisan)
    change(client, admin, second, "suspend")
    assert change(client, admin, second, "withdraw").json()["status"] == "withdrawn"


@pytest.fixture
def after_expiry(certificate: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> date:
    day = date.fromisoformat(certificate["valid_until"]) + timedelta(days=1)
    monkeypatch.setattr(calendar, "registry_today", lambda: day)
    return day


def test_expiry_is_derived_from_the_dates(
    client: TestClient,
    admin: Actor,
    certificate: dict[str, Any],
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    last_day = date.fromisoformat(certificate["valid_until"])
    url = f"/api/v1/certificates/{certificate['id']}"
    monkeypatch.setattr(calendar, "registry_today", lambda: last_day)
    assert client.get(url, headers=admin.headers).json()["status"] == "active"
    monkeypatch.setattr(calendar, "registry_today", lambda: last_day + timedelta(days=1))
    assert client.get(url, headers=admin.headers).json()["status"] == "expired"
    stored = session.execute(text("SELECT status FROM certificate")).scalar_one()
    assert stored == "active"


def test_an_expired_certificate_is_neither_suspended_nor_reinstated(
    client: TestClient,
    admin: Actor,
    certificate: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert change(client, admin, certificate, "suspend").status_code == 200
    day = date.fromisoformat(certificate["valid_until"]) + timedelta(days=1)
    monkeypatch.setattr(calendar, "registry_today", lambda: day)
    reinstated = change(client, admin, certificate, "reinstate", "corrective_action_closed")
    assert reinstated.status_code == 409
    assert reinstated.json()["status_now"] == "expired"


def test_an_expired_certificate_can_still_be_withdrawn(
    client: TestClient,
    admin: Actor,
    certificate: dict[str, Any],
    after_expiry: date,
) -> None:
    assert change(client, admin, certificate, "suspend").status_code == 409
    withdrawn = change(client, admin, certificate, "withdraw", "fraud")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"


@pytest.mark.parametrize("action", ["suspend", "reinstate", "withdraw"])
def test_inspectors_and_artisans_do_not_change_status(
    client: TestClient,
    inspector: Actor,
    artisan_user: Actor,
    certificate: dict[str, Any],
    action: str,
) -> None:
    for actor in (inspector, artisan_user):
        response = change(client, actor, certificate, action)
        assert response.status_code == 403
        assert response.json()["detail"] == (
            f"This action is not available to the {actor.role.value} role."
        )


def test_another_bodys_admin_is_told_it_does_not_exist(
    client: TestClient, other_admin: Actor, certificate: dict[str, Any]
) -> None:
    response = change(client, other_admin, certificate, "suspend")
    assert response.status_code == 404
    assert problem_slug(response) == "certificate-not-found"


@pytest.mark.parametrize(
    "body",
    [
        {"reason_code": "bored"},
        {"reason_code": "other"},
        {"reason_code": "fraud", "to_status": "active"},
        {"reason_code": "fraud", "status": "active"},
        {},
    ],
)
def test_status_change_bodies_are_validated(
    client: TestClient,
    admin: Actor,
    certificate: dict[str, Any],
    session: Session,
    body: dict[str, Any],
) -> None:
    response = client.post(
        f"/api/v1/certificates/{certificate['id']}/suspend", json=body, headers=admin.headers
    )
    assert response.status_code == 422
    assert count(session, "certificate_event") == 1


def test_other_reason_with_text_is_accepted(
    client: TestClient, admin: Actor, certificate: dict[str, Any]
) -> None:
    response = change(
        client,
        admin,
        certificate,
        "suspend",
        "other",
        reason_text="Atelier fermé après les inondations",
    )
    assert response.status_code == 200


def test_history_cannot_be_rewritten(
    client: TestClient, admin: Actor, certificate: dict[str, Any], session: Session
) -> None:
    change(client, admin, certificate, "suspend")
    for statement in (
        "UPDATE certificate_event SET reason_code = 'other'",
        "DELETE FROM certificate_event",
    ):
        with pytest.raises(DBAPIError):
            session.execute(text(statement))
        session.rollback()
    assert count(session, "certificate_event") == 2


def test_history_is_readable_by_the_artisan_and_hidden_from_others(
    client: TestClient,
    inspector: Actor,
    artisan_user: Actor,
    other_artisan_user: Actor,
    madmoun_inspector: Actor,
) -> None:
    certificate = issue_certificate(client, inspector, artisan_user)
    url = f"/api/v1/certificates/{certificate['id']}/history"
    assert client.get(url, headers=artisan_user.headers).status_code == 200
    for stranger in (other_artisan_user, madmoun_inspector):
        response = client.get(url, headers=stranger.headers)
        assert response.status_code == 404
        assert problem_slug(response) == "certificate-not-found"
