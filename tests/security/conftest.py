"""Fixtures of the security suite: an actor per role, fresh tokens, a live uvicorn server."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from sqlmodel import Session

from schemas.types import Role
from tests.fixtures.actors import Actor
from tests.security.support import LiveServer, TokenMint, use_cheap_password_hashing

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


@pytest.fixture
def app(app: FastAPI) -> Iterator[FastAPI]:
    """The registry as it runs in production: able to sign (with a throwaway key).

    Without a signer the label routes answer 503 before they look at a request, and the
    hostile-input and contract tests would learn nothing about them.
    """
    from labeling.keycustody import ephemeral_signer
    from labeling.labels.issuing_key import get_label_signer

    with ephemeral_signer() as signer:
        app.dependency_overrides[get_label_signer] = lambda: signer
        yield app


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cheap_password_hashing(monkeypatch)


@pytest.fixture
def mint(session: Session) -> TokenMint:
    return TokenMint(session)


@pytest.fixture
def retailer_user(session: Session) -> Actor:
    """A retailer organisation's service account, opened as the operators open one."""
    from labeling.retailers.service import create_retailer

    retailer, issued = create_retailer(session=session, name="Galeries Lafayette", country="FR")
    return Actor(
        id=retailer.account_id,
        email=f"{retailer.code.lower()}@retailers.khatem.invalid",
        role=Role.RETAILER,
        token=issued.access_token,
    )


@pytest.fixture
def actors(
    admin: Actor, inspector: Actor, artisan_user: Actor, retailer_user: Actor
) -> dict[Role, Actor]:
    """One account of each role, with a valid token each."""
    return {
        Role.ADMIN: admin,
        Role.INSPECTOR: inspector,
        Role.ARTISAN: artisan_user,
        Role.RETAILER: retailer_user,
    }


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    """Serve ``app`` with uvicorn in a thread, logging everything into the root logger.

    ``log_config=None`` keeps uvicorn from installing its own handlers, so its access log and
    its ASGI message trace (level TRACE) reach pytest's ``caplog`` like every other logger.
    """
    loggers = [logging.getLogger(name) for name in UVICORN_LOGGERS]
    levels = [(logger, logger.level, logger.propagate) for logger in loggers]
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_config=None,
        log_level="trace",
        access_log=True,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        for logger, level, propagate in levels:
            logger.setLevel(level)
            logger.propagate = propagate
