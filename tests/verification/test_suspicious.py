"""The SUSPICIOUS verdict: decide()'s precedence (unit and hypothesis), the copy_evidence
check, the offline verifier reading the snapshot's ``suspicious`` member, and the trusted
country header's validation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labeling.snapshots.documents import label_status_document
from labeling.verification.telemetry import COUNTRIES, country_of
from tests.offline.simulator import NOW, TAJINE_GTIN, Registry
from verify import signing
from verify.decision import COPY_EVIDENCE_REASONS, REASONS, decide
from verify.offline import OfflineSource
from verify.snapshot import (
    SnapshotError,
    label_hash,
    verify_certificate_snapshot,
    verify_label_status_snapshot,
)
from verify.trust_list import verify_trust_list
from verify.verdict import CHECK_NAMES, Check, Outcome, Overall
from verify.verifier import CopyEvidence, copy_evidence_check, verify_label

# ------------------------------------------------------------------------ decide()

_PASSED = {
    name: next(r for r in sorted(REASONS[name]) if r != "not_checked") for name in CHECK_NAMES
}


def _checks(
    failures: dict[str, str], copied: str | None = None, warned: str | None = None
) -> tuple[Check, ...]:
    checks = []
    for name in CHECK_NAMES:
        if name in failures:
            checks.append(Check(name=name, outcome=Outcome.FAILED, reason=failures[name]))
        elif warned == name:
            checks.append(Check(name=name, outcome=Outcome.WARNING, reason=_PASSED[name]))
        else:
            checks.append(Check(name=name, outcome=Outcome.PASSED, reason=_PASSED[name]))
    if copied is not None:
        checks.append(Check(name="copy_evidence", outcome=Outcome.FAILED, reason=copied))
    return tuple(checks)


@pytest.mark.parametrize(
    ("failures", "expected"),
    [
        ({"signature": "signature_invalid"}, Overall.INVALID),
        ({"label_status": "label_revoked"}, Overall.REVOKED),
        ({"certificate_status": "certificate_withdrawn"}, Overall.REVOKED),
        ({"label_status": "label_suspended"}, Overall.SUSPENDED),
        ({"certificate_status": "certificate_suspended"}, Overall.SUSPENDED),
        ({"data_freshness": "status_data_expired"}, Overall.UNKNOWN),
        ({}, Overall.SUSPICIOUS),
    ],
)
@pytest.mark.parametrize("reason", COPY_EVIDENCE_REASONS)
def test_copy_evidence_ranks_below_status_and_forgery(
    failures: dict[str, str], expected: Overall, reason: str
) -> None:
    for authoritative in (True, False):
        assert decide(_checks(failures, reason), authoritative=authoritative) is expected


def test_copy_evidence_outranks_warnings() -> None:
    checks = _checks({}, "scanned_too_often", warned="certificate_status")
    assert decide(checks, authoritative=True) is Overall.SUSPICIOUS


_FAILURES = st.dictionaries(
    st.sampled_from(CHECK_NAMES),
    st.sampled_from(["x"]),  # replaced below by a reason of that check
    max_size=4,
).flatmap(
    lambda chosen: st.fixed_dictionaries(
        {name: st.sampled_from(sorted(REASONS[name] - {"not_checked"})) for name in chosen}
    )
)


@given(
    failures=_FAILURES,
    copied=st.sampled_from(COPY_EVIDENCE_REASONS),
    authoritative=st.booleans(),
    warned=st.none() | st.sampled_from(CHECK_NAMES),
)
def test_evidence_of_a_copy_changes_only_what_would_be_authentic(
    failures: dict[str, str], copied: str, authoritative: bool, warned: str | None
) -> None:
    """With evidence of a copy, a verdict that would be AUTHENTIC(_WITH_WARNINGS) is
    SUSPICIOUS, and every other verdict is what it would be without the evidence."""
    without = decide(_checks(failures, None, warned), authoritative=authoritative)
    with_copy = decide(_checks(failures, copied, warned), authoritative=authoritative)
    if without in (Overall.AUTHENTIC, Overall.AUTHENTIC_WITH_WARNINGS):
        assert with_copy is Overall.SUSPICIOUS
    else:
        assert with_copy is without
    assert without is not Overall.SUSPICIOUS


@given(st.lists(st.sampled_from(COPY_EVIDENCE_REASONS), min_size=1, max_size=5))
def test_the_check_names_the_most_telling_evidence_and_lists_all(reasons: list[str]) -> None:
    check = copy_evidence_check(tuple(CopyEvidence(reason) for reason in reasons))
    assert check is not None and check.outcome is Outcome.FAILED
    assert check.reason == min(reasons, key=COPY_EVIDENCE_REASONS.index)
    assert check.detail is not None
    listed = [item["reason"] for item in check.detail["evidence"]]
    assert listed == sorted(reasons, key=COPY_EVIDENCE_REASONS.index)


def test_evidence_this_verifier_does_not_know_is_no_check() -> None:
    assert copy_evidence_check((CopyEvidence("seen_on_the_moon"),)) is None


# --------------------------------------------------------------------------- offline


def _source(registry: Registry, suspicious: dict[str, list[bytes]]) -> OfflineSource:
    root = registry.root_public
    groups: dict[tuple[str, str], list[bytes]] = {}
    for (gtin, serial), entry in registry.statuses.items():
        groups.setdefault(entry, []).append(label_hash(gtin, serial))
    document = label_status_document(
        entries=groups,
        total_labels=registry.issued,
        issued_at=NOW,
        max_age=86_400,
        suspicious=suspicious,
    )
    return OfflineSource(
        verify_trust_list(registry.trust_list(), root_public_key=root),
        verify_label_status_snapshot(registry.sign(document), root_public_key=root),
        verify_certificate_snapshot(registry.certificate_snapshot(), root_public_key=root),
    )


def test_the_offline_verifier_says_suspicious_for_a_label_the_snapshot_lists() -> None:
    registry = Registry()
    copied, plain, revoked = (registry.issue(s) for s in ("7F3K2MQ9XB", "8G4M3NQ0YC", "9H5N4PR1ZD"))
    registry.set_status("9H5N4PR1ZD", "revoked", "lost_or_stolen")
    source = _source(
        registry,
        {
            "received_by_two_retailers": [label_hash(TAJINE_GTIN, "7F3K2MQ9XB")],
            "scanned_in_many_countries": [
                label_hash(TAJINE_GTIN, "7F3K2MQ9XB"),
                label_hash(TAJINE_GTIN, "9H5N4PR1ZD"),
            ],
        },
    )
    at = NOW + timedelta(hours=1)
    verdict = verify_label(copied, source, now=at)
    assert verdict.verdict is Overall.SUSPICIOUS
    assert verdict.reasons == ("received_by_two_retailers",)
    check = verdict.check("copy_evidence")
    assert check is not None and check.detail == {
        "evidence": [
            {"reason": "received_by_two_retailers"},
            {"reason": "scanned_in_many_countries"},
        ]
    }
    assert verify_label(plain, source, now=at).verdict is Overall.AUTHENTIC
    assert verify_label(revoked, source, now=at).verdict is Overall.REVOKED


def test_a_snapshot_without_marks_carries_no_suspicious_member() -> None:
    document = label_status_document(
        entries={}, total_labels=0, issued_at=NOW, max_age=60, suspicious={}
    )
    assert "suspicious" not in document


def test_a_suspicious_group_out_of_order_is_refused() -> None:
    registry = Registry()
    first, second = sorted([label_hash(TAJINE_GTIN, "7F3K2MQ9XB"), label_hash(TAJINE_GTIN, "A")])
    document = label_status_document(
        entries={}, total_labels=2, issued_at=NOW, max_age=60, suspicious={"x": [first]}
    )
    verify_label_status_snapshot(registry.sign(document), root_public_key=registry.root_public)
    document["suspicious"][0]["count"] = 2
    document["suspicious"][0]["hashes"] = signing.b64url_encode(second + first)
    with pytest.raises(SnapshotError):
        verify_label_status_snapshot(registry.sign(document), root_public_key=registry.root_public)


# --------------------------------------------------------------------------- country


@given(st.binary(max_size=12))
def test_a_country_header_is_a_country_or_unknown(value: bytes) -> None:
    found = country_of([(b"cf-ipcountry", value)], b"cf-ipcountry")
    assert found == "" or found in COUNTRIES


@pytest.mark.parametrize(
    ("value", "expected"),
    [(b"FR", "FR"), (b" ma ", "MA"), (b"XX", ""), (b"T1", ""), (b"EU", ""), (b"ZZ", ""), (b"", "")],
)
def test_only_iso_country_codes_are_kept(value: bytes, expected: str) -> None:
    assert country_of([(b"cf-ipcountry", value)], b"cf-ipcountry") == expected
    assert country_of([(b"cf-ipcountry", value)], None) == ""  # no header configured


def test_the_country_list_is_iso_3166_sized() -> None:
    assert 245 <= len(COUNTRIES) <= 250 and {"MA", "ES", "FR", "US"} <= COUNTRIES


def test_a_day_is_all_that_is_kept_of_when() -> None:
    assert CopyEvidence("scanned_too_often", on=date(2026, 3, 3)).public()["on"] == "2026-03-03"
