"""Password hashing with Argon2id (argon2-cffi's RFC 9106 low-memory profile), and the gate
that bounds how many sign-ins hash at once.

One verification costs 64 MiB and a few hundred milliseconds of CPU by design. Unbounded, a
flood of anonymous sign-ins takes every core and gigabytes of memory, and staff requests
queue behind it. :class:`HashGate` admits ``concurrency`` verifications at once and lets at
most ``queue`` more wait (each at most ``wait_seconds``); anything beyond is refused at once
with :class:`HashingBusy`, which the sign-in answers 503 with ``Retry-After``. Sign-ins hash
outside any database transaction (``labeling.accounts.service.login``).
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "HashGate",
    "HashingBusy",
    "hash_password",
    "usable_cpus",
    "verify_dummy",
    "verify_password",
]

_hasher = PasswordHasher()
# Verifying against this when an account does not exist makes "unknown email" take as long
# as "wrong password", so login timing does not reveal which emails are registered.
_DUMMY_HASH = _hasher.hash("khatem-dummy-password-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_dummy(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover - not on Linux


class HashingBusy(Exception):
    """Too many sign-ins are hashing or waiting to; retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"password hashing is busy; retry in {retry_after} s")
        self.retry_after = retry_after


class HashGate:
    """At most ``concurrency`` password verifications at once, ``queue`` more waiting.

    Thread-based: sign-in routes are plain functions run in the server's thread pool, so a
    running or waiting sign-in holds one of its threads (40 by default); keep
    ``concurrency + queue`` well below that, so that staff requests always find threads.
    """

    def __init__(self, *, concurrency: int, queue: int, wait_seconds: float) -> None:
        if concurrency < 1 or queue < 0 or wait_seconds <= 0:
            raise ValueError("HashGate needs concurrency >= 1, queue >= 0, wait_seconds > 0")
        self.concurrency = concurrency
        self.queue = queue
        self.wait_seconds = wait_seconds
        self.retry_after = max(1, math.ceil(wait_seconds))
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._admitted = 0  # hashing now + waiting for a slot

    @property
    def admitted(self) -> int:
        """Verifications running or waiting right now."""
        with self._lock:
            return self._admitted

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the slots for the body; raise :class:`HashingBusy` if the queue is
        full, or if no slot freed within ``wait_seconds``."""
        with self._lock:
            if self._admitted >= self.concurrency + self.queue:
                raise HashingBusy(self.retry_after)
            self._admitted += 1
        try:
            if not self._slots.acquire(timeout=self.wait_seconds):
                raise HashingBusy(self.retry_after)
            try:
                yield
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._admitted -= 1
