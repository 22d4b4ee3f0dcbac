"""Tests that need a system tool: skipped on a developer machine without it, FAILED under CI
(``CI`` set), where .ci/run installs every tool the suite uses."""

from __future__ import annotations

import os

import pytest

__all__ = ["require"]


def require(available: bool, what: str) -> None:
    """Skip (locally) or fail (under CI) when ``what`` is missing."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required under CI (.ci/run installs it)", pytrace=False)
    pytest.skip(f"{what} not installed")
