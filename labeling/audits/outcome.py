"""The audit outcome, computed from the findings and the scheme's criteria.

An inspector records what it measured or observed; whether each finding passes, and
whether the audit passes, is this module's arithmetic. Keeping it here, pure and small,
lets a property test check it against an independent reference.

* a measured criterion passes when ``value <comparison> threshold`` holds, with the
  comparison one of ``ge`` (≥), ``gt`` (>), ``le`` (≤), ``lt`` (<);
* a yes/no criterion passes when it was observed to hold (``True``);
* an audit passes iff it has findings and every finding passes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable

from schemas.audits_api import AuditOutcome

__all__ = ["MisconfiguredCriterion", "audit_outcome", "boolean_passes", "measured_passes"]

_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "ge": operator.ge,
    "gt": operator.gt,
    "le": operator.le,
    "lt": operator.lt,
}


class MisconfiguredCriterion(RuntimeError):
    """A measured criterion of the catalogue lacks a known comparison or a threshold.

    This is a catalogue defect, not a client error: it must fail loudly rather than let an
    audit pass on a criterion nobody can evaluate.
    """


def measured_passes(*, value: float, comparison: str | None, threshold: float | None) -> bool:
    """Whether a measured value meets a criterion's threshold."""
    compare = _COMPARISONS.get(comparison or "")
    if compare is None or threshold is None:
        raise MisconfiguredCriterion(f"comparison {comparison!r} with threshold {threshold!r}")
    return compare(value, threshold)


def boolean_passes(observed: bool) -> bool:
    """A yes/no criterion passes only when it was observed to hold."""
    return observed is True


def audit_outcome(finding_results: Iterable[bool]) -> AuditOutcome:
    """Pass iff there is at least one finding and all of them pass."""
    results = list(finding_results)
    return AuditOutcome.PASS if results and all(results) else AuditOutcome.FAIL
