"""Certifying: only from a passing, unused, current audit of the caller's body."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core import calendar
from labeling.certificates import service
from tests.audits.helpers import (
    add_product_line,
    carpet_findings,
    certify,
    count,
    days_ago,
    log_events,
    madmoun_findings,
    problem_slug,
    record_audit,
)
from tests.fixtures.actors import Actor
from verify.label_codec import format_certificate_code, parse_certificate_code


def test_a_passing_audit_becomes_an_active_certificate(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session
) -> None:
    audit = record_audit(client, inspector, artisan, audit_date=days_ago(30))
    response = certify(client, inspector, audit["id"])
    assert response.status_code == 201, response.text
    certificate = response.json()
    assert certificate["status"] == "active"
    assert certificate["scheme_code"] == "TAPIS-SUPERIEURE"
    assert certificate["level"] == 3
    assert certificate["level_name"] == "supérieure"
    assert certificate["audit_id"] == audit["id"]
    assert certificate["artisan_public_id"] == "AKHIAM7TAZ"
    assert certificate["region_code"] == "MA-08"
    assert certificate["product_line_ids"] == [artisan.extra["product_line_id"]]
    assert 0 <= parse_certificate_code(certificate["code"]) < 2**32
    assert certificate["code"] == format_certificate_code(
        parse_certificate_code(certificate["code"])
    )
    valid_from = date.fromisoformat(certificate["valid_from"])
    assert valid_from == date.fromisoformat(audit["audit_date"])
    assert date.fromisoformat(certificate["valid_until"]) == (
        calendar.add_months(valid_from, 36) - timedelta(days=1)
    )
    assert "national_id" not in certificate and "phone" not in certificate


def test_issuance_is_in_the_history_and_the_log(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session
) -> None:
    audit = record_audit(client, inspector, artisan)
    certificate = certify(client, inspector, audit["id"]).json()
    history = client.get(
        f"/api/v1/certificates/{certificate['id']}/history", headers=inspector.headers
    ).json()
    assert [(e["action"], e["from_status"], e["to_status"], e["reason_code"]) for e in history] == [
        ("issued", None, "active", "audit_passed")
    ]
    assert history[0]["actor_id"] == inspector.id
    [event] = log_events(session, "certificate.issued")
    assert event["certificate_code"] == parse_certificate_code(certificate["code"])
    assert event["scheme"] == "TAPIS-SUPERIEURE"
    assert event["artisan"] == "AKHIAM7TAZ"
    assert event["audit_content_hash"] == audit["content_hash"]
    assert event["valid_until"] == certificate["valid_until"]


def test_the_body_admin_may_certify_too(
    client: TestClient, inspector: Actor, admin: Actor, artisan: Actor
) -> None:
    audit = record_audit(client, inspector, artisan)
    response = certify(client, admin, audit["id"])
    assert response.status_code == 201
    assert response.json()["status"] == "active"


def test_a_failing_audit_is_not_certified(
    client: TestClient, madmoun_inspector: Actor, potter: Actor, session: Session
) -> None:
    audit = record_audit(
        client, madmoun_inspector, potter, scheme="MADMOUN", findings=madmoun_findings(1.2)
    )
    response = certify(client, madmoun_inspector, audit["id"])
    assert response.status_code == 422
    assert problem_slug(response) == "audit-not-passing"
    assert response.json()["detail"] == "Only a passing audit can be certified."
    assert count(session, "certificate") == 0
    assert log_events(session, "certificate.issued") == []


def test_an_audit_certifies_once(
    client: TestClient, inspector: Actor, admin: Actor, artisan: Actor, session: Session
) -> None:
    audit = record_audit(client, inspector, artisan)
    first = certify(client, inspector, audit["id"]).json()
    again = certify(client, admin, audit["id"])
    assert again.status_code == 409
    assert problem_slug(again) == "audit-already-certified"
    assert again.json()["certificate_id"] == first["id"]
    assert count(session, "certificate") == 1


@pytest.mark.parametrize("stranger", ["other_admin", "madmoun_inspector"])
def test_another_body_cannot_certify_from_the_audit(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    stranger: str,
    request: pytest.FixtureRequest,
) -> None:
    audit = record_audit(client, inspector, artisan)
    actor: Actor = request.getfixturevalue(stranger)
    response = certify(client, actor, audit["id"])
    assert response.status_code == 404
    assert problem_slug(response) == "audit-not-found"


def test_artisans_do_not_certify(client: TestClient, inspector: Actor, artisan_user: Actor) -> None:
    audit = record_audit(client, inspector, artisan_user)
    assert certify(client, artisan_user, audit["id"]).status_code == 403


def test_an_inspector_whose_authorisation_was_revoked_cannot_certify(
    client: TestClient, inspector: Actor, admin: Actor, artisan: Actor, session: Session
) -> None:
    audit = record_audit(client, inspector, artisan)
    session.execute(
        text(
            "UPDATE inspector_authorisation SET revoked_at = CURRENT_TIMESTAMP "
            "WHERE inspector_id = :i"
        ),
        {"i": inspector.id},
    )
    session.commit()
    response = certify(client, inspector, audit["id"])
    assert response.status_code == 403
    assert problem_slug(response) == "not-authorised-for-scheme"
    assert certify(client, admin, audit["id"]).status_code == 201


def test_scope_is_a_subset_of_the_audited_product_lines(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    other_artisan: Actor,
    session: Session,
) -> None:
    first_line = artisan.extra["product_line_id"]
    second_line = add_product_line(session, artisan, "Tapis Glaoua")
    unaudited = add_product_line(session, artisan, "Kilim")
    audit = record_audit(client, inspector, artisan, product_line_ids=[first_line, second_line])
    outside = certify(client, inspector, audit["id"], product_line_ids=[first_line, unaudited])
    assert outside.status_code == 422
    assert problem_slug(outside) == "scope-outside-audit"
    foreign = certify(
        client, inspector, audit["id"], product_line_ids=[other_artisan.extra["product_line_id"]]
    )
    assert problem_slug(foreign) == "scope-outside-audit"
    narrowed = certify(client, inspector, audit["id"], product_line_ids=[second_line])
    assert narrowed.status_code == 201
    assert narrowed.json()["product_line_ids"] == [second_line]


def test_validity_may_start_later_but_never_before_the_audit(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    audit = record_audit(client, inspector, artisan, audit_date=days_ago(20))
    audit_date = date.fromisoformat(audit["audit_date"])
    early = certify(
        client, inspector, audit["id"], valid_from=(audit_date - timedelta(days=1)).isoformat()
    )
    assert early.status_code == 422
    assert problem_slug(early) == "valid-from-before-audit"
    late = certify(
        client,
        inspector,
        audit["id"],
        valid_from=(calendar.add_months(audit_date, 12) + timedelta(days=1)).isoformat(),
    )
    assert problem_slug(late) == "valid-from-too-late"
    start = audit_date + timedelta(days=10)
    response = certify(client, inspector, audit["id"], valid_from=start.isoformat())
    assert response.status_code == 201
    assert response.json()["valid_from"] == start.isoformat()
    assert (
        response.json()["valid_until"]
        == (calendar.add_months(start, 36) - timedelta(days=1)).isoformat()
    )


def test_an_audit_too_old_for_a_current_certificate_is_refused(
    client: TestClient, inspector: Actor, artisan: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit = record_audit(client, inspector, artisan, audit_date=days_ago(5))
    later = calendar.registry_today() + timedelta(days=4 * 365)
    monkeypatch.setattr(calendar, "registry_today", lambda: later)
    response = certify(client, inspector, audit["id"])
    assert response.status_code == 422
    assert problem_slug(response) == "certificate-would-be-expired"


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "suspended"},
        {"code": 1234},
        {"valid_until": "2099-01-01"},
        {"artisan_id": 1},
        {"certified": True},
        {"id": 5},
    ],
)
def test_server_owned_fields_are_refused(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    session: Session,
    extra: dict[str, Any],
) -> None:
    audit = record_audit(client, inspector, artisan)
    response = certify(client, inspector, audit["id"], **extra)
    assert response.status_code == 422
    assert problem_slug(response) == "validation-error"
    assert count(session, "certificate") == 0


def test_a_colliding_code_is_drawn_again(
    client: TestClient, inspector: Actor, artisan: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = certify(client, inspector, record_audit(client, inspector, artisan)["id"]).json()
    draws = iter([parse_certificate_code(first["code"]), 0, 3_141_592_653])
    monkeypatch.setattr(secrets, "randbits", lambda bits: next(draws))
    second = certify(client, inspector, record_audit(client, inspector, artisan)["id"])
    assert second.status_code == 201
    assert second.json()["code"] == format_certificate_code(3_141_592_653)


def test_a_failure_half_way_issues_nothing(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    audit = record_audit(client, inspector, artisan)

    def failing_append_event(db: Session, *, event_type: str, payload: dict[str, Any]) -> int:
        assert count(db, "certificate", end_transaction=False) == 1
        assert count(db, "certificate_event", end_transaction=False) == 1
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(service, "append_event", failing_append_event)
    assert certify(client, inspector, audit["id"]).status_code == 500
    for table in ("certificate", "certificate_scope", "certificate_event"):
        assert count(session, table) == 0, table


def test_unknown_audit_is_404(client: TestClient, inspector: Actor) -> None:
    response = certify(client, inspector, 999_999)
    assert response.status_code == 404
    assert problem_slug(response) == "audit-not-found"


def test_a_failing_carpet_audit_is_not_certified(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    audit = record_audit(client, inspector, artisan, findings=carpet_findings(60_000))
    assert problem_slug(certify(client, inspector, audit["id"])) == "audit-not-passing"
