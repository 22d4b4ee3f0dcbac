"""Webhook tests: a registry whose deliveries may go to a receiver on 127.0.0.1, and whose
delivery worker is driven by the tests (``deliver_due``) rather than by a timer."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from tests.retailers.fixtures import *  # noqa: F403


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
        webhook_allow_private=True,  # the test receiver listens on 127.0.0.1
        webhook_delivery_interval_seconds=0,  # the tests call deliver_due themselves
        webhook_retry_base_seconds=0.01,
        webhook_timeout_seconds=5,
    )
