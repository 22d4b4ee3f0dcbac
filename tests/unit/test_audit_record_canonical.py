"""An audit record's canonical bytes: RFC 8785, floats as RFC 8785 writes numbers, and never
a NaN or an infinity (labeling/audits/record.py)."""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, date, datetime
from typing import Any

import pytest

from labeling.audits.record import (
    RECORD_FORMAT,
    CanonicalFinding,
    canonical_record,
    content_hash,
)
from verify.canonical import CanonicalError, canonical_json

#: Hashes of the two records below made by the format-1 code (json.dumps, floats as repr),
#: captured before the record moved to RFC 8785.
V1_WITHOUT_MEASUREMENTS = "42e19bdba7e9dcb8be30d99c37a12baa2c8bb7b48d729a7732800c4b385c11ce"
V1_WITH_MEASUREMENTS = "2a4aa66bf1b8944c53134f5d075ca30493b314d12b6aa1e784afb7f9d8458a5a"

OBSERVED = [CanonicalFinding("hand_knotted", True, None, None, True, "ok")]
MEASURED = [
    CanonicalFinding("knot_density", True, 96000.0, "knots/m2", None, None),
    CanonicalFinding("lead_release", True, 1e-07, "mg/dm2", None, None),
]


def _record(findings: list[CanonicalFinding]) -> dict[str, Any]:
    return canonical_record(
        artisan_public_id="A-7F3K2MQ9",
        body_code="CHAMBRE-MA-07",
        inspector_id=12,
        scheme_code="MFM-2",
        audit_date=date(2026, 3, 1),
        submitted_at=datetime(2026, 3, 2, 9, 30, 1, 123456, tzinfo=UTC),
        outcome="pass",
        corrects_audit_id=None,
        product_line_ids=[9, 3],
        findings=findings,
        evidence=[("ab" * 32, "rapport d’audit.pdf")],
        notes="Nœuds berbères 😂",
    )


def test_the_format_is_2() -> None:
    assert RECORD_FORMAT == "khatem-audit/2"
    assert _record(OBSERVED)["format"] == "khatem-audit/2"


def test_a_record_without_measurements_is_the_same_bytes_as_format_1() -> None:
    """Only the format member differs: format 1 and RFC 8785 agree on everything else."""
    record = _record(OBSERVED) | {"format": "khatem-audit/1"}
    assert hashlib.sha256(canonical_json(record, floats=True)).hexdigest() == (
        V1_WITHOUT_MEASUREMENTS
    )


def test_measured_values_are_written_as_rfc8785_numbers() -> None:
    expected = (
        '{"artisan":"A-7F3K2MQ9","audit_date":"2026-03-01","body":"CHAMBRE-MA-07",'
        '"corrects_audit_id":null,"evidence":[{"filename":"rapport d’audit.pdf","sha256":"'
        + "ab"
        * 32
        + '"}],"findings":[{"criterion":"knot_density","measured_value":96000,"notes":null,'
        '"observed":null,"passed":true,"unit":"knots/m2"},{"criterion":"lead_release",'
        '"measured_value":1e-7,"notes":null,"observed":null,"passed":true,"unit":"mg/dm2"}],'
        '"format":"khatem-audit/2","inspector_id":12,"notes":"Nœuds berbères 😂",'
        '"outcome":"pass","product_line_ids":[3,9],"scheme":"MFM-2",'
        '"submitted_at":"2026-03-02T09:30:01.123456Z"}'
    ).encode()
    record = _record(MEASURED)
    assert canonical_json(record, floats=True) == expected
    assert content_hash(record) == hashlib.sha256(expected).hexdigest()
    # Format 1 wrote "96000.0" and "1e-07": a different hash, told apart by the format.
    v1 = _record(MEASURED) | {"format": "khatem-audit/1"}
    assert hashlib.sha256(canonical_json(v1, floats=True)).hexdigest() != V1_WITH_MEASUREMENTS


def test_one_measurement_has_one_hash_however_it_was_typed() -> None:
    as_float = [CanonicalFinding("knot_density", True, 96000.0, "knots/m2", None, None)]
    as_int = [CanonicalFinding("knot_density", True, 96000, "knots/m2", None, None)]
    assert content_hash(_record(as_float)) == content_hash(_record(as_int))


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_measured_value_that_is_not_finite_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match="finite number"):
        CanonicalFinding("knot_density", True, value, "knots/m2", None, None)
    # A record built by hand cannot smuggle one into a hash either.
    record = _record(OBSERVED)
    record["findings"][0]["measured_value"] = value
    with pytest.raises(CanonicalError, match="no NaN or infinity"):
        content_hash(record)


@pytest.mark.parametrize("value", [True, "96000"])
def test_a_measured_value_is_a_number(value: Any) -> None:
    with pytest.raises(TypeError):
        CanonicalFinding("knot_density", True, value, "knots/m2", None, None)
