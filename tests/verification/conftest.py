"""Verification test fixtures (defined in ``tests.verification.fixtures`` so that the
feature steps can share them), on top of the label fixtures."""

from collections.abc import Iterator

import pytest

from core.settings import Settings
from labeling.verification.service import forget_registry
from tests.labels.fixtures import *  # noqa: F403
from tests.verification.fixtures import *  # noqa: F403


@pytest.fixture(autouse=True)
def _forget_registry(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test's database is dropped after it: close its read connections first."""
    settings: Settings | None = None
    if "settings" in request.fixturenames:
        settings = request.getfixturevalue("settings")
    yield
    if settings is not None:
        forget_registry(settings)
