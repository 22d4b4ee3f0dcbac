"""Several worker processes on one machine admit, together, no more than the configured
budget: each keeps its share (``khatem serve --workers N`` sets ``KHATEM_WORKER_PROCESSES``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.rate_limit import ROUTE_CLASSES, rate_limiters
from core.settings import Settings


def test_one_worker_keeps_the_whole_budget() -> None:
    buckets = rate_limiters(
        Settings(rate_limit_verify_per_minute=1200, rate_limit_verify_burst=120)
    )
    assert buckets["verify"].burst == 120
    assert buckets["verify"].per_second == pytest.approx(20.0)


@given(
    workers=st.integers(min_value=1, max_value=64),
    per_minute=st.integers(min_value=0, max_value=100_000),
    burst=st.integers(min_value=1, max_value=10_000),
)
def test_the_workers_together_admit_no_more_than_the_budget(
    workers: int, per_minute: int, burst: int
) -> None:
    settings = Settings(
        worker_processes=workers,
        **{f"rate_limit_{c}_per_minute": per_minute for c in ROUTE_CLASSES},
        **{f"rate_limit_{c}_burst": burst for c in ROUTE_CLASSES},
    )
    for bucket in rate_limiters(settings).values():
        assert bucket.per_second * 60 * workers <= per_minute + 1e-9
        assert bucket.burst >= 1
        assert bucket.burst * workers <= max(burst, workers)
