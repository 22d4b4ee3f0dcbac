"""Recording an audit: who may, for whom, with which findings; the outcome is computed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core import calendar
from labeling.audits.record import CanonicalFinding, canonical_record, content_hash
from schemas.registry import Body
from tests.audits.helpers import (
    PDF_BYTES,
    audit_body,
    carpet_findings,
    count,
    log_events,
    madmoun_findings,
    problem_slug,
    record_audit,
    submit_audit,
    upload,
)
from tests.fixtures.actors import Actor


def test_passing_carpet_audit_is_recorded_with_computed_outcome(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    audit = record_audit(client, inspector, artisan, findings=carpet_findings(96_000))
    assert audit["outcome"] == "pass"
    assert audit["scheme_code"] == "TAPIS-SUPERIEURE"
    assert audit["artisan_public_id"] == "AKHIAM7TAZ"
    assert audit["body_code"] == "CHAMBRE-MA-08"
    assert audit["product_line_ids"] == [artisan.extra["product_line_id"]]
    assert [f["criterion_code"] for f in audit["findings"]] == [
        "knot_density",
        "hand_knotted",
        "no_redhibitory_defects",
    ]
    assert all(f["passed"] for f in audit["findings"])
    assert len(audit["content_hash"]) == 64


@pytest.mark.parametrize(
    ("scheme", "knots", "outcome"),
    [
        ("TAPIS-SUPERIEURE", 90_000, "pass"),  # the threshold itself meets "≥"
        ("TAPIS-SUPERIEURE", 89_999.5, "fail"),
        ("TAPIS-MOYENNE", 70_000, "pass"),
        ("TAPIS-COURANTE", 49_999, "fail"),
    ],
)
def test_knot_density_is_compared_with_the_grade_threshold(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    scheme: str,
    knots: float,
    outcome: str,
) -> None:
    audit = record_audit(client, inspector, artisan, scheme=scheme, findings=carpet_findings(knots))
    assert audit["outcome"] == outcome


def test_one_failed_boolean_criterion_fails_the_audit(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    audit = record_audit(
        client, inspector, artisan, findings=carpet_findings(120_000, hand_knotted=False)
    )
    assert audit["outcome"] == "fail"
    failed = [f["criterion_code"] for f in audit["findings"] if not f["passed"]]
    assert failed == ["hand_knotted"]


@pytest.mark.parametrize(("lead", "outcome"), [(0.8, "pass"), (0.81, "fail"), (0.0, "pass")])
def test_madmoun_lead_release_is_at_most_the_limit(
    client: TestClient, madmoun_inspector: Actor, potter: Actor, lead: float, outcome: str
) -> None:
    audit = record_audit(
        client, madmoun_inspector, potter, scheme="MADMOUN", findings=madmoun_findings(lead)
    )
    assert audit["outcome"] == outcome


def test_submission_logs_a_public_safe_event(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session
) -> None:
    audit = record_audit(client, inspector, artisan, notes="Atelier visité avec Mme Aït Ali")
    events = log_events(session, "audit.submitted")
    assert events == [
        {
            "type": "audit.submitted",
            "at": events[0]["at"],
            "audit_id": audit["id"],
            "scheme": "TAPIS-SUPERIEURE",
            "outcome": "pass",
            "artisan": "AKHIAM7TAZ",
            "body": "CHAMBRE-MA-08",
            "content_hash": audit["content_hash"],
        }
    ]
    raw = session.execute(text("SELECT payload FROM log_entry")).scalars().all()
    for private in ("CIN-", "+212", "Derb", "Aït Ali", "Akhiam", "inspecteur"):
        assert all(private not in payload for payload in raw)


def test_content_hash_is_the_hash_of_the_canonical_record(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    from datetime import date, datetime

    audit = record_audit(client, inspector, artisan, notes="RAS")
    record = canonical_record(
        artisan_public_id=audit["artisan_public_id"],
        body_code=audit["body_code"],
        inspector_id=audit["inspector_id"],
        scheme_code=audit["scheme_code"],
        audit_date=date.fromisoformat(audit["audit_date"]),
        submitted_at=datetime.fromisoformat(audit["submitted_at"]),
        outcome=audit["outcome"],
        corrects_audit_id=None,
        product_line_ids=audit["product_line_ids"],
        findings=[
            CanonicalFinding(
                criterion=f["criterion_code"],
                passed=f["passed"],
                measured_value=f["measured_value"],
                unit=f["unit"],
                observed=f["observed"],
                notes=f["notes"],
            )
            for f in audit["findings"]
        ],
        evidence=[],
        notes="RAS",
    )
    assert content_hash(record) == audit["content_hash"]


def test_evidence_is_cited_by_hash_with_its_filename(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    sha = upload(client, inspector, PDF_BYTES).json()["sha256"]
    audit = record_audit(
        client, inspector, artisan, evidence=[{"sha256": sha, "filename": "rapport-labo.pdf"}]
    )
    assert audit["evidence"] == [
        {
            "sha256": sha,
            "filename": "rapport-labo.pdf",
            "media_type": "application/pdf",
            "size": len(PDF_BYTES),
        }
    ]


# --- who may record ----------------------------------------------------------------------


def test_inspector_not_authorised_for_the_scheme_is_refused(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session
) -> None:
    body = audit_body(artisan, scheme="MADMOUN", findings=madmoun_findings(0.1))
    response = submit_audit(client, inspector, body)
    assert response.status_code == 403
    assert problem_slug(response) == "not-authorised-for-scheme"
    assert response.json()["detail"] == "You are not authorised to audit for MADMOUN."
    assert count(session, "audit") == 0


def test_revoked_authorisation_is_checked_at_submission(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session
) -> None:
    record_audit(client, inspector, artisan)
    session.execute(
        text(
            "UPDATE inspector_authorisation SET revoked_at = CURRENT_TIMESTAMP "
            "WHERE inspector_id = :i"
        ),
        {"i": inspector.id},
    )
    session.commit()
    response = submit_audit(client, inspector, audit_body(artisan))
    assert response.status_code == 403
    assert problem_slug(response) == "not-authorised-for-scheme"
    assert count(session, "audit") == 1


def test_artisan_of_another_body_is_not_found(
    client: TestClient, inspector: Actor, potter: Actor, session: Session
) -> None:
    response = submit_audit(client, inspector, audit_body(potter))
    assert response.status_code == 404
    assert problem_slug(response) == "artisan-not-found"


def test_unknown_artisan_is_not_found(client: TestClient, inspector: Actor, artisan: Actor) -> None:
    body = audit_body(artisan)
    body["artisan_id"] = 999_999
    assert submit_audit(client, inspector, body).status_code == 404


@pytest.mark.parametrize("who", ["admin", "artisan_user"])
def test_only_inspectors_record_audits(
    client: TestClient, artisan: Actor, who: str, request: pytest.FixtureRequest
) -> None:
    actor: Actor = request.getfixturevalue(who)
    response = submit_audit(client, actor, audit_body(artisan))
    assert response.status_code == 403
    assert problem_slug(response) == "forbidden"


def test_anonymous_caller_is_unauthorised(client: TestClient, artisan: Actor) -> None:
    response = client.post("/api/v1/audits", json=audit_body(artisan))
    assert response.status_code == 401


# --- what may be recorded ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "slug"),
    [
        ({"scheme": "TAPIS-ROYALE"}, "unknown-scheme"),
        ({"findings": carpet_findings(96_000)[:2]}, "missing-findings"),
        (
            {"findings": [*carpet_findings(96_000), {"criterion": "colour", "observed": True}]},
            "unknown-criterion",
        ),
        (
            {
                "findings": [
                    {"criterion": "knot_density", "measured_value": 96_000, "unit": "knots/dm2"},
                    *carpet_findings(1)[1:],
                ]
            },
            "unit-mismatch",
        ),
        (
            {
                "findings": [
                    {"criterion": "knot_density", "observed": True},
                    *carpet_findings(1)[1:],
                ]
            },
            "finding-kind-mismatch",
        ),
        (
            {
                "findings": [
                    *carpet_findings(96_000)[:2],
                    {"criterion": "no_redhibitory_defects", "measured_value": 1.0, "unit": "count"},
                ]
            },
            "finding-kind-mismatch",
        ),
        ({"evidence": [{"sha256": "a" * 64, "filename": "x.pdf"}]}, "unknown-evidence"),
        ({"evidence": [{"sha256": "a" * 64, "filename": "x.pdf"}] * 2}, "evidence-repeated"),
        ({"findings": [*carpet_findings(96_000), carpet_findings(10)[0]]}, "finding-repeated"),
        ({"product_line_ids": [999_999]}, "product-line-not-of-artisan"),
    ],
)
def test_business_rule_violations_are_422_and_store_nothing(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    session: Session,
    change: dict[str, Any],
    slug: str,
) -> None:
    response = submit_audit(client, inspector, audit_body(artisan, **change))
    assert response.status_code == 422, response.text
    assert problem_slug(response) == slug
    assert count(session, "audit") == 0
    assert count(session, "log_entry") == 0


def test_product_line_of_another_artisan_is_refused(
    client: TestClient, inspector: Actor, artisan: Actor, other_artisan: Actor
) -> None:
    body = audit_body(artisan, product_line_ids=[other_artisan.extra["product_line_id"]])
    response = submit_audit(client, inspector, body)
    assert response.status_code == 422
    assert problem_slug(response) == "product-line-not-of-artisan"


def test_audit_date_in_the_future_is_refused(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    tomorrow = calendar.registry_today() + timedelta(days=1)
    response = submit_audit(client, inspector, audit_body(artisan, audit_date=tomorrow))
    assert response.status_code == 422
    assert problem_slug(response) == "audit-date-in-future"


def test_today_is_a_valid_audit_date(client: TestClient, inspector: Actor, artisan: Actor) -> None:
    audit = record_audit(client, inspector, artisan, audit_date=calendar.registry_today())
    assert audit["audit_date"] == calendar.registry_today().isoformat()


@pytest.mark.parametrize(
    "change",
    [
        {"outcome": "pass"},
        {"id": 7},
        {"inspector_id": 1},
        {"content_hash": "0" * 64},
        {"submitted_at": "2025-01-01T00:00:00Z"},
        {"corrects_audit_id": 1},
        {"findings": [{**carpet_findings(10)[0], "passed": True}, *carpet_findings(10)[1:]]},
    ],
    ids=["outcome", "id", "inspector", "hash", "submitted_at", "corrects", "finding-passed"],
)
def test_server_owned_fields_are_refused(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    session: Session,
    change: dict[str, Any],
) -> None:
    body = audit_body(artisan)
    body.update(change)
    response = submit_audit(client, inspector, body)
    assert response.status_code == 422
    assert problem_slug(response) == "validation-error"
    assert count(session, "audit") == 0


@pytest.mark.parametrize(
    "finding",
    [
        {"criterion": "knot_density", "measured_value": "96000", "unit": "knots/m2"},
        {"criterion": "knot_density", "measured_value": 9e4, "unit": "knots/m2", "observed": True},
    ],
    ids=["value-as-string", "measured-and-observed"],
)
def test_malformed_findings_are_validation_errors(
    client: TestClient,
    inspector: Actor,
    artisan: Actor,
    finding: dict[str, Any],
    session: Session,
) -> None:
    body = audit_body(artisan, findings=[finding, *carpet_findings(1)[1:]])
    response = submit_audit(client, inspector, body)
    assert response.status_code == 422
    assert problem_slug(response) == "validation-error"
    assert count(session, "audit") == 0


@pytest.mark.parametrize(
    "raw",
    [
        b'{"criterion": "knot_density", "measured_value": NaN, "unit": "knots/m2"}',
        b'{"criterion": "knot_density", "measured_value": Infinity, "unit": "knots/m2"}',
        b'{"criterion": "knot_density", "measured_value": 1e400, "unit": "knots/m2"}',
        b'{"criterion": "knot_density", "measured_value": 1, "unit": "knots/m2", '
        b'"notes": "NUL \\u0000"}',
    ],
)
def test_non_finite_numbers_and_nul_never_reach_the_service(
    client: TestClient, inspector: Actor, artisan: Actor, raw: bytes, session: Session
) -> None:
    import json

    template = json.dumps(audit_body(artisan, findings=["__F__"])).encode()
    body = template.replace(b'"__F__"', raw)
    response = client.post(
        "/api/v1/audits",
        content=body,
        headers={**inspector.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert problem_slug(response) == "malformed-json"
    assert count(session, "audit") == 0


def test_out_of_range_ids_are_validation_errors(
    client: TestClient, inspector: Actor, artisan: Actor
) -> None:
    body = audit_body(artisan)
    body["product_line_ids"] = [2**40]
    response = submit_audit(client, inspector, body)
    assert response.status_code == 422
    assert problem_slug(response) == "validation-error"


def test_audit_is_recorded_in_the_inspectors_body(
    client: TestClient, inspector: Actor, artisan: Actor, session: Session, chambre: Body
) -> None:
    audit = record_audit(client, inspector, artisan)
    body_id = session.execute(
        text("SELECT body_id FROM audit WHERE id = :i"), {"i": audit["id"]}
    ).scalar_one()
    assert body_id == chambre.id
