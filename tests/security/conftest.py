"""Fixtures of the security suite: an actor per role, fresh tokens, a live uvicorn server."""

from __future__ import annotations

import logging
import re
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
from tests.security.walk import OPERATIONS_BY_KEY, fuzz_runs

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")

# Schemathesis names its items "<test>[<METHOD> <path>][<backend>-<role>]".
_FUZZ_TEST = "test_every_operation_keeps_its_documented_contract"
_FUZZ_ITEM = re.compile(r"\[([A-Z]+ [^\]]+)\]\[(sqlite|postgresql)-([a-z]+)\]$")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep only the Schemathesis runs that ``walk.fuzz_runs`` asks for, and the anonymous
    run of every operation on SQLite (deselect the rest)."""
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        if not item.name.startswith(_FUZZ_TEST + "["):
            keep.append(item)
            continue
        match = _FUZZ_ITEM.search(item.name)
        op = OPERATIONS_BY_KEY.get(match.group(1)) if match else None
        if match and op is not None:
            backend, caller = match.group(2), match.group(3)
            if caller == "anonymous":  # every route once, on SQLite, without credentials
                wanted = backend == "sqlite"
            else:
                wanted = (backend, Role(caller)) in fuzz_runs(op)
            (keep if wanted else dropped).append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


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
