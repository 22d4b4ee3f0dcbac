"""How fresh a remembered label row is: the registry's state, watched from each worker.

On PostgreSQL a scan's one statement is a network round trip, so each worker remembers the
label rows it read, under a version of the registry's state. Every change a verdict depends
on — a label issued, suspended, reinstated or revoked; a certificate issued, suspended,
reinstated or withdrawn; a key registered, rotated or compromised — appends a leaf to the
transparency log in the transaction that makes it, and a new checkpoint changes what log
inclusion proves: so (log size, newest checkpoint size), with the registry's date for what
expires by the calendar, versions every status a verdict reads. Evidence of copying
(``label_mark`` rows: receipts, scan thresholds, confirmed clones) is not logged, so the
newest mark's id is part of the version too; lifting a threshold mark appends a log leaf
(``label.mark_lifted``), which moves the version. (The database server's own
transaction snapshot would move with every write of every database on the server, and empty
the memory for nothing.) :class:`StateWatch` reads it from a background thread every
:data:`POLL_SECONDS` and hands it out only while its last read *began* less than
:data:`TRUST_SECONDS` ago; otherwise — the database unreachable, the thread stalled — it
hands out none, and callers read the database as if nothing were remembered. A commit made
in this process moves :func:`local_generation` at once, so a worker reads its own writes
(the tests' direct SQL among them). A watch nobody has asked for :data:`IDLE_SECONDS` stops
polling (a worker without scans leaves the database alone) and starts again on the next
scan; :func:`release_state_watch` stops it for good when the worker lets the database go.

The bound (docs/verification.md, "Freshness"): a change answered 2xx at time T was committed
before T; a read begun after T sees it. A version handed out at time t comes from a read begun
after t - TRUST_SECONDS, so from t > T + TRUST_SECONDS on, no worker serves a row older than
the change. TRUST_SECONDS is 0.75 s: the promise is 1 second. On SQLite a scan's statement
costs ~13 µs in process and nothing is remembered: every scan reads the row.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Final

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from core.calendar import registry_today
from core.db import is_sqlite, read_session

__all__ = [
    "POLL_SECONDS",
    "TRUST_SECONDS",
    "StateVersion",
    "IDLE_SECONDS",
    "NO_VERDICT_CHANGE",
    "StateWatch",
    "local_generation",
    "release_state_watch",
    "state_watch",
]

#: How often each worker reads the registry's state version.
POLL_SECONDS: Final = 0.2
#: How old the last read may be (from its start) for its version to be trusted: with the
#: poll interval and a slow query, this keeps the documented bound of 1 second.
TRUST_SECONDS: Final = 0.75
#: How long a watch keeps polling after the last scan asked for its version.
IDLE_SECONDS: Final = 30.0

StateVersion = tuple[int, int, int, date]
_VERSION_SQL: Final = text(
    "SELECT (SELECT COALESCE(MAX(leaf_index), -1) FROM log_entry),"
    " (SELECT COALESCE(MAX(tree_size), 0) FROM log_checkpoint),"
    " (SELECT COALESCE(MAX(id), 0) FROM label_mark)"
)
_log = logging.getLogger(__name__)


class StateWatch:
    """The registry's state version as this worker last read it, if that read is recent.

    ``read`` returns the version from the database (it may raise); ``clock`` is monotonic
    seconds. The thread starts on the first :meth:`version` call, ends once nobody has asked
    for ``idle_seconds`` (the next call starts another) or on :meth:`stop`, and is a daemon.
    A failed read is logged once, not at every poll, until a read succeeds again.
    """

    def __init__(
        self,
        read: Callable[[], StateVersion],
        *,
        clock: Callable[[], float] = time.monotonic,
        poll_seconds: float = POLL_SECONDS,
        trust_seconds: float = TRUST_SECONDS,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self._read = read
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._trust_seconds = trust_seconds
        self._idle_seconds = idle_seconds
        self._latest: tuple[float, StateVersion] | None = None  # (read began at, version)
        self._asked = clock()
        self._failing = False
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._stop = threading.Event()

    @property
    def polling(self) -> bool:
        """Whether a thread is reading the version now."""
        return self._thread is not None

    def version(self) -> StateVersion | None:
        """The version to key remembered verdicts by, or None: read the database."""
        if self._stop.is_set():
            return None
        self._asked = self._clock()
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
            if not self._failing:
                _log.warning("state version unreadable: verdicts are read from the database")
            self._failing = True
            self._latest = None
            return
        if self._failing:
            _log.warning("state version readable again: remembered verdicts are used")
        self._failing = False
        self._latest = (began, version)

    def stop(self) -> None:
        """Stop polling for good (the worker lets the database go)."""
        self._stop.set()
        self._latest = None

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is not None or self._stop.is_set():
                return
            self._thread = threading.Thread(
                target=self._run, name="khatem-state-watch", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._start_lock:
                if self._clock() - self._asked >= self._idle_seconds:
                    # Idle: forget the version (it will be stale) and let the next scan
                    # start a new thread.
                    self._latest = None
                    self._thread = None
                    return
            self.poll_once()
            self._stop.wait(self._poll_seconds)
        with self._start_lock:
            self._thread = None


_watches: dict[str, StateWatch] = {}
_watches_lock = threading.Lock()


def state_watch(url: str) -> StateWatch | None:
    """The one watch of this process for the PostgreSQL database at ``url``; None on
    SQLite, where every scan reads its row."""
    if is_sqlite(url):
        return None
    watch = _watches.get(url)
    if watch is None:
        with _watches_lock:
            watch = _watches.setdefault(url, StateWatch(lambda: _read_version(url)))
    return watch


def release_state_watch(url: str) -> None:
    """Stop and forget the watch of ``url``, if any (a worker shutting down; tests)."""
    with _watches_lock:
        watch = _watches.pop(url, None)
    if watch is not None:
        watch.stop()


def _read_version(url: str) -> StateVersion:
    with read_session(url) as session:
        leaves, checkpoint, marks = session.execute(_VERSION_SQL).one()
        session.rollback()
    return int(leaves), int(checkpoint), int(marks), registry_today()


_commits = itertools.count(1)
_generation = [0]


def local_generation() -> int:
    """A number that moves whenever a session of this process commits."""
    return _generation[0]


#: ``session.info`` key of a session whose commit changes nothing a verdict reads (the scan
#: counters' flush when it marked no label): it leaves the remembered rows alone.
NO_VERDICT_CHANGE: Final = "khatem_no_verdict_change"


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.get(NO_VERDICT_CHANGE):
        return
    _generation[0] = next(_commits)
