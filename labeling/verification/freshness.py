"""How fresh a remembered verdict is: the registry's state version, watched from each worker.

Every change a verdict depends on — a label issued, suspended, reinstated or revoked; a
certificate issued, suspended, reinstated or withdrawn; a key registered, rotated or
compromised; an artisan renamed — appends a leaf to the transparency log in the transaction
that makes it, and a new checkpoint changes what log inclusion proves. So the pair (log size,
newest checkpoint size), with the registry's date for what expires by the calendar, is a
version of everything a verdict says: while it has not moved, a verdict computed earlier is
still the verdict. :class:`StateWatch` reads that pair from a background thread every
:data:`POLL_SECONDS` and hands out the version only while its last read *began* less than
:data:`TRUST_SECONDS` ago; otherwise — the database unreachable, the thread stalled — it hands
out none, and callers read the database as if nothing were remembered.

The bound (docs/verification.md, "Freshness"): a change answered 2xx at time T was committed
before T; a read begun after T sees it. A version handed out at time t comes from a read begun
after t - TRUST_SECONDS, so from t > T + TRUST_SECONDS on, no worker serves a verdict older
than the change. TRUST_SECONDS is 0.75 s: the promise is 1 second.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Final

from sqlalchemy import text

from core.calendar import registry_today
from core.db import read_session

__all__ = ["POLL_SECONDS", "TRUST_SECONDS", "StateVersion", "StateWatch", "state_watch"]

#: How often each worker reads the registry's state version.
POLL_SECONDS: Final = 0.2
#: How old the last read may be (from its start) for its version to be trusted: with the
#: poll interval and a slow query, this keeps the documented bound of 1 second.
TRUST_SECONDS: Final = 0.75

StateVersion = tuple[int, int, date]
_VERSION_SQL: Final = text(
    "SELECT (SELECT COALESCE(MAX(leaf_index), -1) FROM log_entry),"
    " (SELECT COALESCE(MAX(tree_size), 0) FROM log_checkpoint)"
)
_log = logging.getLogger(__name__)


class StateWatch:
    """The registry's state version as this worker last read it, if that read is recent.

    ``read`` returns the version from the database (it may raise); ``clock`` is monotonic
    seconds. The thread starts on the first :meth:`version` call and is a daemon: it ends
    with the process.
    """

    def __init__(
        self,
        read: Callable[[], StateVersion],
        *,
        clock: Callable[[], float] = time.monotonic,
        poll_seconds: float = POLL_SECONDS,
        trust_seconds: float = TRUST_SECONDS,
    ) -> None:
        self._read = read
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._trust_seconds = trust_seconds
        self._latest: tuple[float, StateVersion] | None = None  # (read began at, version)
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._stop = threading.Event()

    def version(self) -> StateVersion | None:
        """The version to key remembered verdicts by, or None: read the database."""
        if self._thread is None:
            self._start()
        latest = self._latest
        if latest is None or self._clock() - latest[0] >= self._trust_seconds:
            return None
        return latest[1]

    def poll_once(self) -> None:
        """Read the version once (the thread's step; tests call it directly)."""
        began = self._clock()
        try:
            version = self._read()
        except Exception:  # noqa: BLE001 - any failure: stop trusting, keep polling
            _log.warning("state version unreadable: verdicts are read from the database")
            self._latest = None
            return
        self._latest = (began, version)

    def stop(self) -> None:
        self._stop.set()

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(
                target=self._run, name="khatem-state-watch", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.poll_once()
            self._stop.wait(self._poll_seconds)


_watches: dict[str, StateWatch] = {}
_watches_lock = threading.Lock()


def state_watch(url: str) -> StateWatch:
    """The one watch of this process for the database at ``url``."""
    watch = _watches.get(url)
    if watch is None:
        with _watches_lock:
            watch = _watches.setdefault(url, StateWatch(lambda: _read_version(url)))
    return watch


def _read_version(url: str) -> StateVersion:
    with read_session(url) as session:  # no writer lock on SQLite
        leaves, checkpoint = session.execute(_VERSION_SQL).one()
        session.rollback()
    return int(leaves), int(checkpoint), registry_today()
