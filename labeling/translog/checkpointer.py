"""When checkpoints are made: on a timer, on demand, and from the command line.

* A background thread (one per server process, started by the app's lifespan through
  :func:`checkpointing`) wakes every ``settings.checkpoint_interval_seconds`` and signs a
  checkpoint if the tree grew since the last one: while entries arrive, a new checkpoint
  follows within one interval.
* ``GET /log/checkpoint`` makes one on demand (:func:`serve_checkpoint`) when the latest is
  older than the interval and the tree grew, so a quiet server still answers fresh.
* ``khatem log checkpoint`` forces one now (:func:`checkpoint_now`).

Every path takes the log's writer lock, so workers and processes never sign two checkpoints
of the same size.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from sqlmodel import Session

from core.db import new_session
from core.settings import Settings, get_settings
from labeling.keycustody import SignerError
from labeling.keyrecords.errors import KeyUnavailable
from labeling.keyrecords.opening import root_signer
from labeling.translog import store
from labeling.translog.checkpoints import SignedCheckpoint, is_due, latest, make_checkpoint
from labeling.translog.errors import CheckpointUnavailable
from schemas.types import utcnow

__all__ = ["Checkpointer", "checkpoint_now", "checkpointing", "serve_checkpoint"]

logger = logging.getLogger(__name__)


def checkpoint_now(settings: Settings) -> tuple[SignedCheckpoint, bool]:
    """Sign a checkpoint of the current tree if it grew; returns ``(latest, created)``."""
    with new_session(settings.resolved_database_url) as session:
        signer = root_signer(session, settings)
        return make_checkpoint(session, signer=signer, origin=settings.log_origin)


def serve_checkpoint(session: Session, settings: Settings) -> SignedCheckpoint:
    """The checkpoint to serve: the latest, or a new one if it is due.

    If a checkpoint is due but the root key cannot sign here, the latest is served (a
    monitor sees an older size, never a wrong one); with none at all, 503.
    """
    current = latest(session)
    size = store.tree_size(session.connection())
    interval = timedelta(seconds=max(settings.checkpoint_interval_seconds, 0))
    if is_due(current, tree_size=size, interval=interval, now=utcnow()):
        try:
            signer = root_signer(session, settings)
            current, _ = make_checkpoint(
                session, signer=signer, origin=settings.log_origin, interval=interval
            )
        except (KeyUnavailable, SignerError) as exc:
            logger.warning("checkpoint due but not signed: %s", exc)
    if current is None:
        raise CheckpointUnavailable("The registry has not signed a checkpoint yet.")
    return current


class Checkpointer:
    """The background thread that keeps checkpoints fresh."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="khatem-checkpointer", daemon=True)
        self._warned = False

    def start(self) -> Checkpointer:
        """Start the thread unless the interval is zero or negative (disabled)."""
        if self._settings.checkpoint_interval_seconds > 0:
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish and wait for it."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def tick(self) -> bool:
        """One round: checkpoint if the tree grew. Returns whether one was made."""
        try:
            _, created = checkpoint_now(self._settings)
            self._warned = False
            return created
        except (KeyUnavailable, SignerError) as exc:
            if not self._warned:  # once per outage, not once per interval
                logger.warning("checkpointer cannot sign: %s", exc)
                self._warned = True
        except Exception:
            logger.exception("checkpointer round failed; retrying next interval")
        return False

    def _run(self) -> None:
        while not self._stop.wait(self._settings.checkpoint_interval_seconds):
            self.tick()


@asynccontextmanager
async def checkpointing(app: FastAPI) -> AsyncIterator[None]:
    """App lifespan: run a :class:`Checkpointer` while the app serves."""
    settings = getattr(app.state, "settings", None)
    checkpointer = Checkpointer(settings if isinstance(settings, Settings) else get_settings())
    checkpointer.start()
    try:
        yield
    finally:
        checkpointer.stop()
