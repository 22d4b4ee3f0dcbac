"""Tests that need a system tool: skipped on a developer machine without it, FAILED under CI
(``CI`` set), where .ci/run installs every tool the suite uses."""

from __future__ import annotations

import pytest

from tests.ci import in_ci

__all__ = ["require"]


def require(available: bool, what: str) -> None:
    """Skip (locally) or fail (under CI) when ``what`` is missing."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is required under CI (.ci/run installs it)", pytrace=False)
    pytest.skip(f"{what} not installed")
