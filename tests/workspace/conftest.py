"""Fixtures of the workspace tests."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.pages.site import chromium, demo_site  # noqa: F401  (module-scoped fixtures)
from tests.security.support import use_cheap_password_hashing
from tests.workspace.screen import screen  # noqa: F401  (a phone-sized page)
from tests.workspace.support import SessionMint


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_password_hashing(monkeypatch)


@pytest.fixture
def sessions(session: Session) -> SessionMint:
    return SessionMint(session)
