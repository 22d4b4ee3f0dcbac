"""The outcome arithmetic, checked against an independent reference on random criteria.

The reference decides a measured finding from the sign of ``value - threshold`` (exact for
floats through ``fractions.Fraction``), not from comparison operators, so a mix-up between
"≥" and ">" or "≤" and "<" in the registry cannot be mirrored here.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labeling.audits.outcome import (
    MisconfiguredCriterion,
    audit_outcome,
    boolean_passes,
    measured_passes,
)
from schemas.audits_api import MAX_MEASURED_VALUE, AuditOutcome

COMPARISONS = ("ge", "gt", "le", "lt")
values = st.floats(min_value=0, max_value=MAX_MEASURED_VALUE, allow_nan=False)
thresholds = st.floats(min_value=0, max_value=MAX_MEASURED_VALUE, allow_nan=False)


def reference_measured(value: float, comparison: str, threshold: float) -> bool:
    difference = Fraction(value) - Fraction(threshold)
    sign = (difference > 0) - (difference < 0)
    allowed_signs = {"ge": {0, 1}, "gt": {1}, "le": {0, -1}, "lt": {-1}}[comparison]
    return sign in allowed_signs


# A finding as the reference sees it: ("measured", value, comparison, threshold) or
# ("boolean", observed).
measured_finding = st.tuples(st.just("measured"), values, st.sampled_from(COMPARISONS), thresholds)
boolean_finding = st.tuples(st.just("boolean"), st.booleans())
finding = st.one_of(measured_finding, boolean_finding)


def registry_passes(item: tuple[object, ...]) -> bool:
    if item[0] == "measured":
        _, value, comparison, threshold = item
        assert isinstance(value, float) and isinstance(threshold, float)
        return measured_passes(value=value, comparison=str(comparison), threshold=threshold)
    observed = item[1]
    assert isinstance(observed, bool)
    return boolean_passes(observed)


def reference_passes(item: tuple[object, ...]) -> bool:
    if item[0] == "measured":
        _, value, comparison, threshold = item
        assert isinstance(value, float) and isinstance(threshold, float)
        return reference_measured(value, str(comparison), threshold)
    return item[1] is True


@given(value=values, comparison=st.sampled_from(COMPARISONS), threshold=thresholds)
def test_measured_finding_matches_the_reference(
    value: float, comparison: str, threshold: float
) -> None:
    assert measured_passes(value=value, comparison=comparison, threshold=threshold) is (
        reference_measured(value, comparison, threshold)
    )


@given(threshold=thresholds, comparison=st.sampled_from(COMPARISONS))
def test_the_threshold_itself_passes_only_inclusive_comparisons(
    threshold: float, comparison: str
) -> None:
    passes = measured_passes(value=threshold, comparison=comparison, threshold=threshold)
    assert passes is (comparison in ("ge", "le"))


@given(findings=st.lists(finding, max_size=12))
def test_audit_passes_iff_it_has_findings_and_all_pass(
    findings: list[tuple[object, ...]],
) -> None:
    expected = (
        AuditOutcome.PASS
        if findings and all(reference_passes(item) for item in findings)
        else AuditOutcome.FAIL
    )
    assert audit_outcome(registry_passes(item) for item in findings) is expected


@given(findings=st.lists(finding, min_size=1, max_size=12), data=st.data())
def test_one_failing_finding_fails_the_whole_audit(
    findings: list[tuple[object, ...]], data: st.DataObject
) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(findings)))
    with_failure = [*findings[:position], ("boolean", False), *findings[position:]]
    assert audit_outcome(registry_passes(item) for item in with_failure) is AuditOutcome.FAIL


@pytest.mark.parametrize(
    ("comparison", "threshold"), [(None, 1.0), ("eq", 1.0), ("ge", None), ("", 0.0)]
)
def test_a_misconfigured_criterion_fails_loudly(
    comparison: str | None, threshold: float | None
) -> None:
    with pytest.raises(MisconfiguredCriterion):
        measured_passes(value=1.0, comparison=comparison, threshold=threshold)
