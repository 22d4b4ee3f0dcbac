"""The canonical record of a submitted audit and its content hash.

The hash is SHA-256 over the canonical JSON (sorted keys, no insignificant spaces, UTF-8)
of :func:`canonical_record`. It is computed before the audit row is written, because the
row is append-only and cannot be updated afterwards; so the record identifies the audit by
its content (who, whom, what, when, findings, evidence), not by its database id. The
``format`` marker lets a later version change the record without making old hashes
ambiguous.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = ["RECORD_FORMAT", "CanonicalFinding", "canonical_record", "content_hash"]

RECORD_FORMAT = "khatem-audit/1"


@dataclass(frozen=True, slots=True)
class CanonicalFinding:
    criterion: str
    passed: bool
    measured_value: float | None
    unit: str | None
    observed: bool | None
    notes: str | None


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
    data = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
