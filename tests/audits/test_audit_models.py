"""The audit request models refuse, before any service runs, what no audit can contain.

These rules are pure validation (no database), so they are checked on the models; the API
tests show one of each kind reaching the client as a 422 problem.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from schemas.audits_api import AuditCreate, FindingInput
from schemas.certificates_api import CertificateCreate, CertificateStatusChange

KNOTS = {"criterion": "knot_density", "measured_value": 96_000.0, "unit": "knots/m2"}


def _audit(**change: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "artisan_id": 1,
        "scheme": "TAPIS-SUPERIEURE",
        "product_line_ids": [1],
        "audit_date": "2025-03-15",
        "findings": [KNOTS, {"criterion": "hand_knotted", "observed": True}],
    }
    body.update(change)
    return body


def test_a_well_formed_audit_is_accepted() -> None:
    audit = AuditCreate.model_validate(_audit(notes="RAS"))
    assert audit.audit_date == date(2025, 3, 15)
    assert audit.notes == "RAS"
    assert audit.evidence == []


def test_padded_text_is_refused_not_silently_trimmed() -> None:
    """The OpenAPI contract's lengths and patterns apply to the text as sent (issue 13)."""
    with pytest.raises(ValidationError):
        AuditCreate.model_validate(_audit(notes="  RAS  "))


@pytest.mark.parametrize(
    "finding",
    [
        {"criterion": "knot_density", "measured_value": -1, "unit": "knots/m2"},
        {"criterion": "knot_density", "measured_value": 2e9, "unit": "knots/m2"},
        {"criterion": "knot_density", "measured_value": float("nan"), "unit": "knots/m2"},
        {"criterion": "knot_density", "measured_value": float("inf"), "unit": "knots/m2"},
        {"criterion": "knot_density", "measured_value": "96000", "unit": "knots/m2"},
        {"criterion": "knot_density", "measured_value": True, "unit": "knots/m2"},
        {"criterion": "knot_density", "measured_value": 96000},
        {"criterion": "knot_density", "unit": "knots/m2"},
        {"criterion": "knot_density", "measured_value": 9e4, "unit": "knots/m2", "observed": True},
        {"criterion": "knot_density"},
        {"criterion": "hand_knotted", "observed": "yes"},
        {"criterion": "hand_knotted", "observed": 1},
        {"criterion": "hand_knotted", "observed": True, "passed": True},
        {"criterion": "knot_density", "measured_value": 1, "unit": "m\u0007"},
        {"criterion": "Knot Density", "observed": True},
        {"criterion": "hand_knotted", "observed": True, "notes": "x" * 4001},
    ],
)
def test_malformed_findings_are_refused(finding: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        FindingInput.model_validate(finding)


@pytest.mark.parametrize(
    "change",
    [
        {"audit_date": "1999-12-31"},
        {"audit_date": "2025-01-01T00:00:00"},
        {"audit_date": 1700000000},
        {"audit_date": "15/03/2025"},
        {"product_line_ids": []},
        {"product_line_ids": [1, 1]},
        {"product_line_ids": [2**40]},
        {"product_line_ids": [0]},
        {"artisan_id": 2**31},
        {"scheme": "tapis-superieure"},
        {"scheme": "X" * 41},
        {"notes": "bell \u0007"},
        {"notes": ""},
        {"findings": []},
        {"evidence": [{"sha256": "A" * 64, "filename": "x.pdf"}]},
        {"evidence": [{"sha256": "a" * 63, "filename": "x.pdf"}]},
        {"evidence": [{"sha256": "a" * 64, "filename": "../etc/passwd"}]},
        {"evidence": [{"sha256": "a" * 64, "filename": "C:\\\\x.pdf"}]},
        {"outcome": "pass"},
        {"id": 3},
        {"content_hash": "0" * 64},
    ],
)
def test_out_of_bounds_audits_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        AuditCreate.model_validate(_audit(**change))


def test_the_document_states_the_rules_the_models_hold() -> None:
    """Product lines each once (``uniqueItems``), audits from 2000 on (the date's pattern):
    what the models refuse, the OpenAPI document says (found by Schemathesis)."""
    audit = AuditCreate.model_json_schema()["properties"]
    assert audit["product_line_ids"]["uniqueItems"] is True
    assert re.fullmatch(audit["audit_date"]["pattern"], "2000-01-01")
    assert not re.fullmatch(audit["audit_date"]["pattern"], "1999-12-31")
    [lines, _] = CertificateCreate.model_json_schema()["properties"]["product_line_ids"]["anyOf"]
    assert lines["uniqueItems"] is True


def test_a_criterion_or_a_file_given_twice_is_left_to_the_service() -> None:
    """Unique by one member is no rule JSON Schema states: the service refuses it, with its
    own problem type (tests/audits/test_record_audit.py)."""
    twice = _audit(
        findings=[KNOTS, KNOTS], evidence=[{"sha256": "a" * 64, "filename": "x.pdf"}] * 2
    )
    assert len(AuditCreate.model_validate(twice).findings) == 2


@pytest.mark.parametrize(
    "body",
    [
        {"audit_id": 1, "status": "active"},
        {"audit_id": 1, "code": 42},
        {"audit_id": 1, "scheme": "TAPIS-MOYENNE"},
        {"audit_id": 1, "product_line_ids": []},
        {"audit_id": 1, "product_line_ids": [3, 3]},
        {"audit_id": 1, "valid_from": "2025-01-01T10:00:00Z"},
        {"audit_id": 1, "valid_until": "2030-01-01"},
        {"audit_id": 0},
    ],
)
def test_certificate_requests_refuse_server_owned_or_malformed_fields(
    body: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        CertificateCreate.model_validate(body)


@pytest.mark.parametrize(
    "body",
    [
        {"reason_code": "because"},
        {"reason_code": "other"},
        {"reason_code": "fraud", "to_status": "active"},
        {"reason_code": "fraud", "reason_text": ""},
    ],
)
def test_status_changes_need_a_documented_reason(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CertificateStatusChange.model_validate(body)


def test_other_reason_with_text_is_accepted() -> None:
    change = CertificateStatusChange.model_validate(
        {"reason_code": "other", "reason_text": "Atelier inondé"}
    )
    assert change.reason_text == "Atelier inondé"
