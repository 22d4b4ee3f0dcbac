"""Report test fixtures (in ``tests.reports.fixtures`` so the features can share them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from core.settings import Settings
from tests.pages.site import chromium, demo_site  # noqa: F401  (module-scoped fixtures)
from tests.reports.fixtures import *  # noqa: F403
from tests.retailers.fixtures import *  # noqa: F403
from tests.security.support import use_cheap_password_hashing
from tests.workspace.support import SessionMint


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Webhooks may be subscribed on 127.0.0.1 (the events are read from the outbox, never
    delivered: no worker runs)."""
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
        webhook_allow_private=True,
        webhook_delivery_interval_seconds=0,
    )


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_password_hashing(monkeypatch)


@pytest.fixture
def sessions(session: Session) -> SessionMint:
    return SessionMint(session)
