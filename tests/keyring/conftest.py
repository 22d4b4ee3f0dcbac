"""Fixtures of the keyring tests: a prepared registry (development keys) and its app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from core.settings import Settings
from labeling.startup import prepare_registry
from tests.translog.helpers import make_log_app


@pytest.fixture
def prepared(settings: Settings) -> list[str]:
    """The registry after ``prepare_registry``: dev root and label keys, first checkpoint."""
    return prepare_registry(settings)


@pytest.fixture
def log_app(settings: Settings, prepared: list[str]) -> FastAPI:
    return make_log_app(settings)


@pytest.fixture
def log_client(log_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(log_app, raise_server_exceptions=False) as client:
        yield client
