"""Calendar arithmetic of validity windows and the audit record's canonical hash."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.calendar import add_months
from labeling.audits.record import CanonicalFinding, canonical_record, content_hash


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 3, 15), 36, date(2028, 3, 15)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2027, 1, 31), 13, date(2028, 2, 29)),
        (date(2025, 12, 1), 1, date(2026, 1, 1)),
        (date(2025, 6, 30), 0, date(2025, 6, 30)),
    ],
)
def test_add_months_clamps_to_the_end_of_shorter_months(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def _record(**change: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "artisan_public_id": "AKHIAM7TAZ",
        "body_code": "CHAMBRE-MA-08",
        "inspector_id": 2,
        "scheme_code": "TAPIS-SUPERIEURE",
        "audit_date": date(2025, 3, 15),
        "submitted_at": datetime(2025, 3, 16, 9, 30, tzinfo=UTC),
        "outcome": "pass",
        "corrects_audit_id": None,
        "product_line_ids": [3, 1],
        "findings": [
            CanonicalFinding("knot_density", True, 96000.0, "knots/m2", None, None),
            CanonicalFinding("hand_knotted", True, None, None, True, "Nœuds berbères"),
        ],
        "evidence": [("b" * 64, "photo.jpg"), ("a" * 64, "rapport.pdf")],
        "notes": None,
    }
    fields.update(change)
    return canonical_record(**fields)  # type: ignore[arg-type]


def test_record_order_does_not_depend_on_input_order() -> None:
    shuffled = _record(
        product_line_ids=[1, 3],
        findings=[
            CanonicalFinding("hand_knotted", True, None, None, True, "Nœuds berbères"),
            CanonicalFinding("knot_density", True, 96000.0, "knots/m2", None, None),
        ],
        evidence=[("a" * 64, "rapport.pdf"), ("b" * 64, "photo.jpg")],
    )
    assert content_hash(shuffled) == content_hash(_record())


def test_every_field_changes_the_hash() -> None:
    base = content_hash(_record())
    changes: list[dict[str, object]] = [
        {"outcome": "fail"},
        {"notes": "RAS"},
        {"corrects_audit_id": 4},
        {"audit_date": date(2025, 3, 14)},
        {"inspector_id": 3},
        {"evidence": []},
    ]
    assert all(content_hash(_record(**change)) != base for change in changes)


def test_record_carries_a_format_marker() -> None:
    # Format 2: RFC 8785 bytes, measured values as RFC 8785 numbers (labeling/audits/record.py).
    assert _record()["format"] == "khatem-audit/2"
