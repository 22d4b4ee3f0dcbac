"""The canonical record of a submitted audit and its content hash.

The hash is SHA-256 over the RFC 8785 canonical JSON (:func:`verify.canonical.canonical_json`)
of :func:`canonical_record`. It is computed before the audit row is written, because the
row is append-only and cannot be updated afterwards; so the record identifies the audit by
its content (who, whom, what, when, findings, evidence), not by its database id. The
``format`` marker lets a later version change the record without making old hashes
ambiguous.

Measured values are JSON numbers, written as RFC 8785 writes numbers (section 3.2.2.3,
ECMAScript's shortest round-trip form): ``96000.0`` and ``96000`` are both ``96000``,
``0.02`` is ``0.02``, ``1e-07`` is ``1e-7``, ``1e21`` is ``1e+21``. NaN and infinity have
no JSON form: :class:`CanonicalFinding` refuses them, and :func:`content_hash` would too.

Formats: ``khatem-audit/2`` (this one). ``khatem-audit/1`` records were hashed over
Python's ``json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``,
which writes a float as Python's ``repr`` (``96000.0``, ``1e-07``) and would have let NaN
through as ``NaN``; for a record without a measured value it gave the same bytes as
RFC 8785. A stored hash is never recomputed, so older audits keep their v1 hashes and the
format member of the record says which rule made one.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from verify.canonical import canonical_json

__all__ = ["RECORD_FORMAT", "CanonicalFinding", "canonical_record", "content_hash"]

RECORD_FORMAT = "khatem-audit/2"


@dataclass(frozen=True, slots=True)
class CanonicalFinding:
    criterion: str
    passed: bool
    measured_value: float | None
    unit: str | None
    observed: bool | None
    notes: str | None

    def __post_init__(self) -> None:
        value = self.measured_value
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("a measured value is a number")
        if not math.isfinite(value):
            raise ValueError(f"a measured value must be a finite number, not {value}")


def canonical_record(
    *,
    artisan_public_id: str,
    body_code: str,
    inspector_id: int,
    scheme_code: str,
    audit_date: date,
    submitted_at: datetime,
    outcome: str,
    corrects_audit_id: int | None,
    product_line_ids: list[int],
    findings: list[CanonicalFinding],
    evidence: list[tuple[str, str]],
    notes: str | None,
) -> dict[str, Any]:
    """The audit as a JSON-ready document with every list in a fixed order."""
    return {
        "format": RECORD_FORMAT,
        "artisan": artisan_public_id,
        "body": body_code,
        "inspector_id": inspector_id,
        "scheme": scheme_code,
        "audit_date": audit_date.isoformat(),
        "submitted_at": submitted_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "outcome": outcome,
        "corrects_audit_id": corrects_audit_id,
        "product_line_ids": sorted(product_line_ids),
        "findings": [
            {
                "criterion": f.criterion,
                "passed": f.passed,
                "measured_value": f.measured_value,
                "unit": f.unit,
                "observed": f.observed,
                "notes": f.notes,
            }
            for f in sorted(findings, key=lambda f: f.criterion)
        ],
        "evidence": [
            {"sha256": sha256, "filename": filename} for sha256, filename in sorted(evidence)
        ],
        "notes": notes,
    }


def content_hash(record: dict[str, Any]) -> str:
    """SHA-256 (hex) of the record's RFC 8785 bytes; raises ``verify.canonical.CanonicalError``
    (a ``ValueError``) for a record JSON cannot hold, such as a NaN measured value."""
    return hashlib.sha256(canonical_json(record, floats=True)).hexdigest()
